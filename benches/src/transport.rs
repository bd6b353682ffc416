//! The floor of the transport benchmarks (`benches/transports.rs`, `examples/profile_transport.rs`).

use cvm_proto::HttpRequest;

/// Sends every request at once through a bare reqwest client and reads the replies, unparsed.
pub async fn send_all(bare: &reqwest::Client, requests: Vec<HttpRequest>) {
    let sends = requests.iter().map(|r| {
        let mut builder = bare.post(&r.url).body(r.body.clone());
        for (name, value) in &r.headers {
            builder = builder.header(*name, value.as_str());
        }
        async move {
            let response = builder.send().await?;
            let status = response.status();
            response.bytes().await.map(|body| (status, body))
        }
    });
    for result in futures_util::future::join_all(sends).await {
        match result {
            Ok((status, body)) => assert!(status.is_success() && !body.is_empty()),
            Err(e) => panic!("{e}"),
        }
    }
}

/// Signs `count` attempts of `call` for `config` at the current time, each with the next nonce
/// from `nonce`: the requests of one round, which every client (and so the floor) must sign.
pub fn sign_round(
    call: &cvm_proto::Call,
    config: &cvm_proto::ClientConfig,
    creds: &cvm_proto::Credentials,
    nonce: &std::sync::atomic::AtomicU32,
    count: usize,
) -> Vec<HttpRequest> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (0..count)
        .map(|_| {
            let n = u64::from(nonce.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
            match call.request(config, creds, now, n) {
                Ok(r) => r.request,
                Err(e) => panic!("{e}"),
            }
        })
        .collect()
}

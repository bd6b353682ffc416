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

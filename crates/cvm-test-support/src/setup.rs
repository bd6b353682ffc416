//! An emulator and client builders set up for tests: test credentials, fast retries, short timeouts.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cvm_client::{BuildClient, Builder};
use cvm_proto::encode;
use cvm_proto::models::RunInstancesRequest;
use cvm_proto::retry::RetryPolicy;
use cvm_proto::HttpRequest;
use cvm_proto::Params;
use cvm_proto::WaitOptions;
use cvm_sim::{AccountConfig, SimConfig, SimServer, Transitions};

use crate::secrets::{creds, PASSWORD, SECRET_ID, SECRET_KEY, TOKEN};

/// Retries with millisecond back-offs.
pub fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(max_attempts)
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .with_deadline(Duration::from_secs(30))
}

/// The local clock's Unix seconds.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// An emulator that knows the test account (with its session token) and has short transitions.
pub fn sim(config: SimConfig) -> SimServer {
    let config = config
        .with_accounts(vec![
            AccountConfig::new(SECRET_ID, SECRET_KEY).with_token(TOKEN)
        ])
        .with_transitions(Transitions::all(Duration::from_millis(200)));
    SimServer::start(config).unwrap()
}

/// A builder of either client for `server`, with the test credentials, a region, fast retries and short timeouts.
pub fn sim_client<C: BuildClient>(server: &SimServer) -> Builder<C> {
    Builder::default()
        .credentials(creds())
        .region("ap-guangzhou")
        .endpoint(server.endpoint())
        .retry(fast_retry(4))
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(5))
}

/// A builder of either client for a raw server at `url`: test credentials, 3 fast attempts, short timeouts.
pub fn raw_client<C: BuildClient>(url: &str) -> Builder<C> {
    Builder::default()
        .credentials(creds())
        .region("ap-guangzhou")
        .endpoint_url(url)
        .retry(fast_retry(3))
        .connect_timeout(Duration::from_millis(500))
        .timeout(Duration::from_millis(700))
}

/// Polls every 50 ms to 200 ms, for at most 20 s.
pub fn wait_options() -> WaitOptions {
    WaitOptions::new(
        Duration::from_millis(50),
        Duration::from_millis(200),
        Duration::from_secs(20),
    )
}

/// The walkthrough's `RunInstances`: one S1.SMALL1 in ap-guangzhou-2, with the test password.
pub fn walkthrough_request() -> RunInstancesRequest {
    crate::walkthrough::run_instances("S1.SMALL1", PASSWORD)
}

/// The decoded parameters of a prepared request, from its query (GET) or its body (POST).
pub fn params_of(request: &HttpRequest) -> Params {
    let raw = match request.url.split_once('?') {
        Some((_, query)) if request.body.is_empty() => query.as_bytes().to_vec(),
        _ => request.body.clone(),
    };
    encode::decode(&raw).unwrap()
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` form of a Unix time.
pub fn http_date(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(m - 1) as usize];
    format!(
        "{weekday}, {d:02} {month} {y} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

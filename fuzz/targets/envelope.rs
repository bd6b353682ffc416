//! Envelope parsing never panics on arbitrary bodies, into typed replies or into JSON, and the
//! typed and JSON parses agree: the same error from the envelope, the same `RequestId`, and a
//! shape error only where JSON succeeds.

use cvm_proto::envelope::{self, Error, Reply};
use cvm_proto::models::{DescribeInstancesResponse, RunInstancesResponse};
use serde::de::DeserializeOwned;

const LIMIT: usize = 1 << 20;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let json = envelope::parse_json(200, data, LIMIT);
    agree(
        &envelope::parse::<DescribeInstancesResponse>(200, data, LIMIT),
        &json,
    );
    agree(
        &envelope::parse::<RunInstancesResponse>(200, data, LIMIT),
        &json,
    );
    // Other statuses are errors whatever the body.
    assert!(matches!(
        envelope::parse::<RunInstancesResponse>(503, data, LIMIT),
        Err(Error::HttpStatus { status: 503, .. } | Error::TooLarge { .. })
    ));
}

fn agree<T: DeserializeOwned + std::fmt::Debug>(
    typed: &Result<Reply<T>, Error>,
    json: &Result<Reply<serde_json::Value>, Error>,
) {
    match (typed, json) {
        (Ok(t), Ok(j)) => assert_eq!(t.request_id, j.request_id),
        (Err(Error::Shape { request_id, .. }), Ok(j)) => assert_eq!(request_id, &j.request_id),
        (Err(a), Err(b)) => assert_eq!(a, b),
        (t, j) => panic!("typed and JSON parses disagree: {t:?} / {j:?}"),
    }
}

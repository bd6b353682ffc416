//! Reading decoded parameters into a typed request, as the emulator does with what it receives,
//! never panics; whatever passes the spec's checks and reads flattens again and reads back to
//! the same request. (Without the checks it need not: data types that replies carry too ignore
//! unknown keys, so `Placement.Bogus=1` reads as an empty `Placement`, which flattens to nothing;
//! the emulator refuses such keys with the checks before it reads.)

use cvm_proto::encode;
use cvm_proto::flatten;
use cvm_proto::models::{DescribeInstancesRequest, RunInstancesRequest};
use cvm_proto::validate;
use cvm_proto::Action;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let Ok(params) = encode::decode(data) else {
        return;
    };
    let _ = flatten::from_params::<serde_json::Value>(&params);
    round_trip::<RunInstancesRequest>(&params);
    round_trip::<DescribeInstancesRequest>(&params);
}

fn round_trip<T: Action + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    params: &cvm_proto::Params,
) {
    let Some(spec) = validate::action(T::NAME) else {
        return;
    };
    if validate::check_params(spec, validate::CVM_OBJECTS, params).is_err() {
        return;
    }
    if let Ok(request) = flatten::from_params::<T>(params) {
        let flat = flatten::to_params(&request).expect("a request read from parameters flattens");
        let again: T = flatten::from_params(&flat).expect("flattened parameters read back");
        assert_eq!(again, request);
    }
}

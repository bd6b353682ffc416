//! Inputs of the emulator benchmarks (`benches/sim.rs`, `examples/profile_sim.rs`): the emulator,
//! signed requests for it, and the floor every emulator pays per request.

use cvm_proto::models::RunInstancesRequest;
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::{encode, Context, Credentials, Endpoint, HttpMethod};
use cvm_sim::{Quotas, Sim, SimConfig, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use serde::Serialize;

/// The emulator's clock in the benchmarks, and the timestamp of their requests.
pub const NOW: u64 = 1_706_400_000;

/// The emulator's default credentials.
pub fn credentials() -> Credentials {
    Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)
        .unwrap_or_else(|e| unreachable!("the emulator's credentials are valid: {e}"))
}

/// An emulator without rate limit or instance quota, so that every iteration does the same work.
pub fn sim() -> Sim {
    let config = SimConfig {
        rate_limit: None,
        quotas: Quotas {
            max_instances_per_region: u32::MAX,
            ..Quotas::default()
        },
        ..SimConfig::default()
    };
    Sim::new(config).unwrap_or_else(|e| unreachable!("the emulator starts: {e}"))
}

/// `action` with `params`, signed as a POST with `nonce`, as the emulator receives it.
pub fn signed<P: Serialize>(action: &str, params: &P, nonce: u64) -> SimRequest {
    let ctx = Context::new(NOW, nonce)
        .region("ap-guangzhou")
        .method(HttpMethod::Post)
        .signature_method(SignatureMethod::HmacSha256);
    let req = cvm_proto::prepare(action, params, &credentials(), &Endpoint::global(), &ctx)
        .unwrap_or_else(|e| unreachable!("{e}"));
    SimRequest::from_prepared(&req.request)
}

/// The floor: what any emulator does with a request, decoding it and checking its signature.
#[inline(never)]
pub fn decode_verify(req: &SimRequest, creds: &Credentials) -> bool {
    let Ok(params) = encode::decode(&req.body) else {
        return false;
    };
    let host = req.header("host").unwrap_or_default();
    let Ok(sts) = sign::string_to_sign(HttpMethod::Post, host, &req.path, &params) else {
        return false;
    };
    let alg = SignatureMethod::from_param(params.get("SignatureMethod"));
    creds.verify(alg, &sts, params.get("Signature").unwrap_or_default())
}

/// A `RunInstances` of the walkthrough that the emulator accepts (its catalog's zone and image).
pub fn run_instances() -> RunInstancesRequest {
    let mut req = crate::run_instances_request();
    req.login_settings = None;
    req
}

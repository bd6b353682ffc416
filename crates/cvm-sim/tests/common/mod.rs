//! Helpers shared by the integration tests: signing requests with `cvm_proto::prepare` and calling a `Sim`.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use cvm_proto::sign::SignatureMethod;
use cvm_proto::{prepare, Context, HttpMethod};
use cvm_proto::{Credentials, Endpoint};
use cvm_sim::{
    Sim, SimConfig, SimRequest, SimResponse, Transitions, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};
use serde_json::{json, Value};

/// A fixed "now" for tests: 2024-01-28T00:00:00Z.
pub(crate) const T0: u64 = 1_706_400_000;

pub(crate) fn creds() -> Credentials {
    Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).unwrap()
}

/// A test configuration: instant transitions, no rate limit, fixed seed.
pub(crate) fn config() -> SimConfig {
    SimConfig::default()
        .with_seed(42)
        .with_rate_limit(None)
        .with_transitions(Transitions::instant())
}

/// Calls a `Sim` with correctly signed requests, a fresh nonce each time, at a settable virtual time.
pub(crate) struct Client {
    pub sim: Sim,
    pub creds: Credentials,
    pub now: Duration,
    pub nonce: u64,
    pub region: &'static str,
    pub method: HttpMethod,
    pub endpoint: Endpoint,
    pub signature_method: SignatureMethod,
    pub language: Option<&'static str>,
}

impl Client {
    pub(crate) fn new(config: SimConfig) -> Self {
        Client {
            sim: Sim::new(config).unwrap(),
            creds: creds(),
            now: Duration::from_secs(T0),
            nonce: 1,
            region: "ap-guangzhou",
            method: HttpMethod::Post,
            endpoint: Endpoint::global(),
            signature_method: SignatureMethod::HmacSha256,
            language: Some("en-US"),
        }
    }

    pub(crate) fn default() -> Self {
        Self::new(config())
    }

    pub(crate) fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    /// The signed request for `action` with `params` (a JSON object) at the current time.
    pub(crate) fn request(&mut self, action: &str, params: &Value) -> SimRequest {
        self.nonce += 1;
        let mut ctx = Context::new(self.now.as_secs(), self.nonce)
            .method(self.method)
            .signature_method(self.signature_method);
        ctx.language = self.language;
        if !self.region.is_empty() {
            ctx = ctx.region(self.region);
        }
        let prepared = prepare(action, params, &self.creds, &self.endpoint, &ctx)
            .unwrap()
            .request;
        SimRequest::from_prepared(&prepared)
    }

    pub(crate) fn send(&mut self, req: &SimRequest) -> SimResponse {
        let handled = self.sim.handle(req, self.now);
        assert_eq!(handled.fault, None, "unexpected fault");
        handled.response
    }

    pub(crate) fn call(&mut self, action: &str, params: Value) -> SimResponse {
        let req = self.request(action, &params);
        self.send(&req)
    }

    /// Calls and returns `Response`, panicking on an error reply.
    pub(crate) fn ok(&mut self, action: &str, params: Value) -> Value {
        let resp = self.call(action, params);
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.error_code(),
            None,
            "{action}: {}",
            String::from_utf8_lossy(&resp.body)
        );
        resp.response().unwrap()
    }

    /// Calls and returns the error code, panicking on success.
    pub(crate) fn err(&mut self, action: &str, params: Value) -> String {
        let resp = self.call(action, params);
        assert_eq!(resp.status, 200);
        resp.error_code().unwrap_or_else(|| {
            panic!(
                "{action} succeeded: {}",
                String::from_utf8_lossy(&resp.body)
            )
        })
    }

    /// Runs `count` S1.SMALL1 instances in ap-guangzhou-2 and returns their ids.
    pub(crate) fn run(&mut self, count: i64) -> Vec<String> {
        let r = self.ok("RunInstances", run_params(count));
        r["InstanceIdSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    pub(crate) fn state(&mut self, id: &str) -> String {
        let r = self.ok("DescribeInstancesStatus", json!({"InstanceIds": [id]}));
        r["InstanceStatusSet"][0]["InstanceState"]
            .as_str()
            .unwrap_or("GONE")
            .to_owned()
    }
}

pub(crate) fn run_params(count: i64) -> Value {
    json!({
        "Placement": {"Zone": "ap-guangzhou-2"},
        "InstanceType": "S1.SMALL1",
        "ImageId": "img-pmqg1cw7",
        "InstanceCount": count,
    })
}

/// Whether an error code is an authentication failure of either gateway.
pub(crate) fn is_auth_error(code: &str) -> bool {
    code.starts_with("AuthFailure")
        || matches!(
            code,
            "InvalidParameter.SignatureFailure"
                | "InvalidParameter.SecretIdNotFound"
                | "InvalidRequest.ReplayAttack"
                | "InvalidRequest.TokenCheckFailed"
                | "MissingParameter"
        )
}

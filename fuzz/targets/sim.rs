//! The emulator's `Sim::handle` never panics, whatever the request's parts, and answers every
//! request with HTTP 200 in the service's envelope (a 404 for an unknown path, a 400 for two
//! `Host` lines and injected faults aside). Requests come raw (any method, path, query, headers and
//! body), or signed with the test account's key from arbitrary parameters, so that they get past
//! authentication into the actions; such a request is never refused for its signature.

use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use cvm_proto::envelope::{self, Error};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::tc3;
use cvm_proto::{Context, HttpMethod};
use cvm_proto::{Credentials, Endpoint, Params};
use cvm_sim::{Sim, SimConfig, SimRequest, ACTIONS, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

/// The emulator's clock, Unix seconds.
const NOW: u64 = 1_706_400_000;

/// A request as any client could send it.
#[derive(Debug, Arbitrary)]
struct Raw {
    method: String,
    path: String,
    query: Vec<u8>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A request signed with the test account's key.
#[derive(Debug, Arbitrary)]
struct Signed {
    /// An index into the emulator's actions; past their end, `other` names the action.
    action: u8,
    other: String,
    get: bool,
    sha256: bool,
    params: Vec<(String, String)>,
    skew: i16,
    nonce: u32,
}

/// A TC3-HMAC-SHA256 request signed with the test account's key over an arbitrary body (for a
/// POST, any bytes, so that the emulator's JSON path sees malformed, deep and odd JSON) or query.
#[derive(Debug, Arbitrary)]
struct Tc3Signed {
    /// An index into the emulator's actions; past their end, `other` names the action.
    action: u8,
    other: String,
    get: bool,
    payload: Vec<u8>,
    content_type: Option<String>,
    skew: i16,
}

#[derive(Debug, Arbitrary)]
enum Step {
    Raw(Raw),
    Signed(Signed),
    Tc3(Tc3Signed),
}

/// Runs the target on one input: a few requests in a row to one fresh emulator.
pub(crate) fn run(data: &[u8]) {
    let Ok(steps) = Vec::<Step>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut sim = Sim::new(SimConfig::default()).expect("the default emulator starts");
    let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).expect("valid credentials");
    for step in steps.iter().take(8) {
        match step {
            Step::Raw(raw) => {
                let req = SimRequest {
                    method: raw.method.clone(),
                    path: raw.path.clone(),
                    query: raw.query.clone(),
                    headers: raw.headers.clone(),
                    body: raw.body.clone(),
                };
                answer(&mut sim, &req);
            }
            Step::Tc3(signed) => {
                let req = sign_tc3(signed, &creds);
                if let Some(code) = answer(&mut sim, &req) {
                    assert!(
                        !code.contains("SignatureFailure"),
                        "a correctly signed TC3 request was refused: {code} for {signed:?}"
                    );
                }
            }
            Step::Signed(signed) => {
                let Some(req) = sign(signed, &creds) else {
                    continue;
                };
                if let Some(code) = answer(&mut sim, &req) {
                    assert!(
                        !code.contains("SignatureFailure"),
                        "a correctly signed request was refused: {code} for {signed:?}"
                    );
                }
            }
        }
    }
}

/// Signs `signed` as the client does; `None` when the client itself refuses the parameters.
fn sign(signed: &Signed, creds: &Credentials) -> Option<SimRequest> {
    let action = ACTIONS
        .get(usize::from(signed.action))
        .copied()
        .unwrap_or(signed.other.as_str());
    let mut params = Params::new();
    for (k, v) in &signed.params {
        let _ = params.insert(k.as_str(), v.as_str());
    }
    let method = if signed.get {
        HttpMethod::Get
    } else {
        HttpMethod::Post
    };
    let alg = if signed.sha256 {
        SignatureMethod::HmacSha256
    } else {
        SignatureMethod::HmacSha1
    };
    let ctx = Context::new(
        NOW.saturating_add_signed(i64::from(signed.skew)),
        u64::from(signed.nonce),
    )
    .region("ap-guangzhou")
    .method(method)
    .signature_method(alg);
    let prepared =
        cvm_proto::prepare_flat(action, params, creds, &Endpoint::global(), &ctx).ok()?;
    Some(SimRequest::from_prepared(&prepared.request))
}

/// Signs `signed` with TC3 over its exact bytes, as any TC3 client could send them.
fn sign_tc3(signed: &Tc3Signed, creds: &Credentials) -> SimRequest {
    let action = ACTIONS
        .get(usize::from(signed.action))
        .copied()
        .unwrap_or(signed.other.as_str());
    let timestamp = NOW.saturating_add_signed(i64::from(signed.skew));
    let host = cvm_proto::GLOBAL_HOST;
    let (method, query, body) = if signed.get {
        let query = String::from_utf8_lossy(&signed.payload).into_owned();
        ("GET", query, Vec::new())
    } else {
        ("POST", String::new(), signed.payload.clone())
    };
    let content_type = signed.content_type.clone().unwrap_or_else(|| {
        if signed.get {
            cvm_proto::FORM_CONTENT_TYPE.to_owned()
        } else {
            tc3::JSON_CONTENT_TYPE.to_owned()
        }
    });
    let date = tc3::date_of(timestamp);
    let canonical = tc3::canonical_request(
        method,
        "/",
        &query,
        &[("content-type", &content_type), ("host", host)],
        tc3::DEFAULT_SIGNED_HEADERS,
        &tc3::sha256_hex(&body),
    );
    let sts = tc3::string_to_sign(timestamp, &date, "cvm", &canonical);
    let signature = creds.tc3_sign(&date, "cvm", &sts);
    let authorization = tc3::authorization(
        creds.secret_id(),
        &date,
        "cvm",
        tc3::DEFAULT_SIGNED_HEADERS,
        &signature,
    );
    let headers = [
        ("Host", host.to_owned()),
        ("Content-Type", content_type),
        ("X-TC-Action", action.to_owned()),
        ("X-TC-Version", cvm_proto::DEFAULT_VERSION.to_owned()),
        ("X-TC-Timestamp", timestamp.to_string()),
        ("X-TC-Region", "ap-guangzhou".to_owned()),
        ("Authorization", authorization),
    ];
    SimRequest {
        method: method.to_owned(),
        path: "/".to_owned(),
        query: query.into_bytes(),
        headers: headers
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        body,
    }
}

/// Hands `req` to the emulator and checks the reply's envelope; returns its error code, if any.
fn answer(sim: &mut Sim, req: &SimRequest) -> Option<String> {
    let handled = sim.handle(req, Duration::from_secs(NOW));
    let response = handled.response;
    if handled.fault.is_some() || response.status != 200 {
        return None;
    }
    match envelope::parse_json(200, &response.body, envelope::DEFAULT_BODY_LIMIT) {
        Ok(_) => None,
        Err(Error::Api(e)) => Some(e.code),
        Err(e) => panic!(
            "the emulator answered outside the envelope ({e}): {}",
            String::from_utf8_lossy(&response.body)
        ),
    }
}

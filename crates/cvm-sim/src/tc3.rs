//! TC3-HMAC-SHA256 requests (API 3.0): the `X-TC-*` headers, the `Authorization` header and the
//! JSON body, checked in the service's order, then the same actions and state as signature v1.

use std::time::Duration;

use cvm_proto::json::{self, JsonError};
use cvm_proto::tc3::{self, Authorization};
use cvm_proto::validate;
use cvm_proto::{
    encode, flatten, HttpMethod, Params, COMMON_PARAMS, DEFAULT_VERSION, MAX_GET_URL, MAX_TC3_BODY,
};
use serde_json::{Map, Value};

use crate::auth::{account_in, check_token, check_window};
use crate::error::ApiFailure;
use crate::request::SimRequest;
use crate::sim::{Cx, Sim, Stop};

fn invalid_authorization(why: impl std::fmt::Display) -> ApiFailure {
    ApiFailure::new(
        "AuthFailure.InvalidAuthorization",
        format!("The Authorization header is not a valid TC3-HMAC-SHA256 authorization: {why}."),
    )
}

fn signature_failure(why: &str) -> ApiFailure {
    ApiFailure::new(
        "AuthFailure.SignatureFailure",
        format!("The provided credentials could not be validated ({why}). Please check your signature is correct."),
    )
}

/// A required `X-TC-*` header, reported by its parameter name as the service does.
fn required<'r>(req: &'r SimRequest, header: &str, name: &str) -> Result<&'r str, ApiFailure> {
    req.header(header)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiFailure::missing(name))
}

/// Whether a content type is JSON (`application/json`, parameters such as `charset` allowed).
fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case(tc3::JSON_CONTENT_TYPE))
    })
}

/// The JSON object of a request body, read strictly: a key twice in an object is refused, as
/// serde_json would keep only the last.
pub(crate) fn json_body(body: &[u8]) -> Result<Map<String, Value>, ApiFailure> {
    json::parse_object(body).map_err(|e| {
        ApiFailure::invalid_parameter(match e {
            JsonError::NotObject { .. } => "The request body must be a JSON object.".to_owned(),
            JsonError::NotUtf8 { valid_up_to } => {
                format!("The request body is not UTF-8 (invalid byte at offset {valid_up_to}).")
            }
            JsonError::Syntax { message, .. } => {
                format!("The request body is not valid JSON: {message}.")
            }
            JsonError::DuplicateKey { key, line, column } => format!(
                "The request body has the key {key} twice in one object (line {line} column {column})."
            ),
        })
    })
}

/// The query string as text for the canonical request: a query that is not UTF-8 is refused,
/// as replacing its bad bytes would sign other text than the client sent.
pub(crate) fn query_text(query: &[u8]) -> Result<&str, ApiFailure> {
    std::str::from_utf8(query).map_err(|e| {
        ApiFailure::invalid_parameter(format!(
            "The query string is not UTF-8 (invalid byte at offset {}).",
            e.valid_up_to()
        ))
    })
}

/// The action's parameters: the JSON object of a POST, or the form-encoded query of a GET, flattened.
/// The JSON body is checked against the action's spec first, as JSON types are lost in flattening.
fn action_params(req: &SimRequest, method: HttpMethod, action: &str) -> Result<Params, ApiFailure> {
    match method {
        HttpMethod::Get => encode::decode(&req.query).map_err(|e| {
            ApiFailure::invalid_parameter(format!("The query string is malformed: {e}."))
        }),
        HttpMethod::Post => {
            let value = Value::Object(json_body(&req.body)?);
            if let Some(spec) = validate::action(action) {
                validate::check_json(spec, validate::CVM_OBJECTS, &value)
                    .map_err(|v| crate::actions::violation(&v))?;
            }
            flatten::to_params(&value).map_err(|e| {
                ApiFailure::invalid_parameter(format!("The request body cannot be read: {e}."))
            })
        }
    }
}

impl Sim {
    /// Handles a request that carries an `Authorization` header on the API 3.0 gateway.
    pub(crate) fn process_tc3(
        &mut self,
        req: &SimRequest,
        method: HttpMethod,
        authorization: &str,
        now: Duration,
        cx: &mut Cx,
    ) -> Result<crate::actions::Reply, Stop> {
        let host = req.header("host").unwrap_or_default();
        match method {
            HttpMethod::Get => {
                let query = if req.query.is_empty() {
                    0
                } else {
                    1 + req.query.len()
                };
                if "http://".len() + host.len() + req.path.len() + query > MAX_GET_URL {
                    return Err(ApiFailure::new(
                        "InvalidParameter",
                        "The request URL exceeds the GET limit of 32 KB; send the parameters as a JSON POST.",
                    )
                    .into());
                }
            }
            HttpMethod::Post => {
                if req.body.len() > MAX_TC3_BODY {
                    return Err(ApiFailure::new(
                        "InvalidParameter",
                        "The request body exceeds the TC3 limit of 10 MB.",
                    )
                    .into());
                }
                if !is_json(req.header("content-type")) {
                    return Err(ApiFailure::new(
                        "InvalidRequest",
                        "A TC3-HMAC-SHA256 POST must have Content-Type application/json.",
                    )
                    .into());
                }
            }
        }

        let action = required(req, "x-tc-action", "Action")?.to_owned();
        self.count_action(&action);
        let version = required(req, "x-tc-version", "Version")?;
        let timestamp = required(req, "x-tc-timestamp", "Timestamp")?;
        let timestamp: i64 = timestamp
            .parse()
            .map_err(|_| ApiFailure::invalid_parameter("Header `X-TC-Timestamp` type error."))?;
        if version != DEFAULT_VERSION {
            return Err(ApiFailure::new(
                "NoSuchVersion",
                format!("The requested version `{version}` of service `cvm` does not exist."),
            )
            .into());
        }
        crate::actions::check_action(&action)?;
        cx.english = req.header("x-tc-language") == Some("en-US");

        // Authentication, in the service's order.
        let auth = Authorization::parse(authorization).map_err(invalid_authorization)?;
        if let Some(name) = req.repeated_header(auth.header_names()) {
            return Err(crate::sim::repeated_header(name).into());
        }
        if auth.service != cvm_proto::SERVICE {
            return Err(invalid_authorization(format_args!(
                "the credential scope names service `{}`, not `cvm`",
                auth.service
            ))
            .into());
        }
        let account = account_in(&self.accounts, auth.secret_id)?;
        check_window(
            timestamp,
            self.server_time(now),
            self.config.timestamp_window_secs,
        )?;
        let Ok(unsigned) = u64::try_from(timestamp) else {
            return Err(signature_failure("the timestamp is negative").into());
        };
        if auth.date != tc3::date_of(unsigned) {
            return Err(signature_failure(
                "the credential date is not the UTC date of X-TC-Timestamp",
            )
            .into());
        }
        check_token(account, req.header("x-tc-token"), self.server_time(now))?;
        let query = query_text(&req.query)?;
        let header = |name: &str| req.header(name);
        let body: &[u8] = if method == HttpMethod::Get {
            b""
        } else {
            &req.body
        };
        let canonical =
            tc3::canonical_request_of(&auth, method.as_str(), &req.path, query, &header, body)
                .map_err(|e| signature_failure(&e.to_string()))?;
        let sts = tc3::string_to_sign(unsigned, auth.date, auth.service, &canonical);
        let key = account.creds.tc3_signing_key(auth.date, auth.service);
        if !key.verify(&sts, auth.signature) {
            return Err(signature_failure("the signature does not match").into());
        }
        let owner = account.owner.clone();
        let secret_id = auth.secret_id.to_owned();

        let mut params = action_params(req, method, &action)?;
        if let Some(common) = params
            .iter()
            .map(|(k, _)| k)
            .find(|k| COMMON_PARAMS.contains(k))
        {
            return Err(ApiFailure::new(
                "UnknownParameter",
                format!(
                    "The parameter `{common}` is not recognized; TC3 sends it as an X-TC-* header."
                ),
            )
            .into());
        }
        if let Some(region) = req.header("x-tc-region").filter(|r| !r.is_empty()) {
            params.insert("Region", region).map_err(|_| {
                ApiFailure::new(
                    "UnknownParameter",
                    "The parameter `Region` is not recognized in the body; send it as X-TC-Region.",
                )
            })?;
        }
        self.perform(&action, &secret_id, &owner, &params, cx, now)
    }
}

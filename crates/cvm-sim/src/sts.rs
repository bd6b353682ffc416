//! The credentials side of the emulator: the CVM metadata service's instance role and STS
//! `AssumeRole` / `AssumeRoleWithWebIdentity`, on the same listener as the CVM API.
//!
//! Routing: a `GET` below `/latest/meta-data/` is the metadata service; a request to `/` whose
//! `X-TC-Action` is an STS action is STS (CVM has no such actions). Issued credentials are
//! temporary accounts with a token and an expiry ([`StsConfig::lifetime_secs`] at most); a
//! request signed with them after the expiry is answered `AuthFailure.TokenFailure`.

use std::time::Duration;

use cvm_proto::tc3::{self, Authorization};
use cvm_proto::Credentials;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::auth::{account_in, check_token, check_window};
use crate::error::{ApiFailure, ApiResult};
use crate::request::{Handled, SimRequest, SimResponse};
use crate::sim::{Account, Sim};

/// The metadata path listing the instance's role.
pub const METADATA_ROLE_PATH: &str = "/latest/meta-data/cam/security-credentials/";

/// The STS actions the emulator answers.
const STS_ACTIONS: [&str; 2] = ["AssumeRole", "AssumeRoleWithWebIdentity"];

/// An OIDC provider whose web identity token `AssumeRoleWithWebIdentity` accepts.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcProvider {
    /// The provider id (`ProviderId`, `TKE_PROVIDER_ID`).
    pub provider_id: String,
    /// The one web identity token it accepts.
    pub token: String,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("provider_id", &self.provider_id)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The STS and metadata side of the emulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StsConfig {
    /// The longest life of issued credentials, in seconds (a shorter `DurationSeconds` is honoured).
    pub lifetime_secs: u64,
    /// The CAM role bound to "this instance", reported by the metadata service; `None` answers 404.
    pub instance_role: Option<String>,
    /// The OIDC providers `AssumeRoleWithWebIdentity` accepts.
    pub oidc_providers: Vec<OidcProvider>,
    /// The account owning the resources of credentials issued for the instance role and OIDC
    /// roles (the first account's owner when `None`); assumed roles act for their caller's owner.
    pub owner: Option<String>,
}

impl Default for StsConfig {
    fn default() -> Self {
        StsConfig {
            lifetime_secs: 7200,
            instance_role: None,
            oidc_providers: Vec::new(),
            owner: None,
        }
    }
}

/// How many credential requests the emulator has answered, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StsCounters {
    /// Metadata requests for the role list.
    pub metadata_role_list: u64,
    /// Metadata requests for a role's credentials (of an unknown role too).
    pub metadata_credentials: u64,
    /// `AssumeRole` requests.
    pub assume_role: u64,
    /// `AssumeRoleWithWebIdentity` requests.
    pub assume_role_with_web_identity: u64,
    /// Credentials issued in all.
    pub issued: u64,
}

/// The emulator's STS state: the counters.
#[derive(Debug, Default)]
pub(crate) struct StsState {
    counters: StsCounters,
}

fn api_error(request_id: &str, failure: &ApiFailure) -> SimResponse {
    json_response(
        200,
        &json!({"Response": {
            "Error": {"Code": failure.code, "Message": failure.message},
            "RequestId": request_id,
        }}),
    )
}

fn json_response(status: u16, value: &Value) -> SimResponse {
    SimResponse::new(status, "application/json", value.to_string().into_bytes())
}

fn handled(response: SimResponse) -> Handled {
    Handled {
        response,
        fault: None,
    }
}

fn role_arn_ok(arn: &str) -> bool {
    arn.strip_prefix("qcs::cam::uin/")
        .and_then(|rest| rest.split_once(":roleName/"))
        .is_some_and(|(uin, name)| {
            !uin.is_empty()
                && uin.bytes().all(|b| b.is_ascii_digit())
                && cvm_proto::metadata::is_role_name(name)
        })
}

impl Sim {
    /// How many credential requests the emulator has answered.
    pub fn sts_counters(&self) -> StsCounters {
        self.sts.counters
    }

    /// Answers a metadata or STS request, or `None` when `req` is neither.
    pub(crate) fn handle_credentials(
        &mut self,
        req: &SimRequest,
        now: Duration,
    ) -> Option<Handled> {
        if req.path.starts_with("/latest/meta-data/") {
            return Some(handled(self.metadata(req, now)));
        }
        // With two actions the request is not for STS to route; the API path refuses it.
        if req.repeated_header(["x-tc-action"]).is_some() {
            return None;
        }
        let action = req.header("x-tc-action")?;
        if req.path != "/" || !STS_ACTIONS.contains(&action) {
            return None;
        }
        let action = action.to_owned();
        let request_id = self.uuid();
        let result = if action == "AssumeRole" {
            self.sts.counters.assume_role += 1;
            self.assume_role(req, now)
        } else {
            self.sts.counters.assume_role_with_web_identity += 1;
            self.assume_role_with_web_identity(req, now)
        };
        Some(handled(match result {
            Ok(mut body) => {
                body["RequestId"] = Value::String(request_id);
                json_response(200, &json!({ "Response": body }))
            }
            Err(failure) => api_error(&request_id, &failure),
        }))
    }

    fn metadata(&mut self, req: &SimRequest, now: Duration) -> SimResponse {
        let not_found = || SimResponse::new(404, "text/plain", b"404 Not Found\n".to_vec());
        let Some(rest) = req.path.strip_prefix(METADATA_ROLE_PATH) else {
            return not_found();
        };
        if req.method != "GET" {
            return SimResponse::new(405, "text/plain", b"405 Method Not Allowed\n".to_vec());
        }
        let role = self.config.sts.instance_role.clone();
        if rest.is_empty() {
            self.sts.counters.metadata_role_list += 1;
            return match role {
                Some(role) => SimResponse::new(200, "text/plain", role.into_bytes()),
                None => not_found(),
            };
        }
        self.sts.counters.metadata_credentials += 1;
        if role.as_deref() != Some(rest) {
            return not_found();
        }
        let owner = self.default_owner();
        let lifetime = self.config.sts.lifetime_secs;
        let (id, key, token, expires) = self.issue(owner, lifetime, now);
        json_response(
            200,
            &json!({
                "TmpSecretId": id,
                "TmpSecretKey": key,
                "ExpiredTime": expires,
                "Expiration": cvm_proto::time::format_rfc3339(expires),
                "Token": token,
                "Code": "Success",
            }),
        )
    }

    fn default_owner(&self) -> String {
        self.config.sts.owner.clone().unwrap_or_else(|| {
            self.config
                .accounts
                .first()
                .map(|a| a.owner().to_owned())
                .unwrap_or_default()
        })
    }

    /// Issues temporary credentials acting for `owner`, living `secs` (at most the configured
    /// lifetime), and forgets issued ones that expired long ago.
    fn issue(&mut self, owner: String, secs: u64, now: Duration) -> (String, String, String, i64) {
        let server_now = self.server_time(now);
        let life = secs.min(self.config.sts.lifetime_secs);
        let expires = server_now.saturating_add(i64::try_from(life).unwrap_or(i64::MAX));
        let forget_before = server_now.saturating_sub(3600);
        self.accounts
            .retain(|_, a| a.expires_at.is_none_or(|at| at > forget_before));
        let hex = |s: String| s.replace('-', "");
        let id = format!("AKIDsts{}", hex(self.uuid()));
        let key = hex(self.uuid());
        let token = format!("{}{}", hex(self.uuid()), hex(self.uuid()));
        // These parts are plain hex, which Credentials always accepts.
        if let Ok(creds) =
            Credentials::new(id.clone(), key.clone()).and_then(|c| c.with_token(token.clone()))
        {
            self.accounts.insert(
                id.clone(),
                Account {
                    creds,
                    owner,
                    expires_at: Some(expires),
                },
            );
        }
        self.sts.counters.issued += 1;
        (id, key, token, expires)
    }

    fn issued_reply(&mut self, owner: String, params: &Value, now: Duration) -> ApiResult<Value> {
        let arn = params["RoleArn"].as_str().unwrap_or_default();
        if !role_arn_ok(arn) {
            return Err(ApiFailure::new(
                "InvalidParameter.RoleNotExist",
                "The role does not exist; RoleArn must be qcs::cam::uin/<uin>:roleName/<name>.",
            ));
        }
        let session = params["RoleSessionName"].as_str().unwrap_or_default();
        if session.is_empty() || session.len() > 128 {
            return Err(ApiFailure::invalid_parameter(
                "RoleSessionName is required and at most 128 characters.",
            ));
        }
        let secs = match &params["DurationSeconds"] {
            Value::Null => 7200,
            v => match v.as_u64() {
                Some(s @ 1..=43200) => s,
                _ => {
                    return Err(ApiFailure::invalid_parameter(
                        "DurationSeconds must be an integer from 1 to 43200.",
                    ))
                }
            },
        };
        let (id, key, token, expires) = self.issue(owner, secs, now);
        Ok(json!({
            "Credentials": {"TmpSecretId": id, "TmpSecretKey": key, "Token": token},
            "ExpiredTime": expires,
            "Expiration": cvm_proto::time::format_rfc3339(expires),
        }))
    }

    fn body_json(req: &SimRequest) -> ApiResult<Value> {
        crate::tc3::json_body(&req.body).map(Value::Object)
    }

    fn common_headers(&self, req: &SimRequest, now: Duration) -> ApiResult<i64> {
        if let Some(name) = req.repeated_header(crate::request::TC3_SINGLE_HEADERS.iter().copied())
        {
            return Err(crate::sim::repeated_header(name));
        }
        if req.method != "POST" {
            return Err(ApiFailure::new(
                "UnsupportedProtocol",
                "STS is emulated for JSON POST requests only.",
            ));
        }
        if req.header("x-tc-version") != Some(cvm_proto::sts::STS_VERSION) {
            return Err(ApiFailure::new(
                "NoSuchVersion",
                "The requested version of service `sts` does not exist.",
            ));
        }
        let timestamp: i64 = req
            .header("x-tc-timestamp")
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| ApiFailure::missing("Timestamp"))?;
        check_window(
            timestamp,
            self.server_time(now),
            self.config.timestamp_window_secs,
        )?;
        Ok(timestamp)
    }

    fn assume_role(&mut self, req: &SimRequest, now: Duration) -> ApiResult<Value> {
        let timestamp = self.common_headers(req, now)?;
        let header = req.header("authorization").ok_or_else(|| {
            ApiFailure::new(
                "AuthFailure.InvalidAuthorization",
                "Authorization is required.",
            )
        })?;
        let auth = Authorization::parse(header).map_err(|e| {
            ApiFailure::new(
                "AuthFailure.InvalidAuthorization",
                format!("The Authorization header is malformed: {e}."),
            )
        })?;
        if let Some(name) = req.repeated_header(auth.header_names()) {
            return Err(crate::sim::repeated_header(name));
        }
        if auth.service != cvm_proto::sts::STS_SERVICE {
            return Err(ApiFailure::new(
                "AuthFailure.InvalidAuthorization",
                format!(
                    "the credential scope names service `{}`, not `sts`",
                    auth.service
                ),
            ));
        }
        let failure = || {
            ApiFailure::new(
                "AuthFailure.SignatureFailure",
                "The provided credentials could not be validated. Please check your signature is correct.",
            )
        };
        let account = account_in(&self.accounts, auth.secret_id)?;
        let unsigned = u64::try_from(timestamp).map_err(|_| failure())?;
        if auth.date != tc3::date_of(unsigned) {
            return Err(failure());
        }
        check_token(account, req.header("x-tc-token"), self.server_time(now))?;
        let query = crate::tc3::query_text(&req.query)?;
        let lookup = |name: &str| req.header(name);
        let canonical =
            tc3::canonical_request_of(&auth, "POST", &req.path, query, &lookup, &req.body)
                .map_err(|_| failure())?;
        let sts = tc3::string_to_sign(unsigned, auth.date, auth.service, &canonical);
        if !account
            .creds
            .tc3_signing_key(auth.date, auth.service)
            .verify(&sts, auth.signature)
        {
            return Err(failure());
        }
        let owner = account.owner.clone();
        let params = Self::body_json(req)?;
        self.issued_reply(owner, &params, now)
    }

    fn assume_role_with_web_identity(
        &mut self,
        req: &SimRequest,
        now: Duration,
    ) -> ApiResult<Value> {
        self.common_headers(req, now)?;
        if req.header("authorization") != Some("SKIP") {
            return Err(ApiFailure::new(
                "AuthFailure.InvalidAuthorization",
                "AssumeRoleWithWebIdentity is sent unsigned, with Authorization: SKIP.",
            ));
        }
        let params = Self::body_json(req)?;
        let provider = params["ProviderId"].as_str().unwrap_or_default();
        let token = params["WebIdentityToken"].as_str().unwrap_or_default();
        let accepted = self
            .config
            .sts
            .oidc_providers
            .iter()
            .find(|p| p.provider_id == provider)
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidParameter.ProviderNotExist",
                    "The OIDC provider does not exist.",
                )
            })?;
        let ok: bool =
            subtle::ConstantTimeEq::ct_eq(accepted.token.as_bytes(), token.as_bytes()).into();
        if !ok {
            return Err(ApiFailure::new(
                "InvalidParameter.WebIdentityTokenError",
                "The web identity token is invalid or expired.",
            ));
        }
        let owner = self.default_owner();
        self.issued_reply(owner, &params, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use cvm_proto::sts::RoleRequest;
    use cvm_proto::Endpoint;

    const T0: u64 = 1_700_000_000;

    fn sim(sts: StsConfig) -> Sim {
        Sim::new(SimConfig::default().with_sts(sts)).unwrap()
    }

    fn at(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    fn base() -> Credentials {
        Credentials::new(
            crate::config::DEFAULT_SECRET_ID,
            crate::config::DEFAULT_SECRET_KEY,
        )
        .unwrap()
    }

    fn endpoint() -> Endpoint {
        Endpoint::parse("http://127.0.0.1:9/").unwrap()
    }

    #[test]
    fn assume_role_issues_credentials_that_expire() {
        let mut s = sim(StsConfig {
            lifetime_secs: 60,
            ..StsConfig::default()
        });
        let role = RoleRequest::new("qcs::cam::uin/100000000001:roleName/ops");
        let req =
            cvm_proto::sts::assume_role_request(&endpoint(), "ap-guangzhou", &base(), &role, T0)
                .unwrap();
        let h = s.handle(&SimRequest::from_prepared(&req), at(T0));
        let t = cvm_proto::sts::parse_reply(h.response.status, &h.response.body).unwrap();
        assert_eq!(t.expires_at, 1_700_000_060);
        assert_eq!(s.sts_counters().assume_role, 1);
        // A call signed with them works until they expire, then is refused as a bad token.
        let call = |s: &mut Sim, now: u64| {
            let ctx = cvm_proto::Context {
                region: Some("ap-guangzhou"),
                ..cvm_proto::Context::new(now, now)
            };
            let p = cvm_proto::prepare(
                "DescribeZones",
                &json!({}),
                &t.credentials,
                &endpoint(),
                &ctx,
            )
            .unwrap();
            s.handle(&SimRequest::from_prepared(&p.request), at(now))
                .response
                .error_code()
        };
        assert_eq!(call(&mut s, T0 + 59), None);
        assert_eq!(
            call(&mut s, T0 + 60).as_deref(),
            Some("AuthFailure.TokenFailure")
        );
        // A wrong signature and a bad ARN are refused.
        let wrong = Credentials::new(crate::config::DEFAULT_SECRET_ID, "nope").unwrap();
        let req =
            cvm_proto::sts::assume_role_request(&endpoint(), "ap-guangzhou", &wrong, &role, T0)
                .unwrap();
        let h = s.handle(&SimRequest::from_prepared(&req), at(T0));
        assert_eq!(
            h.response.error_code().as_deref(),
            Some("AuthFailure.SignatureFailure")
        );
        let bad = RoleRequest::new("ops");
        let req =
            cvm_proto::sts::assume_role_request(&endpoint(), "ap-guangzhou", &base(), &bad, T0)
                .unwrap();
        let h = s.handle(&SimRequest::from_prepared(&req), at(T0));
        assert_eq!(
            h.response.error_code().as_deref(),
            Some("InvalidParameter.RoleNotExist")
        );
        // A header whose one value counts, given twice, is refused, even with a good signature.
        let req =
            cvm_proto::sts::assume_role_request(&endpoint(), "ap-guangzhou", &base(), &role, T0)
                .unwrap();
        let mut twice = SimRequest::from_prepared(&req);
        let timestamp = twice.header("X-TC-Timestamp").unwrap().to_owned();
        twice.headers.push(("x-tc-timestamp".into(), timestamp));
        let h = s.handle(&twice, at(T0));
        assert_eq!(h.response.error_code().as_deref(), Some("InvalidParameter"));
        // So is a query that is not UTF-8, rather than signed as other text.
        let mut bad_query = SimRequest::from_prepared(&req);
        bad_query.query = b"\xfe".to_vec();
        let h = s.handle(&bad_query, at(T0));
        let reply = h.response.json().unwrap();
        assert_eq!(
            reply["Response"]["Error"]["Message"],
            "The query string is not UTF-8 (invalid byte at offset 0)."
        );
    }

    #[test]
    fn the_metadata_service_reports_the_instance_role() {
        let mut s = sim(StsConfig::default());
        let list = cvm_proto::metadata::role_list_request(&endpoint());
        assert_eq!(
            s.handle(&SimRequest::from_prepared(&list), at(T0))
                .response
                .status,
            404
        );
        let mut s = sim(StsConfig {
            instance_role: Some("CVM_QcsRole".into()),
            ..StsConfig::default()
        });
        let h = s.handle(&SimRequest::from_prepared(&list), at(T0));
        let role =
            cvm_proto::metadata::parse_role_list(h.response.status, &h.response.body).unwrap();
        assert_eq!(role, "CVM_QcsRole");
        let req = cvm_proto::metadata::role_credentials_request(&endpoint(), &role).unwrap();
        let h = s.handle(&SimRequest::from_prepared(&req), at(T0));
        let t = cvm_proto::metadata::parse_role_credentials(h.response.status, &h.response.body)
            .unwrap();
        assert_eq!(t.expires_at, 1_700_007_200);
        let other = cvm_proto::metadata::role_credentials_request(&endpoint(), "Other").unwrap();
        assert_eq!(
            s.handle(&SimRequest::from_prepared(&other), at(T0))
                .response
                .status,
            404
        );
        assert_eq!(s.sts_counters().metadata_role_list, 1);
        assert_eq!(s.sts_counters().metadata_credentials, 2);
    }

    #[test]
    fn web_identity_needs_the_providers_token() {
        let mut s = sim(StsConfig {
            oidc_providers: vec![OidcProvider {
                provider_id: "prov".into(),
                token: "jwt-ok".into(),
            }],
            ..StsConfig::default()
        });
        let role = RoleRequest::new("qcs::cam::uin/1:roleName/pod");
        let send = |s: &mut Sim, provider: &str, token: &str| {
            let req = cvm_proto::sts::assume_role_with_web_identity_request(
                &endpoint(),
                "ap-guangzhou",
                provider,
                token,
                &role,
                T0,
            )
            .unwrap();
            s.handle(&SimRequest::from_prepared(&req), at(T0)).response
        };
        let ok = send(&mut s, "prov", "jwt-ok");
        assert!(cvm_proto::sts::parse_reply(ok.status, &ok.body).is_ok());
        assert_eq!(
            send(&mut s, "prov", "jwt-bad").error_code().as_deref(),
            Some("InvalidParameter.WebIdentityTokenError")
        );
        assert_eq!(
            send(&mut s, "other", "jwt-ok").error_code().as_deref(),
            Some("InvalidParameter.ProviderNotExist")
        );
        assert_eq!(s.sts_counters().assume_role_with_web_identity, 3);
        assert!(!format!("{:?}", s.config().sts).contains("jwt-ok"));
    }
}

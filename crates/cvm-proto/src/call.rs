//! One API call across its attempts: a sans-IO state machine that both transports drive.
//!
//! The transport asks [`Call::request`] for a signed request (passing the clock and a nonce),
//! sends it, and hands the outcome to [`Call::on_reply`] or [`Call::on_transport_error`], which
//! answer [`Step::Done`] or [`Step::Retry`]. All decisions live here; the transport only moves
//! bytes, reads the clock, draws random numbers and sleeps.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use thiserror::Error;

use crate::action::{self, Action, ActionInfo};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::envelope::{self, ErrorKind, Reply};
use crate::flatten;
use crate::params::Params;
use crate::request::{self, Context, HttpMethod, PrepareError, Prepared};
use crate::response::HttpResponse;
use crate::retry::{self, Decision, Failure, RetryPolicy, RetryState};
use crate::sign::SignatureMethod;
use crate::tc3_request::{sign_tc3, Tc3Params};

/// The error code with which the service says that a `DryRun` request would have succeeded.
pub const DRY_RUN_PASSED: &str = "DryRunOperation";

/// Settings shared by every call of a client: where to send, how to sign, how to retry, limits.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The `Region` parameter; `None` for region-less actions only.
    pub region: Option<String>,
    /// Where requests go.
    pub endpoint: Endpoint,
    /// The API version, `2017-03-12`.
    pub version: String,
    /// GET or POST (POST by default; a GET over 32 KB is sent as POST anyway).
    pub http_method: HttpMethod,
    /// HmacSHA256 by default.
    pub signature_method: SignatureMethod,
    /// The `Language` parameter.
    pub language: Option<String>,
    /// The `RequestClient` parameter.
    pub request_client: Option<String>,
    /// How failed attempts are retried.
    pub retry: RetryPolicy,
    /// The largest reply body accepted, 16 MiB by default.
    pub body_limit: usize,
    /// How long to wait for a connection.
    pub connect_timeout: Duration,
    /// How long one attempt may take in all.
    pub timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            region: None,
            endpoint: Endpoint::global(),
            version: request::DEFAULT_VERSION.to_owned(),
            http_method: HttpMethod::Post,
            signature_method: SignatureMethod::HmacSha256,
            language: Some("en-US".to_owned()),
            request_client: Some(request::REQUEST_CLIENT.to_owned()),
            retry: RetryPolicy::default(),
            body_limit: envelope::DEFAULT_BODY_LIMIT,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
        }
    }
}

impl ClientConfig {
    /// The default settings for `endpoint`.
    pub fn for_endpoint(endpoint: Endpoint) -> Self {
        Self {
            endpoint,
            ..Self::default()
        }
    }
}

/// How an attempt failed below HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// Whether the request may have reached the service (false for a refused connection or DNS failure).
    pub maybe_sent: bool,
    /// Whether the failure was a timeout.
    pub timed_out: bool,
    /// What the HTTP client said.
    pub message: String,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CallError {
    /// The request could not be built.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// The service answered with an error, or the reply was unusable.
    #[error(transparent)]
    Reply(#[from] envelope::Error),
    /// The HTTP exchange itself failed.
    #[error("{}: {message}", if *timed_out { "timed out" } else { "transport error" })]
    Transport {
        /// Whether it was a timeout.
        timed_out: bool,
        /// What the HTTP client said.
        message: String,
    },
}

impl CallError {
    /// The API error, when the service sent one.
    pub fn api(&self) -> Option<&envelope::ApiError> {
        match self {
            CallError::Reply(envelope::Error::Api(e)) => Some(e),
            _ => None,
        }
    }

    /// Whether the failure may pass if the call is made again later: a failure below HTTP, a
    /// gateway's HTTP error, an unreadable reply, throttling or the service's internal error.
    pub fn is_transient(&self) -> bool {
        match self {
            CallError::Transport { .. } => true,
            CallError::Reply(
                envelope::Error::HttpStatus { .. } | envelope::Error::InvalidJson { .. },
            ) => true,
            CallError::Reply(envelope::Error::Api(api)) => {
                matches!(api.kind, ErrorKind::Throttled | ErrorKind::Internal)
            }
            _ => false,
        }
    }

    /// Whether this is the service's way of saying a `DryRun` request passed every check.
    pub fn is_dry_run_passed(&self) -> bool {
        self.api().is_some_and(|e| e.code == DRY_RUN_PASSED)
    }
}

/// What a driver knows when an attempt ends, besides its outcome: the clock and a random draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// The local clock's Unix seconds when the outcome arrived (not corrected).
    pub now: u64,
    /// Time since the call's first attempt began.
    pub elapsed: Duration,
    /// A random value in 0..=1 for the back-off's jitter.
    pub jitter: f64,
}

/// What the transport does after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Step<T> {
    /// The call is over.
    Done(Result<Reply<T>, CallError>),
    /// Sleep `after`, then send a new attempt from [`Call::request`].
    #[non_exhaustive]
    Retry {
        /// How long to sleep.
        after: Duration,
        /// Whether the service asked to slow down (`RequestLimitExceeded`), so that calls sharing
        /// its budget can all pause.
        throttled: bool,
        /// Seconds to add to the local clock from now on, when the service's clock disagreed
        /// (learnt from an expired signature; see [`retry::clock_offset`]).
        clock_offset: Option<i64>,
    },
}

/// One logical call: the action, its flattened parameters (with a `ClientToken` where one
/// applies), whether it is safe to resend, and its retry bookkeeping.
#[derive(Clone)]
pub struct Call {
    action: String,
    params: Params,
    /// The same parameters as a JSON object, for a TC3 POST.
    json: Vec<u8>,
    idempotent: bool,
    /// The field and value of the idempotency token the call carries, if any.
    token: Option<(&'static str, String)>,
    /// Answers that mean an earlier attempt took effect.
    already_done: &'static [&'static str],
    /// Whether an attempt so far may have reached the service and taken effect.
    maybe_applied: bool,
    /// Whether the call changes state and is safe to repeat (it carries a token, or the action
    /// is idempotent), so that it is retried until the deadline rather than a few times.
    budgeted: bool,
    state: RetryState,
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("action", &self.action)
            .field("params", &self.params)
            .field("idempotent", &self.idempotent)
            .field("attempts", &self.state.attempts)
            .field("maybe_applied", &self.maybe_applied)
            .finish()
    }
}

impl Call {
    /// A call of `action` with any serializable parameters; `client_token` is used only when the
    /// action takes a `ClientToken` and none was given.
    pub fn new<P: Serialize + ?Sized>(
        action: &str,
        params: &P,
        client_token: impl FnOnce() -> String,
    ) -> Result<Self, PrepareError> {
        let flat = flatten::to_params(params)?;
        Self::with_facts(action::info(action), action, params, flat, client_token)
    }

    /// A call of a typed request.
    pub fn typed<A: Action>(
        request: &A,
        client_token: impl FnOnce() -> String,
    ) -> Result<Self, PrepareError> {
        // Room for a typical request's parameters, so that the set does not grow in steps.
        let mut flat = Params::with_room(request::PREPARE_PARAMS, request::PREPARE_TEXT);
        request.flatten_into(&mut flat)?;
        let mut call =
            Self::with_facts(ActionInfo::of::<A>(), A::NAME, request, flat, client_token)?;
        call.idempotent |= request.is_idempotent();
        Ok(call)
    }

    /// A call of `action` whose facts are `info`: a token goes into its token field when the
    /// parameters have none, and it is idempotent when read-only or when it carries a token (for
    /// an action without a model, a `ClientToken` the caller gave).
    fn with_facts<P: Serialize + ?Sized>(
        info: ActionInfo,
        action: &str,
        params: &P,
        mut flat: Params,
        client_token: impl FnOnce() -> String,
    ) -> Result<Self, PrepareError> {
        let mut drawn = None;
        let has_token = match info.client_token {
            Some(field) => {
                if !flat.contains(field) {
                    let token = client_token();
                    flat.insert_str(field, &token)?;
                    drawn = Some((field, token));
                }
                true
            }
            None => flat.contains("ClientToken"),
        };
        let idempotent = info.read_only || has_token;
        // The JSON is about as long as the flat text: its keys are shorter, with quotes added.
        let room = flat.text_len() + 6 * flat.len() + 16;
        // The JSON form gets a drawn token too; one the caller gave is in it already.
        let json = json_of(params, drawn.as_ref().map(|(f, t)| (*f, t.as_str())), room)?;
        // The token field and value, whether drawn here or given by the caller.
        let token = drawn.or_else(|| {
            let field = info.client_token.or(has_token.then_some("ClientToken"))?;
            Some((field, flat.get(field)?.to_owned()))
        });
        Ok(Self {
            action: action.to_owned(),
            params: flat,
            json,
            idempotent: idempotent || info.idempotent,
            token,
            already_done: info.already_done,
            maybe_applied: false,
            budgeted: has_token || (info.idempotent && !info.read_only),
            state: RetryState::default(),
        })
    }

    /// The action name.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The action's own flat parameters (secrets redacted in `Debug`).
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Whether a transport failure may be retried.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.state.attempts
    }

    /// The idempotency token the call carries (`ClientToken`), if any: repeating the call with it
    /// returns the result of the first attempt that took effect.
    pub fn client_token(&self) -> Option<&str> {
        self.token.as_ref().map(|(_, t)| t.as_str())
    }

    /// Whether an attempt so far may have reached the service and taken effect (its reply was
    /// lost, it timed out, or the gateway failed), so that a failed call's effect is unknown.
    pub fn may_have_applied(&self) -> bool {
        self.maybe_applied
    }

    /// The retry policy for this call: one that changes state and is safe to repeat (it carries
    /// an idempotency token, or its action is idempotent, as terminating is) is retried on every
    /// transient outcome until the deadline, however many attempts that takes, so that a bad
    /// network cannot leave the state change half known.
    fn policy(&self, config: &ClientConfig) -> RetryPolicy {
        if self.budgeted {
            config.retry.with_max_attempts(u32::MAX)
        } else {
            config.retry
        }
    }

    /// The signed request of the next attempt at Unix time `now` (already clock-corrected) with `nonce`.
    pub fn request(
        &self,
        config: &ClientConfig,
        credentials: &Credentials,
        now: u64,
        nonce: u64,
    ) -> Result<Prepared, CallError> {
        let ctx = Context {
            region: config.region.as_deref(),
            version: &config.version,
            timestamp: now,
            nonce,
            method: config.http_method,
            signature_method: config.signature_method,
            language: config.language.as_deref(),
            request_client: config.request_client.as_deref(),
        };
        if ctx.signature_method.is_tc3() {
            let both = Tc3Params {
                flat: &self.params,
                json: Cow::Borrowed(&self.json),
            };
            return Ok(sign_tc3(
                &self.action,
                both,
                credentials,
                &config.endpoint,
                &ctx,
            )?);
        }
        let (n, bytes) = request::common_room(&self.action, credentials, &ctx);
        let params = self.params.clone_with_room(n, bytes);
        match request::prepare_flat(&self.action, params, credentials, &config.endpoint, &ctx) {
            Err(PrepareError::TooLarge { .. }) => Ok(request::prepare_fallback(
                &self.action,
                &self.json,
                credentials,
                &config.endpoint,
                &ctx,
            )?),
            other => Ok(other?),
        }
    }

    /// Takes what the service sent for the last attempt and decides what follows.
    ///
    /// Everything a driver needs is in the [`Step`]: an oversize reply reports the size its
    /// `Content-Length` announced, throttling is flagged, and an expired signature yields the
    /// clock offset to adopt (from the error message, or else the `Date` header).
    pub fn on_response<T: DeserializeOwned>(
        &mut self,
        config: &ClientConfig,
        response: &HttpResponse,
        timing: Timing,
    ) -> Step<T> {
        let err = match envelope::parse::<T>(response.status, &response.body, config.body_limit) {
            Ok(reply) => return Step::Done(Ok(reply)),
            Err(envelope::Error::Api(api))
                if self.maybe_applied && self.already_done.contains(&api.code.as_str()) =>
            {
                // A repeat found the effect of an earlier attempt in place: that is the success.
                match serde_json::from_value::<T>(serde_json::Value::Object(Default::default())) {
                    Ok(output) => {
                        return Step::Done(Ok(Reply {
                            output,
                            request_id: api.request_id.clone().unwrap_or_default(),
                        }))
                    }
                    Err(_) => envelope::Error::Api(api),
                }
            }
            Err(envelope::Error::TooLarge { size, limit }) => {
                let size = response
                    .content_length()
                    .filter(|&n| n > size)
                    .unwrap_or(size);
                envelope::Error::TooLarge { size, limit }
            }
            Err(mut err) => {
                if let envelope::Error::Api(api) = &mut err {
                    if api.kind == ErrorKind::SignatureExpired && api.server_time.is_none() {
                        api.server_time = response
                            .header("Date")
                            .and_then(|date| retry::parse_http_date(date, timing.now));
                    }
                }
                err
            }
        };
        let throttled =
            matches!(&err, envelope::Error::Api(api) if api.kind == ErrorKind::Throttled);
        let failure = Failure::from_envelope(&err);
        // A gateway error or an unreadable reply says nothing about whether the request ran.
        if matches!(failure, Failure::HttpStatus(_) | Failure::InvalidReply) {
            self.maybe_applied = true;
        }
        let decision = self.policy(config).decide(
            &mut self.state,
            &failure,
            self.idempotent,
            timing.elapsed,
            timing.jitter,
        );
        step(decision, CallError::Reply(err), throttled, timing.now)
    }

    /// Takes a failure below HTTP and decides what follows.
    pub fn on_transport_error<T>(
        &mut self,
        config: &ClientConfig,
        error: TransportError,
        timing: Timing,
    ) -> Step<T> {
        // A request that certainly never left (a refused connection) is retried the usual few
        // times: the time budget is for outcomes that leave the state change unknown.
        let (failure, policy) = if error.maybe_sent {
            self.maybe_applied = true;
            (Failure::Transport, self.policy(config))
        } else {
            (Failure::NotSent, config.retry)
        };
        let decision = policy.decide(
            &mut self.state,
            &failure,
            self.idempotent,
            timing.elapsed,
            timing.jitter,
        );
        let error = CallError::Transport {
            timed_out: error.timed_out,
            message: error.message,
        };
        step(decision, error, false, timing.now)
    }

    /// Takes the outcome of the last attempt, whichever it was.
    pub fn on_outcome<T: DeserializeOwned>(
        &mut self,
        config: &ClientConfig,
        outcome: Result<&HttpResponse, TransportError>,
        timing: Timing,
    ) -> Step<T> {
        match outcome {
            Ok(response) => self.on_response(config, response, timing),
            Err(error) => self.on_transport_error(config, error, timing),
        }
    }
}

/// `params` as a JSON object, with `token` (field, value) added when the object lacks it,
/// written into a buffer of `room` bytes to start with.
fn json_of<P: Serialize + ?Sized>(
    params: &P,
    token: Option<(&str, &str)>,
    room: usize,
) -> Result<Vec<u8>, PrepareError> {
    let json = |e: serde_json::Error| PrepareError::Json(e.to_string());
    let mut out = Vec::with_capacity(room);
    serde_json::to_writer(&mut out, params).map_err(json)?;
    let Some((field, token)) = token else {
        // Nothing to add: written straight out, without a `Value` tree in between.
        return Ok(out);
    };
    // An object that never names the field (as a generated request that leaves it unset) takes
    // the member before its closing brace, without the `Value` tree below, which cost most of a
    // typed RunInstances call. A field named anywhere, e.g. `"ClientToken": null`, goes the slow
    // way.
    if out.first() == Some(&b'{') && out.last() == Some(&b'}') && !names(&out, field) {
        out.pop();
        if out.len() > 1 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, field).map_err(json)?;
        out.push(b':');
        serde_json::to_writer(&mut out, token).map_err(json)?;
        out.push(b'}');
        return Ok(out);
    }
    let mut value = serde_json::to_value(params).map_err(json)?;
    if let serde_json::Value::Object(map) = &mut value {
        // The flat parameters had no such key, so a member that is not a string (`null`, `[]`,
        // `{}`) left the field unset there, and the drawn token takes its place here too.
        if !map.get(field).is_some_and(serde_json::Value::is_string) {
            map.insert(field.to_owned(), serde_json::Value::from(token));
        }
    }
    serde_json::to_vec(&value).map_err(json)
}

/// Whether JSON text holds `name` as a whole string (a member's name or a value) anywhere. A
/// name of letters, as a field's is, is never escaped, so its bytes stand as they are.
fn names(json: &[u8], name: &str) -> bool {
    memchr::memmem::find_iter(json, name.as_bytes()).any(|at| {
        at.checked_sub(1).and_then(|b| json.get(b)) == Some(&b'"')
            && json.get(at + name.len()) == Some(&b'"')
    })
}

/// The step a retry decision leads to.
fn step<T>(decision: Decision, err: CallError, throttled: bool, now: u64) -> Step<T> {
    match decision {
        Decision::Retry { after } => Step::Retry {
            after,
            throttled,
            clock_offset: None,
        },
        Decision::CorrectClock { server_time } => Step::Retry {
            after: Duration::ZERO,
            throttled,
            clock_offset: Some(retry::clock_offset(server_time, now)),
        },
        Decision::GiveUp => Step::Done(Err(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode;
    use crate::models::{
        DescribeZonesRequest, RebootInstancesRequest, RunInstancesRequest, RunInstancesResponse,
        TerminateInstancesRequest, TerminateInstancesResponse,
    };
    use serde_json::json;

    fn creds() -> Credentials {
        Credentials::new("AKIDtest", "secret").unwrap()
    }

    fn config() -> ClientConfig {
        ClientConfig {
            region: Some("ap-guangzhou".into()),
            retry: RetryPolicy {
                max_attempts: 3,
                ..RetryPolicy::default()
            },
            ..ClientConfig::default()
        }
    }

    fn at(now: u64, jitter: f64) -> Timing {
        Timing {
            now,
            elapsed: Duration::ZERO,
            jitter,
        }
    }

    fn reply(body: &[u8]) -> HttpResponse {
        HttpResponse::new(200, body)
    }

    fn sent(req: &Prepared) -> Params {
        encode::decode(&req.request.body).unwrap()
    }

    #[test]
    fn the_json_form_holds_the_request_and_only_a_drawn_token_is_added() {
        let value = |call: &Call| serde_json::from_slice::<serde_json::Value>(&call.json).unwrap();
        let zones = DescribeZonesRequest::default();
        let call = Call::typed(&zones, || unreachable!("no token for a read")).unwrap();
        assert_eq!(value(&call), serde_json::to_value(&zones).unwrap());

        let run = RunInstancesRequest {
            instance_name: Some("web".into()),
            ..RunInstancesRequest::default()
        };
        let call = Call::typed(&run, || "tok-drawn".into()).unwrap();
        let mut expected = serde_json::to_value(&run).unwrap();
        expected["ClientToken"] = json!("tok-drawn");
        assert_eq!(value(&call), expected);

        let given = RunInstancesRequest {
            client_token: Some("tok-given".into()),
            ..run
        };
        let call = Call::typed(&given, || unreachable!("a token was given")).unwrap();
        assert_eq!(value(&call), serde_json::to_value(&given).unwrap());
        assert_eq!(call.client_token(), Some("tok-given"));

        let raw = Call::new("DescribeZones", &json!({"Zones": ["a"]}), String::new).unwrap();
        assert_eq!(value(&raw), json!({"Zones": ["a"]}));

        // Any other value goes through a `Value` tree, where a `null` token is a field left
        // unset: both forms get the drawn token.
        let untyped = json!({"InstanceName": "web", "ClientToken": null});
        let call = Call::new("RunInstances", &untyped, || "tok-drawn".into()).unwrap();
        assert_eq!(
            value(&call),
            json!({"InstanceName": "web", "ClientToken": "tok-drawn"})
        );
        assert_eq!(call.params().get("ClientToken"), Some("tok-drawn"));
        let empty = Call::typed(&RunInstancesRequest::default(), || "tok-\"q".into()).unwrap();
        assert_eq!(value(&empty), json!({"ClientToken": "tok-\"q"}));
    }

    #[test]
    fn a_drawn_token_is_one_member_of_the_json_whatever_the_value_writes() {
        /// The JSON of `v` with a drawn token `tok`, which must name the field once.
        fn with<T: Serialize>(v: &T) -> serde_json::Value {
            let bytes = json_of(v, Some(("ClientToken", "tok")), 0).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            assert_eq!(text.matches("\"ClientToken\"").count(), 1, "{text}");
            serde_json::from_str(&text).unwrap()
        }
        // A hand-written request that writes an unset field as `null`.
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct ByHand {
            client_token: Option<String>,
            instance_name: String,
        }
        let by_hand = ByHand {
            client_token: None,
            instance_name: "web".into(),
        };
        assert_eq!(
            with(&by_hand),
            json!({"InstanceName": "web", "ClientToken": "tok"})
        );
        for unset in [json!(null), json!([]), json!({})] {
            assert_eq!(
                with(&json!({"ClientToken": unset, "A": 1})),
                json!({"A": 1, "ClientToken": "tok"})
            );
        }
        // Named elsewhere: the nested member stays, the top level gets the token.
        let nested = json!({"Data": {"ClientToken": "inner"}, "B": "ClientToken"});
        let mut expected = nested.clone();
        expected["ClientToken"] = json!("tok");
        let text = String::from_utf8(json_of(&nested, Some(("ClientToken", "tok")), 0).unwrap());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text.unwrap()).unwrap(),
            expected
        );
        // Names that only hold the field's name are not it.
        assert!(!names(
            br#"{"ClientTokens":1,"XClientToken":2}"#,
            "ClientToken"
        ));
        assert!(names(br#"{"A":"ClientToken"}"#, "ClientToken"));
        assert!(names(br#"{"ClientToken":null}"#, "ClientToken"));
    }

    #[test]
    fn run_instances_gets_one_token_for_all_attempts() {
        let call = Call::typed(&RunInstancesRequest::default(), || "tok-1".into()).unwrap();
        assert!(call.is_idempotent());
        let a = call.request(&config(), &creds(), 100, 1).unwrap();
        let b = call.request(&config(), &creds(), 101, 2).unwrap();
        assert_eq!(sent(&a).get("ClientToken"), Some("tok-1"));
        assert_eq!(sent(&b).get("ClientToken"), Some("tok-1"));
        assert_ne!(sent(&a).get("Signature"), sent(&b).get("Signature"));
        assert_eq!(sent(&b).get("Timestamp"), Some("101"));
        assert_eq!(sent(&b).get("Nonce"), Some("2"));

        let given = RunInstancesRequest {
            client_token: Some("mine".into()),
            ..Default::default()
        };
        let call = Call::typed(&given, || unreachable!("a token was given")).unwrap();
        assert_eq!(call.params().get("ClientToken"), Some("mine"));
    }

    #[test]
    fn a_non_idempotent_action_is_not_retried_after_a_transport_failure() {
        let mut call = Call::typed(&RebootInstancesRequest::new(["ins-1"]), String::new).unwrap();
        assert!(!call.is_idempotent());
        let err = TransportError {
            maybe_sent: true,
            timed_out: true,
            message: "read timeout".into(),
        };
        let step: Step<serde_json::Value> =
            call.on_transport_error(&config(), err.clone(), at(0, 0.5));
        assert!(matches!(
            step,
            Step::Done(Err(CallError::Transport {
                timed_out: true,
                ..
            }))
        ));
        assert!(call.may_have_applied());
        let mut describe = Call::typed(&DescribeZonesRequest::default(), String::new).unwrap();
        let step: Step<serde_json::Value> = describe.on_transport_error(&config(), err, at(0, 0.5));
        assert!(matches!(step, Step::Retry { .. }));
    }

    #[test]
    fn terminate_is_retried_and_a_repeat_that_finds_it_going_is_success() {
        let mut call =
            Call::typed(&TerminateInstancesRequest::new(["ins-1"]), String::new).unwrap();
        assert!(call.is_idempotent());
        let going = br#"{"Response":{"Error":{"Code":"UnsupportedOperation.InstanceStateTerminating","Message":"m"},"RequestId":"r2"}}"#;
        // On a first attempt the answer is an error: nothing of ours was in flight.
        let mut fresh = call.clone();
        let step: Step<TerminateInstancesResponse> =
            fresh.on_response(&config(), &reply(going), at(0, 0.5));
        assert!(matches!(step, Step::Done(Err(_))), "{step:?}");
        // After a lost reply, the repeat that finds the instance terminating is the success.
        let lost = TransportError {
            maybe_sent: true,
            timed_out: false,
            message: "connection reset".into(),
        };
        let step: Step<TerminateInstancesResponse> =
            call.on_transport_error(&config(), lost, at(0, 0.5));
        assert!(matches!(step, Step::Retry { .. }), "{step:?}");
        let step: Step<TerminateInstancesResponse> =
            call.on_response(&config(), &reply(going), at(0, 0.5));
        let Step::Done(Ok(done)) = step else {
            panic!("{step:?}")
        };
        assert_eq!(done.request_id, "r2");
        // A gateway error counts as possibly applied too.
        let mut gateway =
            Call::typed(&TerminateInstancesRequest::new(["ins-1"]), String::new).unwrap();
        let step: Step<TerminateInstancesResponse> = gateway.on_response(
            &config(),
            &HttpResponse::new(502, "bad gateway"),
            at(0, 0.5),
        );
        assert!(matches!(step, Step::Retry { .. }), "{step:?}");
        let gone = br#"{"Response":{"Error":{"Code":"InvalidInstanceId.NotFound","Message":"m"},"RequestId":"r3"}}"#;
        let step: Step<TerminateInstancesResponse> =
            gateway.on_response(&config(), &reply(gone), at(0, 0.5));
        assert!(matches!(step, Step::Done(Ok(_))), "{step:?}");
    }

    #[test]
    fn a_call_with_a_client_token_is_retried_until_the_deadline() {
        let mut call = Call::typed(&RunInstancesRequest::default(), || "tok".into()).unwrap();
        assert_eq!(call.client_token(), Some("tok"));
        let lost = TransportError {
            maybe_sent: true,
            timed_out: true,
            message: "timeout".into(),
        };
        // config() allows 3 attempts; a token call keeps going while the deadline allows.
        for _ in 0..10 {
            let step: Step<RunInstancesResponse> =
                call.on_transport_error(&config(), lost.clone(), at(0, 0.0));
            assert!(matches!(step, Step::Retry { .. }), "{step:?}");
        }
        let late = Timing {
            now: 0,
            elapsed: Duration::from_secs(3600),
            jitter: 0.0,
        };
        let step: Step<RunInstancesResponse> = call.on_transport_error(&config(), lost, late);
        assert!(matches!(step, Step::Done(Err(_))), "{step:?}");
        assert!(call.may_have_applied());
        let plain = Call::typed(&DescribeZonesRequest::default(), String::new).unwrap();
        assert_eq!(plain.client_token(), None);
    }

    #[test]
    fn throttling_retries_then_gives_up_with_the_last_error() {
        let mut call = Call::new(
            "RebootInstances",
            &json!({"InstanceIds": ["ins-1"]}),
            String::new,
        )
        .unwrap();
        let body = br#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"too fast"},"RequestId":"r"}}"#;
        for _ in 0..2 {
            let step: Step<serde_json::Value> =
                call.on_response(&config(), &reply(body), at(0, 1.0));
            assert!(
                matches!(
                    step,
                    Step::Retry {
                        clock_offset: None,
                        throttled: true,
                        ..
                    }
                ),
                "{step:?}"
            );
        }
        let step: Step<serde_json::Value> = call.on_response(&config(), &reply(body), at(0, 1.0));
        let Step::Done(Err(e)) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            e.to_string(),
            "RequestLimitExceeded: too fast (RequestId r)"
        );
        assert_eq!(call.attempts(), 3);
    }

    #[test]
    fn signature_expire_uses_message_or_date_header() {
        let mut call = Call::new("DescribeZones", &json!({}), String::new).unwrap();
        let body = br#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"r"}}"#;
        let mut dated = reply(body);
        dated
            .headers
            .push(("Date".into(), "Thu, 01 Jan 1970 00:16:40 GMT".into()));
        // The local clock says 400 when the reply arrives: the server is 600 s ahead.
        let step: Step<serde_json::Value> = call.on_response(&config(), &dated, at(400, 0.0));
        assert_eq!(
            step,
            Step::Retry {
                after: Duration::ZERO,
                throttled: false,
                clock_offset: Some(600)
            }
        );
        let step: Step<serde_json::Value> = call.on_response(&config(), &reply(body), at(400, 0.0));
        assert!(matches!(step, Step::Done(Err(_))));
    }

    #[test]
    fn success_is_done() {
        let mut call = Call::new("DescribeZones", &json!({}), String::new).unwrap();
        let step: Step<serde_json::Value> = call.on_response(
            &config(),
            &reply(br#"{"Response":{"TotalCount":0,"RequestId":"r"}}"#),
            at(0, 0.0),
        );
        let Step::Done(Ok(reply)) = step else {
            panic!()
        };
        assert_eq!(reply.request_id, "r");
    }

    #[test]
    fn other_errors_are_not_throttling() {
        let mut call = Call::new("DescribeZones", &json!({}), String::new).unwrap();
        let body =
            br#"{"Response":{"Error":{"Code":"InternalError","Message":"m"},"RequestId":"r"}}"#;
        let step: Step<serde_json::Value> = call.on_response(&config(), &reply(body), at(0, 0.0));
        assert!(
            matches!(
                step,
                Step::Retry {
                    throttled: false,
                    ..
                }
            ),
            "{step:?}"
        );
        let bad =
            br#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#;
        let step: Step<serde_json::Value> = call.on_response(&config(), &reply(bad), at(0, 0.0));
        assert!(matches!(step, Step::Done(Err(_))), "{step:?}");
    }

    #[test]
    fn an_oversize_reply_reports_its_announced_size() {
        let mut call = Call::new("DescribeZones", &json!({}), String::new).unwrap();
        let config = ClientConfig {
            body_limit: 4,
            retry: RetryPolicy::none(),
            ..config()
        };
        let mut big = reply(b"12345");
        big.headers.push(("Content-Length".into(), "1000".into()));
        let step: Step<serde_json::Value> = call.on_response(&config, &big, at(0, 0.0));
        let Step::Done(Err(CallError::Reply(envelope::Error::TooLarge { size, limit }))) = step
        else {
            panic!("{step:?}")
        };
        assert_eq!((size, limit), (1000, 4));
    }
}

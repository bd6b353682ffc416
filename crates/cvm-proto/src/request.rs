//! Request preparation: action, parameters, credentials and context in; a signed, transport-agnostic HTTP request out.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

use crate::action::Action;
use crate::credentials::Credentials;
use crate::encode;
use crate::endpoint::Endpoint;
use crate::flatten::{self, FlattenError};
use crate::params::{Params, ParamsError, REDACTED};
use crate::sign::{self, SignError, SignatureMethod, SIGNATURE};
use crate::tc3_request::{sign_tc3, Tc3Params};

/// The CVM API version this crate speaks.
pub const DEFAULT_VERSION: &str = "2017-03-12";
/// The service's limit on the length of a GET URL.
pub const MAX_GET_URL: usize = 32 * 1024;
/// The service's limit on a signature-v1 POST body.
pub const MAX_POST_BODY: usize = 1024 * 1024;
/// The `Content-Type` of a signature-v1 POST.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The `RequestClient` this crate sends unless told otherwise.
pub const REQUEST_CLIENT: &str = concat!("cvm-rs/", env!("CARGO_PKG_VERSION"));

/// The parameters every signature-v1 request carries besides its action's own (`Signature`
/// included), as [`add_common`] adds them; an action's parameters may use none of these names.
pub const COMMON_PARAMS: [&str; 11] = [
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "SignatureMethod",
    "Token",
    "Language",
    "RequestClient",
    SIGNATURE,
];

/// `GET` (parameters in the query) or `POST` (parameters in a form body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HttpMethod {
    /// Parameters in the URL's query string.
    Get,
    /// Parameters in an `application/x-www-form-urlencoded` body.
    #[default]
    Post,
}

impl HttpMethod {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A method name other than GET or POST.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unsupported HTTP method {0:?}; expected GET or POST")]
pub struct UnknownHttpMethod(pub String);

impl FromStr for HttpMethod {
    type Err = UnknownHttpMethod;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("get") {
            Ok(HttpMethod::Get)
        } else if s.eq_ignore_ascii_case("post") {
            Ok(HttpMethod::Post)
        } else {
            Err(UnknownHttpMethod(s.to_owned()))
        }
    }
}

/// Everything about one attempt that is not the action's own parameters: region, version, the
/// attempt's timestamp and nonce, methods, language and client name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context<'a> {
    /// The `Region` parameter; `None` for actions that take none, such as `DescribeRegions`.
    pub region: Option<&'a str>,
    /// The `Version` parameter, `2017-03-12` by default.
    pub version: &'a str,
    /// The `Timestamp` parameter: Unix seconds of this attempt.
    pub timestamp: u64,
    /// The `Nonce` parameter: a random positive integer, new for every attempt.
    pub nonce: u64,
    /// GET or POST; a GET whose URL would pass the 32 KB limit is sent as POST.
    pub method: HttpMethod,
    /// The HMAC algorithm, sent as `SignatureMethod`.
    pub signature_method: SignatureMethod,
    /// The `Language` parameter (`zh-CN` or `en-US`), if any.
    pub language: Option<&'a str>,
    /// The `RequestClient` parameter, if any.
    pub request_client: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A context for one attempt at `timestamp` with `nonce`: POST, HmacSHA256, version
    /// `2017-03-12`, `Language=en-US`, no region, this crate's `RequestClient`.
    pub fn new(timestamp: u64, nonce: u64) -> Self {
        Self {
            region: None,
            version: DEFAULT_VERSION,
            timestamp,
            nonce,
            method: HttpMethod::Post,
            signature_method: SignatureMethod::HmacSha256,
            language: Some("en-US"),
            request_client: Some(REQUEST_CLIENT),
        }
    }

    /// The same context for `region`.
    pub fn region(mut self, region: &'a str) -> Self {
        self.region = Some(region);
        self
    }

    /// The same context with another HTTP method.
    pub fn method(mut self, method: HttpMethod) -> Self {
        self.method = method;
        self
    }

    /// The same context with another signature method.
    pub fn signature_method(mut self, method: SignatureMethod) -> Self {
        self.signature_method = method;
        self
    }
}

/// A signed request ready to send: plain data that any HTTP client can carry.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: HttpMethod,
    /// The full URL; for GET it carries every parameter, `Signature` included.
    pub url: String,
    /// Headers to send: `Host`, and `Content-Type` for POST.
    pub headers: Vec<(&'static str, String)>,
    /// The form body for POST; empty for GET.
    pub body: Vec<u8>,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive), if set.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl HttpRequest {
    /// `message` (e.g. an HTTP client's error text) with this request's query, which carries the
    /// signature and any session token, replaced by `<redacted>`.
    pub fn redact(&self, message: String) -> String {
        redact_query(message, &self.url)
    }
}

/// Whether a header carries a secret: the TC3 `Authorization` (its signature) or the session token.
pub fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("Authorization") || name.eq_ignore_ascii_case(TC3_TOKEN_HEADER)
}

/// The header that carries the session token of a TC3 request.
pub const TC3_TOKEN_HEADER: &str = "X-TC-Token";

/// `message` with `url`'s query replaced by `<redacted>`.
pub(crate) fn redact_query(message: String, url: &str) -> String {
    match url.split_once('?') {
        Some((_, query)) if !query.is_empty() => message.replace(query, "<redacted>"),
        _ => message,
    }
}

impl fmt::Debug for HttpRequest {
    /// Shows the URL without its query and the body's length only, since both carry secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = self.url.split('?').next().unwrap_or_default();
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                if is_secret_header(name) {
                    (*name, REDACTED)
                } else {
                    (*name, value.as_str())
                }
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A signed request and what was signed, as aws-sigv4 returns its signing instructions: the
/// caller sends [`request`](Self::request) and may show [`redacted_string_to_sign`](Self::redacted_string_to_sign).
#[derive(Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The request to send.
    pub request: HttpRequest,
    signed: Signed,
    fallback: Option<&'static str>,
}

/// What was signed, by scheme.
#[derive(Clone, PartialEq, Eq)]
enum Signed {
    /// Signature v1: the complete parameters, the method the string to sign was built for, the
    /// HMAC, and where the path starts in the URL.
    V1 {
        params: Params,
        method: HttpMethod,
        algorithm: SignatureMethod,
        path_start: usize,
    },
    /// TC3: the canonical request and the string to sign (neither holds a secret).
    Tc3 {
        canonical_request: String,
        string_to_sign: String,
    },
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Prepared");
        d.field("request", &self.request)
            .field("signature_method", &self.signature_method());
        if let Some(params) = self.params() {
            d.field("params", params);
        }
        d.field("fallback", &self.fallback).finish()
    }
}

impl Prepared {
    fn v1(
        request: HttpRequest,
        params: Params,
        method: HttpMethod,
        algorithm: SignatureMethod,
        path_start: usize,
    ) -> Self {
        Self {
            request,
            signed: Signed::V1 {
                params,
                method,
                algorithm,
                path_start,
            },
            fallback: None,
        }
    }

    pub(crate) fn tc3(
        request: HttpRequest,
        canonical_request: String,
        string_to_sign: String,
    ) -> Self {
        Self {
            request,
            signed: Signed::Tc3 {
                canonical_request,
                string_to_sign,
            },
            fallback: None,
        }
    }

    fn with_fallback(mut self, why: &'static str) -> Self {
        self.fallback = Some(why);
        self
    }

    /// How the request was signed.
    pub fn signature_method(&self) -> SignatureMethod {
        match &self.signed {
            Signed::V1 { algorithm, .. } => *algorithm,
            Signed::Tc3 { .. } => SignatureMethod::Tc3HmacSha256,
        }
    }

    /// Every parameter a signature-v1 request signed (common ones included, `Signature`
    /// excluded); `None` for TC3. Secrets are redacted in `Debug`.
    pub fn params(&self) -> Option<&Params> {
        match &self.signed {
            Signed::V1 { params, .. } => Some(params),
            Signed::Tc3 { .. } => None,
        }
    }

    /// [`params`](Self::params), taken out.
    pub fn into_params(self) -> Option<Params> {
        match self.signed {
            Signed::V1 { params, .. } => Some(params),
            Signed::Tc3 { .. } => None,
        }
    }

    /// The TC3 canonical request, for debugging a rejected signature; `None` for signature v1.
    pub fn canonical_request(&self) -> Option<&str> {
        match &self.signed {
            Signed::Tc3 {
                canonical_request, ..
            } => Some(canonical_request),
            Signed::V1 { .. } => None,
        }
    }

    /// Why the request was signed otherwise than asked, e.g. with TC3 because signature v1 cannot carry it.
    pub fn fallback(&self) -> Option<&'static str> {
        self.fallback
    }

    /// The string that was signed; for signature v1 it holds every parameter's value, secrets included.
    pub fn string_to_sign(&self) -> String {
        match &self.signed {
            Signed::V1 {
                params,
                method,
                path_start,
                ..
            } => sign::string_to_sign(*method, self.host(), self.path(*path_start), params)
                .unwrap_or_default(),
            Signed::Tc3 { string_to_sign, .. } => string_to_sign.clone(),
        }
    }

    /// The string that was signed with `SecretId`, `Token` and passwords replaced by a marker,
    /// for people (a TC3 string to sign holds none of them).
    pub fn redacted_string_to_sign(&self) -> String {
        match &self.signed {
            Signed::V1 {
                params,
                method,
                path_start,
                ..
            } => {
                sign::redacted_string_to_sign(*method, self.host(), self.path(*path_start), params)
                    .unwrap_or_default()
            }
            Signed::Tc3 { string_to_sign, .. } => string_to_sign.clone(),
        }
    }

    fn host(&self) -> &str {
        self.request.header("Host").unwrap_or_default()
    }

    fn path(&self, path_start: usize) -> &str {
        let url = self.request.url.get(path_start..).unwrap_or("/");
        url.split('?').next().unwrap_or("/")
    }
}

/// Why a request could not be prepared.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PrepareError {
    /// The action name is empty or not alphanumeric.
    #[error("invalid action name {0:?}")]
    Action(String),
    /// The parameters could not be flattened.
    #[error("cannot flatten parameters: {0}")]
    Flatten(#[from] FlattenError),
    /// A parameter is malformed or clashes with a common parameter such as `Action` or `Region`.
    #[error(transparent)]
    Params(#[from] ParamsError),
    /// The parameters cannot be signed.
    #[error(transparent)]
    Sign(#[from] SignError),
    /// The region name is malformed.
    #[error(transparent)]
    Region(#[from] crate::endpoint::EndpointError),
    /// The nonce is zero; the service wants a positive integer.
    #[error("the nonce must be a positive integer")]
    ZeroNonce,
    /// A setting sent as a TC3 header holds a character a header cannot carry.
    #[error("the {0} holds a character that cannot be sent in a header")]
    HeaderValue(&'static str),
    /// The parameters could not be written as JSON.
    #[error("cannot write the parameters as JSON: {0}")]
    Json(String),
    /// [`prepare_flat`] was given a TC3 context: TC3 signs the JSON form of the parameters,
    /// which [`prepare`] and [`prepare_action`] write, not the flat form.
    #[error("flat parameters are signed with HmacSHA1 or HmacSHA256, not TC3-HMAC-SHA256 (prepare writes the JSON that TC3 signs)")]
    FlatTc3,
    /// The body is over the service's limit (1 MB for a signature-v1 form, 10 MB for TC3 JSON).
    #[error("request body is {size} bytes, over the service's limit of {limit} bytes")]
    TooLarge {
        /// Size of the encoded body.
        size: usize,
        /// The limit.
        limit: usize,
    },
}

/// Room in a parameter set for an action's own parameters, before it is flattened; the common
/// parameters are added to the same set.
pub(crate) const PREPARE_PARAMS: usize = 32;
/// Room for the text of the parameters, in bytes.
pub(crate) const PREPARE_TEXT: usize = 1024;

/// Flattens `params` and signs them with the common parameters of `ctx`: the one call a transport needs per attempt.
///
/// With [`SignatureMethod::Tc3HmacSha256`] the request is a JSON POST (or a GET of the flattened
/// parameters); a signature-v1 POST over 1 MB is sent with TC3 instead (see [`Prepared::fallback`]).
pub fn prepare<P: Serialize + ?Sized>(
    action: &str,
    params: &P,
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    let flatten = |flat: &mut Params, common: &[(&'static str, &str)]| {
        flatten::flatten_into(params, flat)?;
        Ok(flat.insert_sorted_known(common)?)
    };
    // The flattening is the only check there is of a value that is not a generated type.
    let check = || flatten::flatten_into(params, &mut Params::new());
    prepare_with(action, params, flatten, check, credentials, endpoint, ctx)
}

/// [`prepare`] of a typed request, flattened by its own [`Action::flatten_into`]: for the
/// generated types, directly and in signing order, without the serde walk. A TC3 POST is not
/// flattened at all; [`Action::check_finite`] guards its JSON instead.
pub fn prepare_action<A: Action>(
    request: &A,
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    prepare_with(
        A::NAME,
        request,
        |flat, common| request.flatten_with_common(flat, common),
        || request.check_finite(),
        credentials,
        endpoint,
        ctx,
    )
}

/// `params` as JSON, into a buffer with room for a typical request.
fn json_of<P: Serialize + ?Sized>(params: &P) -> Result<Vec<u8>, PrepareError> {
    let mut json = Vec::with_capacity(PREPARE_TEXT);
    serde_json::to_writer(&mut json, params).map_err(|e| PrepareError::Json(e.to_string()))?;
    Ok(json)
}

/// Prepares `params`, with `flatten` writing their flat form and `check` standing in for it
/// where only the JSON form is sent: it must fail whenever `flatten` would.
fn prepare_with<P: Serialize + ?Sized>(
    action: &str,
    params: &P,
    flatten: impl FnOnce(&mut Params, &[(&'static str, &str)]) -> Result<(), PrepareError>,
    check: impl FnOnce() -> Result<(), FlattenError>,
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    if ctx.signature_method.is_tc3() && ctx.method == HttpMethod::Post {
        check()?;
        let json = Tc3Params {
            flat: &Params::new(),
            json: Cow::Owned(json_of(params)?),
        };
        return sign_tc3(action, json, credentials, endpoint, ctx);
    }
    let mut flat = Params::with_room(PREPARE_PARAMS, PREPARE_TEXT);
    if ctx.signature_method.is_tc3() {
        // TC3 sends the common parameters as headers.
        flatten(&mut flat, &[])?;
        let both = Tc3Params {
            flat: &flat,
            json: Cow::Owned(json_of(params)?),
        };
        return sign_tc3(action, both, credentials, endpoint, ctx);
    }
    let mut digits = [itoa::Buffer::new(), itoa::Buffer::new()];
    let (common, n) = common_pairs(action, credentials, ctx, &mut digits)?;
    flatten(&mut flat, common.get(..n).unwrap_or_default())?;
    match sign_request_as(
        flat,
        ctx.signature_method,
        credentials,
        endpoint,
        ctx.method,
    ) {
        Err(PrepareError::TooLarge { .. }) => {
            let json = json_of(params)?;
            prepare_fallback(action, &json, credentials, endpoint, ctx)
        }
        other => other,
    }
}

/// Why a request asked for signature v1 went out with TC3.
pub const V1_TOO_LARGE: &str =
    "signature v1 cannot carry a body over 1 MB, so the request is sent with TC3-HMAC-SHA256";

/// The TC3 POST of a request that signature v1 cannot carry.
pub(crate) fn prepare_fallback(
    action: &str,
    json: &[u8],
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    let mut tc3_ctx = *ctx;
    tc3_ctx.method = HttpMethod::Post;
    tc3_ctx.signature_method = SignatureMethod::Tc3HmacSha256;
    // A POST reads only the JSON form.
    let flat = &Params::new();
    let prepared = sign_tc3(
        action,
        Tc3Params {
            flat,
            json: Cow::Borrowed(json),
        },
        credentials,
        endpoint,
        &tc3_ctx,
    )?;
    Ok(prepared.with_fallback(V1_TOO_LARGE))
}

/// Adds the common parameters of `ctx` to an action's already flat `params` and signs them:
/// [`prepare`] after flattening, and every attempt of a [`Call`](crate::call::Call).
pub fn prepare_flat(
    action: &str,
    mut params: Params,
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    if ctx.signature_method.is_tc3() {
        return Err(PrepareError::FlatTc3);
    }
    add_common(action, &mut params, credentials, ctx)?;
    sign_request_as(
        params,
        ctx.signature_method,
        credentials,
        endpoint,
        ctx.method,
    )
}

/// How many parameters [`add_common`] adds at most, and the length of their keys and values: the
/// room to leave in a set that they will be added to.
pub(crate) fn common_room(
    action: &str,
    credentials: &Credentials,
    ctx: &Context<'_>,
) -> (usize, usize) {
    let values = [
        Some(action),
        Some(ctx.version),
        ctx.region,
        Some(ctx.signature_method.as_str()),
        Some(credentials.secret_id()),
        credentials.token(),
        ctx.language,
        ctx.request_client,
    ];
    let keys: usize = COMMON_PARAMS.iter().map(|k| k.len()).sum();
    let numbers = 2 * 20;
    let text = keys + numbers + values.iter().flatten().map(|v| v.len()).sum::<usize>();
    let n = COMMON_PARAMS.len() - 1;
    // Each is kept as `key=value&`.
    (n, text + 2 * n)
}

/// Adds `Action`, `Version`, `Region`, `Timestamp`, `Nonce`, `SecretId`, `SignatureMethod`,
/// `Token`, `Language` and `RequestClient` to `params`; any already present is an error.
pub(crate) fn add_common(
    action: &str,
    params: &mut Params,
    credentials: &Credentials,
    ctx: &Context<'_>,
) -> Result<(), PrepareError> {
    let mut digits = [itoa::Buffer::new(), itoa::Buffer::new()];
    let (pairs, n) = common_pairs(action, credentials, ctx, &mut digits)?;
    params.insert_sorted_known(pairs.get(..n).unwrap_or_default())?;
    Ok(())
}

/// The common parameters of `ctx` for `action`, in byte order of their keys, as the first `n`
/// of an array; `digits` holds the text of the timestamp and the nonce.
#[allow(clippy::type_complexity)]
fn common_pairs<'a>(
    action: &'a str,
    credentials: &'a Credentials,
    ctx: &Context<'a>,
    digits: &'a mut [itoa::Buffer; 2],
) -> Result<([(&'static str, &'a str); 10], usize), PrepareError> {
    if !encode::is_wire_name(action) {
        return Err(PrepareError::Action(action.to_owned()));
    }
    if ctx.nonce == 0 {
        return Err(PrepareError::ZeroNonce);
    }
    let region = match ctx.region {
        Some(region) => Some(crate::endpoint::check_region(region).map(|()| region)?),
        None => None,
    };
    let [timestamp, nonce] = digits;
    let all = [
        ("Action", Some(action)),
        ("Language", ctx.language),
        ("Nonce", Some(flatten::decimal(ctx.nonce, nonce))),
        ("Region", region),
        ("RequestClient", ctx.request_client),
        ("SecretId", Some(credentials.secret_id())),
        ("SignatureMethod", Some(ctx.signature_method.as_str())),
        (
            "Timestamp",
            Some(flatten::decimal(ctx.timestamp, timestamp)),
        ),
        ("Token", credentials.token()),
        ("Version", Some(ctx.version).filter(|v| !v.is_empty())),
    ];
    let mut pairs = [("", ""); 10];
    let mut n = 0;
    for (key, value) in all {
        if let (Some(value), Some(slot)) = (value, pairs.get_mut(n)) {
            *slot = (key, value);
            n += 1;
        }
    }
    Ok((pairs, n))
}

/// The most that `&Signature=` and an encoded signature add to a query or body: 44 characters of
/// base64 (HMAC-SHA256), each percent-encoded at worst.
const SIGNATURE_ROOM: usize = "&Signature=".len() + 3 * 44;

/// Signs complete flat parameters (common ones included, `Signature` absent or ignored) for
/// `endpoint`, with the algorithm their `SignatureMethod` selects, and encodes them for `method`.
/// A GET whose URL would pass 32 KB is sent as POST; a POST body over 1 MB is an error.
pub fn sign_request(
    params: Params,
    credentials: &Credentials,
    endpoint: &Endpoint,
    method: HttpMethod,
) -> Result<Prepared, PrepareError> {
    let algorithm = sign::SignatureMethod::from_param(params.get("SignatureMethod"));
    sign_request_as(params, algorithm, credentials, endpoint, method)
}

/// [`sign_request`] with `algorithm`, which the caller knows is the one the parameters'
/// `SignatureMethod` selects (it wrote that parameter), so that it is not looked up.
fn sign_request_as(
    params: Params,
    algorithm: SignatureMethod,
    credentials: &Credentials,
    endpoint: &Endpoint,
    method: HttpMethod,
) -> Result<Prepared, PrepareError> {
    debug_assert_eq!(
        algorithm,
        SignatureMethod::from_param(params.get("SignatureMethod"))
    );
    let host = endpoint.host_header();
    let path = endpoint.path();
    let write_base = |out: &mut String| endpoint.write_url(&host, out);
    // Room for the URL or body when a third of the text at most is percent-encoded (it grows
    // once if more is).
    let raw_len = params.text_len() + 2 * params.len();
    let base_len = endpoint.url_len(&host);
    let wire_room = raw_len * 5 / 3 + SIGNATURE_ROOM;
    let path_start = base_len - path.len();
    // Only a set that is not kept in order needs its string to sign written out (then once).
    let mut sts = String::new();
    let sts_room = HttpMethod::Post.as_str().len() + host.len() + path.len() + 1 + raw_len;

    if method == HttpMethod::Get {
        let mut url = String::with_capacity(base_len + 1 + wire_room);
        write_base(&mut url);
        url.push('?');
        sign_and_encode(
            HttpMethod::Get,
            &host,
            path,
            &params,
            credentials,
            algorithm,
            (&mut sts, sts_room),
            &mut url,
        )?;
        if url.len() <= MAX_GET_URL {
            let request = HttpRequest {
                method,
                url,
                headers: vec![("Host", host)],
                body: Vec::new(),
            };
            return Ok(Prepared::v1(
                request,
                params,
                HttpMethod::Get,
                algorithm,
                path_start,
            ));
        }
        sts.clear();
    }
    let mut body = String::with_capacity(wire_room);
    sign_and_encode(
        HttpMethod::Post,
        &host,
        path,
        &params,
        credentials,
        algorithm,
        (&mut sts, sts_room),
        &mut body,
    )?;
    if body.len() > MAX_POST_BODY {
        return Err(PrepareError::TooLarge {
            size: body.len(),
            limit: MAX_POST_BODY,
        });
    }
    let mut url = String::with_capacity(base_len);
    write_base(&mut url);
    let request = HttpRequest {
        method: HttpMethod::Post,
        url,
        headers: vec![
            ("Host", host),
            ("Content-Type", FORM_CONTENT_TYPE.to_owned()),
        ],
        body: body.into_bytes(),
    };
    Ok(Prepared::v1(
        request,
        params,
        HttpMethod::Post,
        algorithm,
        path_start,
    ))
}

/// Signs `params` and writes them encoded, their new `Signature` last, to the end of `wire`. A
/// set kept in key order with plain keys is hashed straight from its text, without writing the
/// string to sign; any other is written to `sts` first (with the room given), in one pass over
/// the parameters when no key holds `_` (which the string to sign reads as `.`, so that it may
/// sort differently from the wire).
#[allow(clippy::too_many_arguments)]
fn sign_and_encode(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
    credentials: &Credentials,
    algorithm: SignatureMethod,
    (sts, sts_room): (&mut String, usize),
    wire: &mut String,
) -> Result<(), PrepareError> {
    let (signature, empty) = if params.has_underscore_key() {
        sts.reserve(sts_room);
        sign::write_string_to_sign(sts, method, host, path, params)?;
        encode::encode_pairs(params.iter().filter(|(k, _)| *k != SIGNATURE), wire);
        let empty = params.iter().all(|(k, _)| k == SIGNATURE);
        (credentials.signature_text(algorithm, sts), empty)
    } else {
        // `host` and `path` come from an `Endpoint`, which holds only ones that pass the checks
        // the string to sign makes (and stricter ones): they are not checked again on each call.
        debug_assert!(sign::check_host(host).is_ok() && sign::check_path(path).is_ok());
        if let Some(pairs) = encode_in_order(params, wire) {
            let parts = [
                method.as_str().as_bytes(),
                host.as_bytes(),
                path.as_bytes(),
                b"?",
                pairs.as_bytes(),
            ];
            let signature = credentials.signature_text_of_parts(algorithm, &parts);
            (signature, params.is_empty())
        } else {
            sts.reserve(sts_room);
            let empty = write_both(method, host, path, params, sts, wire);
            (credentials.signature_text(algorithm, sts), empty)
        }
    };
    if !empty {
        wire.push('&');
    }
    wire.push_str(SIGNATURE);
    wire.push('=');
    encode::encode_component(signature.as_str(), wire);
    Ok(())
}

/// The string to sign and the wire form of a set whose keys hold no `_`, in one pass; whether
/// the set had no pair to write (`Signature` is left out of both).
fn write_both(
    method: HttpMethod,
    host: &str,
    path: &str,
    params: &Params,
    sts: &mut String,
    wire: &mut String,
) -> bool {
    sts.push_str(method.as_str());
    sts.push_str(host);
    sts.push_str(path);
    sts.push('?');
    // The wire form of a pair that needs no escaping is its text in the string to sign, so runs
    // of such pairs (with their `&`) are copied from there in one piece.
    let mut run_start = sts.len();
    let mut empty = true;
    let plain_keys = params.keys_are_plain();
    for (k, v) in params {
        if k == SIGNATURE {
            continue;
        }
        if !empty {
            sts.push('&');
        }
        empty = false;
        let pair_start = sts.len();
        sts.push_str(k);
        sts.push('=');
        sts.push_str(v);
        if !((plain_keys || encode::is_unreserved(k)) && encode::is_unreserved(v)) {
            wire.push_str(sts.get(run_start..pair_start).unwrap_or_default());
            encode::encode_component(k, wire);
            wire.push('=');
            encode::encode_component(v, wire);
            run_start = sts.len();
        }
    }
    wire.push_str(sts.get(run_start..).unwrap_or_default());
    empty
}

/// For a set kept in key order with plain keys and no `Signature`, whose text is its pairs as
/// the string to sign writes them: writes the wire form (that text but for the values that need
/// escaping) and returns the pairs' text, the string to sign after its `?`. `None` (nothing
/// written) for any other set.
fn encode_in_order<'p>(params: &'p Params, wire: &mut String) -> Option<&'p str> {
    let pairs = params.signed_pairs()?;
    let bytes = pairs.as_bytes();
    let mut copied = 0;
    for value in params.maybe_reserved_value_ranges() {
        if !encode::is_unreserved_bytes(bytes.get(value.clone()).unwrap_or_default()) {
            wire.push_str(pairs.get(copied..value.start).unwrap_or_default());
            copied = value.end;
            encode::encode_component(pairs.get(value).unwrap_or_default(), wire);
        }
    }
    wire.push_str(pairs.get(copied..).unwrap_or_default());
    Some(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One change to a parameter set, for the property below.
    #[derive(Debug, Clone)]
    enum Change {
        Insert(String, String),
        Set(String, String),
        Remove(String),
    }

    fn change() -> impl proptest::strategy::Strategy<Value = Change> {
        use proptest::prelude::*;
        let key = "[A-Ca-c0-9.~-]{1,6}|Signature|Action";
        let value = "[a-z0-9 =&%~.-]{0,6}|\\PC{0,3}";
        prop_oneof![
            (key, value).prop_map(|(k, v)| Change::Insert(k, v)),
            (key, value).prop_map(|(k, v)| Change::Set(k, v)),
            key.prop_map(Change::Remove),
        ]
    }

    proptest::proptest! {
        /// The one-pass writer gives the string to sign and the wire form that the two separate
        /// writers give, whatever order the set was built in and however its values were
        /// replaced or removed (which leaves its text in pieces).
        #[test]
        fn one_pass_equals_two_passes(
            changes in proptest::collection::vec(change(), 0..24),
            get in proptest::bool::ANY,
        ) {
            let mut params = Params::new();
            for c in changes {
                match c {
                    Change::Insert(k, v) => { let _ = params.insert(k, v); }
                    Change::Set(k, v) => { let _ = params.set(k, v); }
                    Change::Remove(k) => { params.remove(&k); }
                }
            }
            proptest::prop_assume!(!params.has_underscore_key());
            let method = if get { HttpMethod::Get } else { HttpMethod::Post };
            let (mut sts, mut wire) = (String::new(), String::from("prefix?"));
            let empty = write_both(method, "cvm.tencentcloudapi.com", "/", &params, &mut sts, &mut wire);
            // Written out pair by pair here rather than by `sign`, which may copy an in-order set.
            let pairs: Vec<String> = params
                .iter()
                .filter(|(k, _)| *k != SIGNATURE)
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let want_sts =
                format!("{}cvm.tencentcloudapi.com/?{}", method.as_str(), pairs.join("&"));
            let mut want_wire = String::from("prefix?");
            encode::encode_pairs(params.iter().filter(|(k, _)| *k != SIGNATURE), &mut want_wire);
            proptest::prop_assert_eq!(sts, want_sts);
            proptest::prop_assert_eq!(wire, want_wire);
            proptest::prop_assert_eq!(empty, params.iter().all(|(k, _)| k == SIGNATURE));
        }
    }
    use std::collections::BTreeMap;

    fn creds() -> Credentials {
        Credentials::new(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        )
        .unwrap()
    }

    fn s1_context() -> Context<'static> {
        Context {
            region: Some("ap-guangzhou"),
            version: DEFAULT_VERSION,
            timestamp: 1465185768,
            nonce: 11886,
            method: HttpMethod::Get,
            signature_method: SignatureMethod::HmacSha1,
            language: Some("zh-CN"),
            request_client: Some("SDK_PYTHON_3.1.178"),
        }
    }

    #[test]
    fn reproduces_sdk_vector_s1_as_get() {
        let mut p = BTreeMap::new();
        p.insert("InstanceIds", serde_json::json!(["ins-09dx96dg"]));
        p.insert("Offset", serde_json::json!(0));
        p.insert("Limit", serde_json::json!(20));
        let req = prepare(
            "DescribeInstances",
            &p,
            &creds(),
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap()
        .request;
        assert_eq!(req.method, HttpMethod::Get);
        assert!(req
            .url
            .starts_with("https://cvm.tencentcloudapi.com/?Action=DescribeInstances&"));
        assert!(
            req.url
                .ends_with("&Signature=vfdM2xosUfTninpc5Z3F%2BlCqXs4%3D"),
            "{}",
            req.url
        );
        assert_eq!(req.header("host"), Some("cvm.tencentcloudapi.com"));
        assert!(req.body.is_empty());
    }

    #[test]
    fn flat_parameters_are_not_signed_as_tc3() {
        let ctx = s1_context().signature_method(SignatureMethod::Tc3HmacSha256);
        let got = prepare_flat(
            "DescribeInstances",
            Params::new(),
            &creds(),
            &Endpoint::global(),
            &ctx,
        );
        assert_eq!(got.err(), Some(PrepareError::FlatTc3));
    }

    #[test]
    fn post_has_form_body_and_content_type() {
        let ctx = s1_context().method(HttpMethod::Post);
        let req = prepare(
            "DescribeZones",
            &BTreeMap::<String, String>::new(),
            &creds(),
            &Endpoint::global(),
            &ctx,
        )
        .unwrap()
        .request;
        assert_eq!(req.url, "https://cvm.tencentcloudapi.com/");
        assert_eq!(req.header("Content-Type"), Some(FORM_CONTENT_TYPE));
        let body = String::from_utf8(req.body.clone()).unwrap();
        assert!(
            body.contains("Action=DescribeZones") && body.contains("&Signature="),
            "{body}"
        );
    }

    #[test]
    fn same_inputs_same_bytes() {
        let p = BTreeMap::from([("InstanceIds", vec!["a", "b"])]);
        let a = prepare(
            "TerminateInstances",
            &p,
            &creds(),
            &Endpoint::legacy(),
            &s1_context(),
        )
        .unwrap()
        .request;
        let b = prepare(
            "TerminateInstances",
            &p,
            &creds(),
            &Endpoint::legacy(),
            &s1_context(),
        )
        .unwrap()
        .request;
        assert_eq!(a, b);
        assert!(a
            .url
            .starts_with("https://cvm.api.qcloud.com/v2/index.php?"));
    }

    #[test]
    fn custom_port_is_in_host_and_signature() {
        let e = Endpoint::parse("http://127.0.0.1:8080/").unwrap();
        let req = prepare(
            "DescribeZones",
            &BTreeMap::<String, String>::new(),
            &creds(),
            &e,
            &s1_context(),
        )
        .unwrap()
        .request;
        assert_eq!(req.header("Host"), Some("127.0.0.1:8080"));
        let params = encode::decode(req.url.split_once('?').unwrap().1.as_bytes()).unwrap();
        let sts = sign::string_to_sign(HttpMethod::Get, "127.0.0.1:8080", "/", &params).unwrap();
        assert!(creds().verify(
            SignatureMethod::HmacSha1,
            &sts,
            params.get("Signature").unwrap()
        ));
    }

    #[test]
    fn long_get_becomes_post_and_huge_post_is_refused() {
        let big = "x".repeat(40 * 1024);
        let p = BTreeMap::from([("UserData", big)]);
        let req = prepare(
            "RunInstances",
            &p,
            &creds(),
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap()
        .request;
        assert_eq!(req.method, HttpMethod::Post);
        let params = encode::decode(&req.body).unwrap();
        let sts = sign::string_to_sign(HttpMethod::Post, "cvm.tencentcloudapi.com", "/", &params)
            .unwrap();
        assert!(sts.starts_with("POST"));
        assert!(creds().verify(
            SignatureMethod::HmacSha1,
            &sts,
            params.get("Signature").unwrap()
        ));

        // Signature v1 cannot carry a 1 MB body: it goes out with TC3 instead, and says so.
        let huge = BTreeMap::from([("UserData", "y".repeat(MAX_POST_BODY))]);
        let prepared = prepare(
            "RunInstances",
            &huge,
            &creds(),
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap();
        assert_eq!(prepared.fallback(), Some(V1_TOO_LARGE));
        assert_eq!(prepared.signature_method(), SignatureMethod::Tc3HmacSha256);
        assert_eq!(prepared.request.method, HttpMethod::Post);
        assert_eq!(
            prepared.request.header("Content-Type"),
            Some("application/json")
        );
        assert!(prepared.request.body.starts_with(br#"{"UserData":"yyy"#));

        // Over TC3's 10 MB it is refused.
        let too_huge = BTreeMap::from([("UserData", "y".repeat(crate::MAX_TC3_BODY))]);
        let err = prepare(
            "RunInstances",
            &too_huge,
            &creds(),
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap_err();
        assert!(
            matches!(err, PrepareError::TooLarge { limit, .. } if limit == crate::MAX_TC3_BODY),
            "{err}"
        );
    }

    #[test]
    fn clashes_and_bad_inputs_are_errors() {
        let p = BTreeMap::from([("Region", "x")]);
        let err = prepare(
            "DescribeZones",
            &p,
            &creds(),
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            PrepareError::Params(ParamsError::Duplicate("Region".into()))
        );
        let none = BTreeMap::<String, String>::new();
        assert!(matches!(
            prepare(
                "Bad Action",
                &none,
                &creds(),
                &Endpoint::global(),
                &s1_context()
            ),
            Err(PrepareError::Action(_))
        ));
        let mut ctx = s1_context();
        ctx.nonce = 0;
        assert_eq!(
            prepare("DescribeZones", &none, &creds(), &Endpoint::global(), &ctx),
            Err(PrepareError::ZeroNonce)
        );
        ctx = s1_context();
        ctx.region = Some("bad region");
        assert!(matches!(
            prepare("DescribeZones", &none, &creds(), &Endpoint::global(), &ctx),
            Err(PrepareError::Region(_))
        ));
        assert!(matches!(
            prepare(
                "DescribeZones",
                &42,
                &creds(),
                &Endpoint::global(),
                &s1_context()
            ),
            Err(PrepareError::Flatten(_))
        ));
    }

    #[test]
    fn token_is_sent_and_debug_hides_query() {
        let c = creds().with_token("tok/en+1=").unwrap();
        let req = prepare(
            "DescribeZones",
            &BTreeMap::<String, String>::new(),
            &c,
            &Endpoint::global(),
            &s1_context(),
        )
        .unwrap()
        .request;
        assert!(req.url.contains("Token=tok%2Fen%2B1%3D"));
        let dbg = format!("{req:?}");
        assert!(!dbg.contains("tok") && !dbg.contains("Signature"), "{dbg}");
    }
}

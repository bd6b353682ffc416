//! Preparing a TC3-HMAC-SHA256 request: the JSON POST (or the flattened GET) with its `X-TC-*`
//! headers and `Authorization`, from the same action parameters as a signature-v1 request.

use std::borrow::Cow;

use crate::credentials::Credentials;
use crate::encode;
use crate::endpoint::Endpoint;
use crate::params::Params;
use crate::request::{
    Context, HttpMethod, HttpRequest, PrepareError, Prepared, FORM_CONTENT_TYPE, MAX_GET_URL,
    TC3_TOKEN_HEADER,
};
use crate::tc3;

/// The service's limit on a TC3 POST body.
pub const MAX_TC3_BODY: usize = 10 * 1024 * 1024;

/// The service name in a CVM request's credential scope.
pub const SERVICE: &str = "cvm";

/// An action's parameters in the forms TC3 sends them: flat for a GET query, JSON for a POST.
#[derive(Debug, Clone)]
pub(crate) struct Tc3Params<'a> {
    /// The flattened parameters (for GET).
    pub(crate) flat: &'a Params,
    /// The JSON object of the parameters (for POST): owned when it was written for this request
    /// alone, so that it becomes the body without a copy.
    pub(crate) json: Cow<'a, [u8]>,
}

/// A header value the service reads: visible ASCII and spaces only, so that no value can end a
/// header or start another.
fn check_header(what: &'static str, value: &str) -> Result<(), PrepareError> {
    if value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(PrepareError::HeaderValue(what))
    }
}

/// Signs `params` of `action` with TC3 for `endpoint` under `ctx` (whose nonce TC3 does not use).
/// A GET whose URL would pass 32 KB is sent as a JSON POST; a POST body over 10 MB is an error.
pub(crate) fn sign_tc3(
    action: &str,
    params: Tc3Params<'_>,
    credentials: &Credentials,
    endpoint: &Endpoint,
    ctx: &Context<'_>,
) -> Result<Prepared, PrepareError> {
    if action.is_empty() || !action.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(PrepareError::Action(action.to_owned()));
    }
    if let Some(region) = ctx.region {
        crate::endpoint::check_region(region)?;
    }
    check_header("version", ctx.version)?;
    for (what, value) in [
        ("language", ctx.language),
        ("request client", ctx.request_client),
    ] {
        if let Some(value) = value {
            check_header(what, value)?;
        }
    }
    let host = endpoint.host_header();
    let mut base = String::with_capacity(endpoint.url_len(&host));
    endpoint.write_url(&host, &mut base);
    let mut method = ctx.method;
    let mut query = String::new();
    if method == HttpMethod::Get {
        query = encode::encode(params.flat);
        if base.len() + 1 + query.len() > MAX_GET_URL {
            method = HttpMethod::Post;
            query.clear();
        }
    }
    let (url, body, content_type) = match method {
        HttpMethod::Get if query.is_empty() => (base, Vec::new(), FORM_CONTENT_TYPE),
        HttpMethod::Get => {
            let mut url = base;
            url.reserve_exact(1 + query.len());
            url.push('?');
            url.push_str(&query);
            (url, Vec::new(), FORM_CONTENT_TYPE)
        }
        HttpMethod::Post => (base, params.json.into_owned(), tc3::JSON_CONTENT_TYPE),
    };
    if body.len() > MAX_TC3_BODY {
        return Err(PrepareError::TooLarge {
            size: body.len(),
            limit: MAX_TC3_BODY,
        });
    }

    let date = tc3::date_of(ctx.timestamp);
    let canonical_request = tc3::canonical_request(
        method.as_str(),
        endpoint.path(),
        &query,
        &[("content-type", content_type), ("host", &host)],
        tc3::DEFAULT_SIGNED_HEADERS,
        &tc3::sha256_hex(&body),
    );
    let string_to_sign = tc3::string_to_sign(ctx.timestamp, &date, SERVICE, &canonical_request);
    // The day's key is derived once per credentials, date and service, then reused.
    let signature = credentials.tc3_sign(&date, SERVICE, &string_to_sign);
    let authorization = tc3::authorization(
        credentials.secret_id(),
        &date,
        SERVICE,
        tc3::DEFAULT_SIGNED_HEADERS,
        &signature,
    );

    let mut headers = vec![
        ("Host", host),
        ("Content-Type", content_type.to_owned()),
        ("X-TC-Action", action.to_owned()),
        ("X-TC-Version", ctx.version.to_owned()),
        (
            "X-TC-Timestamp",
            crate::flatten::decimal(ctx.timestamp, &mut itoa::Buffer::new()).to_owned(),
        ),
    ];
    if let Some(region) = ctx.region {
        headers.push(("X-TC-Region", region.to_owned()));
    }
    if let Some(token) = credentials.token() {
        headers.push((TC3_TOKEN_HEADER, token.to_owned()));
    }
    if let Some(language) = ctx.language {
        headers.push(("X-TC-Language", language.to_owned()));
    }
    if let Some(client) = ctx.request_client {
        headers.push(("X-TC-RequestClient", client.to_owned()));
    }
    headers.push(("Authorization", authorization));
    let request = HttpRequest {
        method,
        url,
        headers,
        body,
    };
    Ok(Prepared::tc3(request, canonical_request, string_to_sign))
}

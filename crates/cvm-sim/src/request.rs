//! The plain-data HTTP exchange between the shell and the pure core: [`SimRequest`] in, [`Handled`] out.

use std::time::Duration;

use serde_json::Value;

/// One HTTP request as the shell received it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimRequest {
    /// The method, e.g. `GET` or `POST`.
    pub method: String,
    /// The path of the request target, without the query, e.g. `/` or `/v2/index.php`.
    pub path: String,
    /// The raw query string after `?` (empty when there is none).
    pub query: Vec<u8>,
    /// The headers in arrival order; names compare case-insensitively.
    pub headers: Vec<(String, String)>,
    /// The body (the shell never hands over more than the TC3 POST limit plus one byte).
    pub body: Vec<u8>,
}

impl SimRequest {
    /// A GET of `path?query` addressed to `host`.
    pub fn get(host: &str, path: &str, query: impl Into<Vec<u8>>) -> Self {
        SimRequest {
            method: "GET".to_owned(),
            path: path.to_owned(),
            query: query.into(),
            headers: vec![("Host".to_owned(), host.to_owned())],
            body: Vec::new(),
        }
    }

    /// A form POST of `body` to `path` addressed to `host`.
    pub fn post_form(host: &str, path: &str, body: impl Into<Vec<u8>>) -> Self {
        SimRequest {
            method: "POST".to_owned(),
            path: path.to_owned(),
            query: Vec::new(),
            headers: vec![
                ("Host".to_owned(), host.to_owned()),
                (
                    "Content-Type".to_owned(),
                    cvm_proto::FORM_CONTENT_TYPE.to_owned(),
                ),
            ],
            body: body.into(),
        }
    }

    /// The request a transport would send for a prepared [`cvm_proto::HttpRequest`].
    pub fn from_prepared(req: &cvm_proto::HttpRequest) -> Self {
        let after_scheme = req
            .url
            .split_once("://")
            .map_or(req.url.as_str(), |(_, rest)| rest);
        let target = after_scheme.find('/').map_or("/", |at| &after_scheme[at..]);
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        SimRequest {
            method: req.method.as_str().to_owned(),
            path: path.to_owned(),
            query: query.as_bytes().to_vec(),
            headers: req
                .headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            body: req.body.clone(),
        }
    }

    /// The first value of header `name` (case-insensitive). The emulator refuses a request
    /// that repeats a header whose one value counts, so the first is the only one.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first of `names` that the request has more than once, in any case: a header whose
    /// one value counts, given twice, leaves it unknown which one does.
    pub(crate) fn repeated_header<'n>(
        &self,
        names: impl IntoIterator<Item = &'n str>,
    ) -> Option<&'n str> {
        names.into_iter().find(|name| {
            self.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .nth(1)
                .is_some()
        })
    }
}

/// The headers of a signature-v1 request of which one value counts. (hyper passes on two equal
/// `Content-Length` lines; RFC 9110, 8.6, lets a recipient refuse them.)
pub(crate) const V1_SINGLE_HEADERS: &[&str] = &["content-type", "content-length"];

/// The headers of an API 3.0 request (TC3 or STS) of which one value counts; besides these,
/// every header the `Authorization` names as signed.
pub(crate) const TC3_SINGLE_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "x-tc-content-sha256",
    "x-tc-action",
    "x-tc-version",
    "x-tc-timestamp",
    "x-tc-region",
    "x-tc-token",
    "x-tc-language",
    "x-tc-requestclient",
];

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimResponse {
    /// The status code, 200 for every API reply.
    pub status: u16,
    /// The headers, `Content-Type` among them.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl SimResponse {
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        SimResponse {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body,
        }
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// `Response.Error.Code` of an API 3.0 envelope, or `codeDesc` of a legacy v2 one, if the reply is an error.
    pub fn error_code(&self) -> Option<String> {
        let v = self.json()?;
        if let Some(code) = v["Response"]["Error"]["Code"].as_str() {
            return Some(code.to_owned());
        }
        match v["code"].as_i64() {
            Some(0) | None => None,
            Some(_) => v["codeDesc"].as_str().map(str::to_owned),
        }
    }

    /// `Response.Error.Message` of an API 3.0 envelope, if the reply is an error.
    pub fn error_message(&self) -> Option<String> {
        self.json()?["Response"]["Error"]["Message"]
            .as_str()
            .map(str::to_owned)
    }

    /// The `Response` object of an API 3.0 envelope.
    pub fn response(&self) -> Option<Value> {
        self.json().map(|mut v| v["Response"].take())
    }
}

impl From<SimResponse> for cvm_proto::HttpResponse {
    /// The same status, headers and body, as a client's transport would hand them over.
    fn from(response: SimResponse) -> Self {
        cvm_proto::HttpResponse {
            status: response.status,
            headers: response.headers,
            body: response.body,
        }
    }
}

/// Something the HTTP shell must act out instead of, or besides, sending the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellFault {
    /// Close the connection without replying; the request was not processed.
    DropUnprocessed,
    /// Close the connection without replying; the request was processed and its effect stays.
    DropProcessed,
    /// Wait this long, then send the response.
    Delay(Duration),
}

/// What [`crate::Sim::handle`] decided: the response and any fault for the shell to act out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    /// The response to send (ignored when the fault drops the connection).
    pub response: SimResponse,
    /// A fault to act out, if one was injected.
    pub fault: Option<ShellFault>,
}

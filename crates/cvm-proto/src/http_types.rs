//! Conversions to and from the `http` crate's types (feature `http`), which hyper, reqwest,
//! tower and axum all use: an embedder sends `http::Request<Vec<u8>>` and hands back
//! `http::Response<Vec<u8>>` without writing any glue of its own.

use crate::request::{HttpMethod, HttpRequest};
use crate::response::HttpResponse;

impl TryFrom<HttpRequest> for http::Request<Vec<u8>> {
    type Error = http::Error;

    /// The same method, URL, headers and body; fails only on a URL or header the `http` crate refuses.
    fn try_from(request: HttpRequest) -> Result<Self, Self::Error> {
        let method = match request.method {
            HttpMethod::Get => http::Method::GET,
            HttpMethod::Post => http::Method::POST,
        };
        let mut builder = http::Request::builder().method(method).uri(request.url);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        builder.body(request.body)
    }
}

impl From<http::Response<Vec<u8>>> for HttpResponse {
    /// The status, every header whose value is text, and the body.
    fn from(response: http::Response<Vec<u8>>) -> Self {
        let (parts, body) = response.into_parts();
        let headers = parts
            .headers
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        HttpResponse {
            status: parts.status.as_u16(),
            headers,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_responses_convert() {
        let request = HttpRequest {
            method: HttpMethod::Post,
            url: "http://127.0.0.1:8080/".into(),
            headers: vec![("Host", "127.0.0.1:8080".into())],
            body: b"Action=DescribeZones".to_vec(),
        };
        let converted = http::Request::try_from(request).unwrap();
        assert_eq!(converted.method(), http::Method::POST);
        assert_eq!(converted.uri(), "http://127.0.0.1:8080/");
        assert_eq!(converted.headers()["host"], "127.0.0.1:8080");
        assert_eq!(converted.body(), b"Action=DescribeZones");

        let bad = HttpRequest {
            method: HttpMethod::Get,
            url: "not a url".into(),
            headers: vec![],
            body: vec![],
        };
        assert!(http::Request::try_from(bad).is_err());

        let response = http::Response::builder()
            .status(503)
            .header("Date", "Thu, 01 Jan 1970 00:16:40 GMT")
            .body(b"{}".to_vec())
            .unwrap();
        let ours = HttpResponse::from(response);
        assert_eq!(ours.status, 503);
        assert_eq!(ours.header("date"), Some("Thu, 01 Jan 1970 00:16:40 GMT"));
        assert_eq!(ours.body, b"{}");
    }
}

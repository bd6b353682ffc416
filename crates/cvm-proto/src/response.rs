//! What a transport hands back after sending an [`HttpRequest`](crate::HttpRequest): plain data.

/// What the service sent back: the status, the headers and (at most `body_limit + 1` bytes of) the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The headers, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body bytes; a transport stops reading one byte past the limit it was given.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// A reply with `status` and `body` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `Content-Length` header as a number, if present and valid.
    pub fn content_length(&self) -> Option<usize> {
        self.header("Content-Length")?.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_headers() {
        let r = HttpResponse {
            status: 200,
            headers: vec![
                ("content-length".into(), " 12 ".into()),
                ("Date".into(), "x".into()),
            ],
            body: vec![],
        };
        assert_eq!(r.header("DATE"), Some("x"));
        assert_eq!(r.content_length(), Some(12));
        assert_eq!(HttpResponse::new(500, "x").content_length(), None);
    }
}

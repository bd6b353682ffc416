//! Where requests go: scheme, host, port and path, with the presets of the CVM service.

use std::fmt;

use thiserror::Error;

/// The default API 3.0 host, answering from the nearest region.
pub const GLOBAL_HOST: &str = "cvm.tencentcloudapi.com";
/// The legacy ("API 2.0") gateway host.
pub const LEGACY_HOST: &str = "cvm.api.qcloud.com";
/// The legacy gateway's path.
pub const LEGACY_PATH: &str = "/v2/index.php";

/// `http` or `https`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Plain HTTP, for a local emulator.
    Http,
    /// HTTPS, which the real service requires.
    Https,
}

impl Scheme {
    /// `http` or `https`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// 80 or 443.
    pub fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// Why an endpoint is not usable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// The URL does not start with `http://` or `https://`.
    #[error("endpoint {0:?} must start with http:// or https://")]
    Scheme(String),
    /// The host is empty or holds characters a host name cannot have.
    #[error("endpoint host {0:?} is not a valid host name or address")]
    Host(String),
    /// The port is not a number from 1 to 65535.
    #[error("endpoint port {0:?} is not a number from 1 to 65535")]
    Port(String),
    /// The path holds a query, fragment, `%`, whitespace or control characters.
    #[error("endpoint path {0:?} may not contain '?', '#', '%', whitespace or control characters")]
    Path(String),
    /// The URL holds user information (`user:password@`), which is never sent and never shown.
    #[error(
        "endpoint URL must not contain user information (user:password@); it is not shown here"
    )]
    UserInfo,
    /// The region name holds characters other than `a-z`, `0-9` and `-`.
    #[error("region {0:?} may only contain a-z, 0-9 and '-'")]
    Region(String),
}

/// A service endpoint: scheme, host, optional port and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    scheme: Scheme,
    host: String,
    port: Option<u16>,
    path: String,
}

impl Endpoint {
    /// `https://cvm.tencentcloudapi.com/`, the API 3.0 endpoint.
    pub fn global() -> Self {
        Self {
            scheme: Scheme::Https,
            host: GLOBAL_HOST.to_owned(),
            port: None,
            path: "/".to_owned(),
        }
    }

    /// `https://cvm.<region>.tencentcloudapi.com/`, the endpoint of one region.
    pub fn regional(region: &str) -> Result<Self, EndpointError> {
        check_region(region)?;
        Ok(Self {
            scheme: Scheme::Https,
            host: format!("cvm.{region}.tencentcloudapi.com"),
            port: None,
            path: "/".to_owned(),
        })
    }

    /// `https://cvm.api.qcloud.com/v2/index.php`, the legacy gateway.
    pub fn legacy() -> Self {
        Self {
            scheme: Scheme::Https,
            host: LEGACY_HOST.to_owned(),
            port: None,
            path: LEGACY_PATH.to_owned(),
        }
    }

    /// Parses `scheme://host[:port][/path]`, e.g. `http://127.0.0.1:8080/` for a local emulator.
    pub fn parse(url: &str) -> Result<Self, EndpointError> {
        // Before anything is echoed in an error: a URL with user information may hold a secret.
        if lenient_authority(url).contains('@') {
            return Err(EndpointError::UserInfo);
        }
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else {
            return Err(EndpointError::Scheme(url.to_owned()));
        };
        let (authority, path) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, "/"),
        };
        let (host, port) = split_port(authority)?;
        check_host(host)?;
        check_path(path)?;
        let port = port.filter(|&p| p != scheme.default_port());
        Ok(Self {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path: path.to_owned(),
        })
    }

    /// The scheme.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The host name or address, without port.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, when it is not the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The path, `/` or `/v2/index.php` for the service.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The `Host` header, which is also the host in the string to sign: `host` or `host:port` when the port is not the default.
    pub fn host_header(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// Whether the host is this machine (`localhost` or a loopback address), where a proxy from
    /// the environment makes no sense and plain HTTP reveals nothing to the network.
    pub fn is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// `scheme://host[:port]/path`, without query.
    pub fn url(&self) -> String {
        let host = self.host_header();
        let mut out = String::with_capacity(self.url_len(&host));
        self.write_url(&host, &mut out);
        out
    }

    /// The length of [`url`](Self::url), given this endpoint's [`host_header`](Self::host_header).
    pub(crate) fn url_len(&self, host_header: &str) -> usize {
        self.scheme.as_str().len() + "://".len() + host_header.len() + self.path.len()
    }

    /// Appends [`url`](Self::url), given this endpoint's [`host_header`](Self::host_header)
    /// (which the request also sends, so it is built once).
    pub(crate) fn write_url(&self, host_header: &str, out: &mut String) {
        out.push_str(self.scheme.as_str());
        out.push_str("://");
        out.push_str(host_header);
        out.push_str(&self.path);
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url())
    }
}

impl std::str::FromStr for Endpoint {
    type Err = EndpointError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(s)
    }
}

fn split_port(authority: &str) -> Result<(&str, Option<u16>), EndpointError> {
    // An IPv6 literal is bracketed: `[::1]:8080`.
    let colon = if authority.starts_with('[') {
        authority
            .find(']')
            .and_then(|end| authority[end..].find(':').map(|c| end + c))
    } else {
        authority.rfind(':')
    };
    match colon {
        None => Ok((authority, None)),
        Some(at) => {
            let digits = &authority[at + 1..];
            match digits.parse::<u16>() {
                Ok(p) if p > 0 && digits.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok((&authority[..at], Some(p)))
                }
                _ => Err(EndpointError::Port(digits.to_owned())),
            }
        }
    }
}

fn check_host(host: &str) -> Result<(), EndpointError> {
    let ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.'))
    } else {
        !host.is_empty()
            && host.len() <= 253
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
            && !host.starts_with(['.', '-'])
    };
    if ok {
        Ok(())
    } else {
        Err(EndpointError::Host(host.to_owned()))
    }
}

fn check_path(path: &str) -> Result<(), EndpointError> {
    let bad = path
        .chars()
        .any(|c| matches!(c, '?' | '#' | '%') || c.is_whitespace() || c.is_control());
    if bad || !path.starts_with('/') {
        Err(EndpointError::Path(path.to_owned()))
    } else {
        Ok(())
    }
}

/// Where `url` would hold user information (`user:password@`), read as leniently as a browser
/// reads a mistyped URL: after any scheme and its `:`, and any run of `/` or `\`, up to the
/// next `/`, `\`, `?` or `#`.
fn lenient_authority(url: &str) -> &str {
    let rest = match url.split_once(':') {
        Some((scheme, rest))
            if scheme
                .bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')) =>
        {
            rest
        }
        _ => url,
    };
    let rest = rest.trim_start_matches(['/', '\\']);
    rest.split(['/', '\\', '?', '#']).next().unwrap_or(rest)
}

/// Checks a region name such as `ap-guangzhou`.
pub fn check_region(region: &str) -> Result<(), EndpointError> {
    // Every prepare checks its region, so without a branch per byte.
    if region.len() <= 64 && crate::encode::is_region_text(region) {
        Ok(())
    } else {
        Err(EndpointError::Region(region.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Signing trusts an endpoint's host and path without checking them again, so every way of
    /// making one gives only those the string to sign's own checks accept.
    fn signable(e: &Endpoint) -> bool {
        crate::sign::check_host(&e.host_header()).is_ok()
            && crate::sign::check_path(e.path()).is_ok()
    }

    #[test]
    fn every_endpoint_is_signable() {
        assert!(signable(&Endpoint::global()) && signable(&Endpoint::legacy()));
        assert!(signable(&Endpoint::regional("ap-guangzhou").unwrap()));
        for url in [
            "http://127.0.0.1:8080/",
            "https://[::1]:9000/x/y",
            "http://LocalHost/v2/index.php",
            "https://cvm.tencentcloudapi.com",
        ] {
            assert!(signable(&Endpoint::parse(url).unwrap()), "{url}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parsed_endpoints_are_signable(
            scheme in "https?://",
            host in "[a-zA-Z0-9.\\-]{1,12}|\\[[0-9a-f:.]{1,8}\\]|[a-z0-9.:\\[\\]_@\u{80}-]{0,12}",
            port in "(:[0-9]{0,6})?",
            path in "(/[a-zA-Z0-9._~%?# \u{7f}\u{a0}/-]{0,10})?",
        ) {
            if let Ok(e) = Endpoint::parse(&format!("{scheme}{host}{port}{path}")) {
                proptest::prop_assert!(signable(&e), "{:?}", e);
            }
        }
    }

    #[test]
    fn presets() {
        assert_eq!(Endpoint::global().url(), "https://cvm.tencentcloudapi.com/");
        assert_eq!(
            Endpoint::legacy().url(),
            "https://cvm.api.qcloud.com/v2/index.php"
        );
        let r = Endpoint::regional("ap-guangzhou").unwrap();
        assert_eq!(r.host_header(), "cvm.ap-guangzhou.tencentcloudapi.com");
        assert!(Endpoint::regional("ap guangzhou").is_err());
        assert!(Endpoint::regional("").is_err());
    }

    #[test]
    fn parses_custom_endpoints() {
        let e = Endpoint::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (e.scheme(), e.host(), e.port(), e.path()),
            (Scheme::Http, "127.0.0.1", Some(8080), "/")
        );
        assert_eq!(e.host_header(), "127.0.0.1:8080");
        let d = Endpoint::parse("https://CVM.example.com:443/v2/index.php").unwrap();
        assert_eq!(d.host_header(), "cvm.example.com");
        assert_eq!(d.path(), "/v2/index.php");
        let v6 = Endpoint::parse("http://[::1]:9000/").unwrap();
        assert_eq!(v6.host_header(), "[::1]:9000");
        assert_eq!(Endpoint::parse("http://[::1]/").unwrap().port(), None);
    }

    #[test]
    fn rejects_bad_endpoints() {
        assert!(matches!(
            Endpoint::parse("ftp://x/"),
            Err(EndpointError::Scheme(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://:80/"),
            Err(EndpointError::Host(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://a b/"),
            Err(EndpointError::Host(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://user@h/"),
            Err(EndpointError::UserInfo)
        ));
        for url in [
            "https://AKID:s3cr3t@cvm.tencentcloudapi.com/",
            "ftp://u:s3cr3t@h/",
            "u:s3cr3t@h",
            // Mistyped URLs, which a browser still reads as holding user information, and which
            // the scheme's error would otherwise repeat.
            "https:/u:s3cr3t@h/",
            "https:u:s3cr3t@h/",
            "https:\\\\u:s3cr3t@h/",
            "HTTPS://u:s3cr3t@h/",
            "https:///u:s3cr3t@h/",
        ] {
            let err = Endpoint::parse(url).unwrap_err();
            assert_eq!(err, EndpointError::UserInfo, "{url}");
            assert!(!err.to_string().contains("s3cr3t"));
        }
        assert!(matches!(
            Endpoint::parse("http://h:0/"),
            Err(EndpointError::Port(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://h:99999/"),
            Err(EndpointError::Port(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://h:+1/"),
            Err(EndpointError::Port(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://h/?a=1"),
            Err(EndpointError::Path(_))
        ));
        assert!(matches!(
            Endpoint::parse("http://h/%20"),
            Err(EndpointError::Path(_))
        ));
    }

    #[test]
    fn loopback_hosts() {
        for (url, lo) in [
            ("http://127.0.0.1:8080/", true),
            ("http://localhost/", true),
            ("http://[::1]:9/", true),
            ("https://cvm.tencentcloudapi.com/", false),
            ("http://10.0.0.1/", false),
        ] {
            assert_eq!(Endpoint::parse(url).unwrap().is_loopback(), lo, "{url}");
        }
    }
}

//! A reference point for `prepare` POST HmacSHA256 of the walkthrough's `RunInstances`: a writer
//! specialized by hand to the fields that request sets (it reads only those, and only the first
//! data disk), with every key a constant, no parameter set, the string to sign and the body
//! written in the same pass, and the HMAC's key state made once (as cvm keeps it per
//! credentials). It gives the same request as `prepare_action` (a test holds it to that), so it
//! shows how near a generator that emitted such writers could come to the bare HMAC. It still
//! writes the string to sign into a buffer before hashing it, as `prepare` does.

use base64::Engine as _;
use cvm_proto::encode::encode_component;
use cvm_proto::models::RunInstancesRequest;
use cvm_proto::{HttpMethod, HttpRequest};
use hmac::{Hmac, Mac};

/// The HMAC-SHA256 key state, made once per secret key.
pub type KeyState = Hmac<sha2::Sha256>;

/// The key state of `secret_key`.
pub fn key_state(secret_key: &[u8]) -> KeyState {
    match KeyState::new_from_slice(secret_key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC takes a key of any length"),
    }
}

/// The common parameters the walkthrough's context adds, other than the timestamp and nonce.
#[derive(Debug)]
pub struct Common<'a> {
    /// The value of `SecretId`.
    pub secret_id: &'a str,
    /// The value of `Region`.
    pub region: &'a str,
    /// The value of `Language`.
    pub language: &'a str,
    /// The value of `RequestClient`.
    pub request_client: &'a str,
}

impl<'a> Common<'a> {
    /// What the benches' context adds for `credentials` (`crate::context`).
    pub fn of_context(credentials: &'a cvm_proto::Credentials) -> Self {
        Self {
            secret_id: credentials.secret_id(),
            region: "ap-guangzhou",
            language: "en-US",
            request_client: cvm_proto::REQUEST_CLIENT,
        }
    }
}

/// Both texts at once: the string to sign's pairs and the form body.
struct Both {
    sts: String,
    body: String,
}

impl Both {
    /// A pair whose key is a constant: `&` (unless first) and `key=` go to both texts.
    fn key(&mut self, key: &'static str) {
        if self.body.is_empty() {
            self.sts.push_str(key);
            self.body.push_str(key);
        } else {
            self.sts.push('&');
            self.sts.push_str(key);
            self.body.push('&');
            self.body.push_str(key);
        }
        self.sts.push('=');
        self.body.push('=');
    }

    /// A value from the caller, escaped in the body as needed.
    fn text(&mut self, key: &'static str, value: &str) {
        self.key(key);
        self.sts.push_str(value);
        encode_component(value, &mut self.body);
    }

    /// A value known to need no escaping (digits, `true`, `false`).
    fn plain(&mut self, key: &'static str, value: &str) {
        self.key(key);
        self.both(value);
    }

    /// Text that needs no escaping, into both texts.
    fn both(&mut self, text: &str) {
        self.sts.push_str(text);
        self.body.push_str(text);
    }

    fn number(&mut self, key: &'static str, value: i64) {
        let mut digits = [0u8; 20];
        self.key(key);
        if value < 0 {
            self.both("-");
        }
        self.both(decimal(value.unsigned_abs(), &mut digits));
    }

    fn flag(&mut self, key: &'static str, value: bool) {
        self.plain(key, if value { "true" } else { "false" });
    }
}

/// `value` in decimal, written into `digits`.
fn decimal(value: u64, digits: &mut [u8; 20]) -> &str {
    let mut n = value;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    match std::str::from_utf8(&digits[at..]) {
        Ok(text) => text,
        Err(_) => unreachable!("decimal digits are ASCII"),
    }
}

/// The signed POST of `req` to `cvm.tencentcloudapi.com` under `key` (HmacSHA256), written by
/// the specialized writer; only the fields the walkthrough sets are read.
pub fn specialized_prepare(
    req: &RunInstancesRequest,
    key: &KeyState,
    common: &Common<'_>,
    timestamp: u64,
    nonce: u64,
) -> HttpRequest {
    const HOST: &str = "cvm.tencentcloudapi.com";
    let mut w = Both {
        sts: String::with_capacity(1024),
        body: String::with_capacity(1024),
    };
    w.sts.push_str("POST");
    w.sts.push_str(HOST);
    w.sts.push_str("/?");
    w.plain("Action", "RunInstances");
    if let Some(d) = req.data_disks.first() {
        if let Some(v) = d.disk_size {
            w.number("DataDisks.0.DiskSize", v);
        }
        if let Some(v) = &d.disk_type {
            w.text("DataDisks.0.DiskType", v);
        }
    }
    if let Some(e) = &req.enhanced_service {
        if let Some(v) = e.monitor_service.as_ref().and_then(|s| s.enabled) {
            w.flag("EnhancedService.MonitorService.Enabled", v);
        }
        if let Some(v) = e.security_service.as_ref().and_then(|s| s.enabled) {
            w.flag("EnhancedService.SecurityService.Enabled", v);
        }
    }
    if let Some(v) = &req.image_id {
        w.text("ImageId", v);
    }
    if let Some(v) = &req.instance_charge_type {
        w.text("InstanceChargeType", v);
    }
    if let Some(v) = req.instance_count {
        w.number("InstanceCount", v);
    }
    if let Some(v) = &req.instance_name {
        w.text("InstanceName", v);
    }
    if let Some(v) = &req.instance_type {
        w.text("InstanceType", v);
    }
    if let Some(i) = &req.internet_accessible {
        if let Some(v) = &i.internet_charge_type {
            w.text("InternetAccessible.InternetChargeType", v);
        }
        if let Some(v) = i.internet_max_bandwidth_out {
            w.number("InternetAccessible.InternetMaxBandwidthOut", v);
        }
        if let Some(v) = i.public_ip_assigned {
            w.flag("InternetAccessible.PublicIpAssigned", v);
        }
    }
    w.text("Language", common.language);
    if let Some(v) = req
        .login_settings
        .as_ref()
        .and_then(|l| l.password.as_deref())
    {
        w.text("LoginSettings.Password", v);
    }
    let mut digits = [0u8; 20];
    w.plain("Nonce", decimal(nonce, &mut digits));
    if let Some(v) = req.placement.as_ref().and_then(|p| p.zone.as_deref()) {
        w.text("Placement.Zone", v);
    }
    w.text("Region", common.region);
    w.text("RequestClient", common.request_client);
    w.text("SecretId", common.secret_id);
    w.plain("SignatureMethod", "HmacSHA256");
    if let Some(s) = &req.system_disk {
        if let Some(v) = s.disk_size {
            w.number("SystemDisk.DiskSize", v);
        }
        if let Some(v) = &s.disk_type {
            w.text("SystemDisk.DiskType", v);
        }
    }
    w.plain("Timestamp", decimal(timestamp, &mut digits));
    w.plain("Version", "2017-03-12");
    let mut mac = key.clone();
    mac.update(w.sts.as_bytes());
    let mut signature = [0u8; 44];
    let signature = match base64::engine::general_purpose::STANDARD
        .encode_slice(mac.finalize().into_bytes(), &mut signature)
        .map(|n| std::str::from_utf8(&signature[..n]))
    {
        Ok(Ok(text)) => text,
        _ => unreachable!("44 bytes hold the base64 of 32, which is ASCII"),
    };
    w.body.push_str("&Signature=");
    encode_component(signature, &mut w.body);
    HttpRequest {
        method: HttpMethod::Post,
        url: format!("https://{HOST}/"),
        headers: vec![
            ("Host", HOST.to_owned()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ],
        body: w.body.into_bytes(),
    }
}

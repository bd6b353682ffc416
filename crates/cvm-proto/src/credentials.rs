//! API credentials: a secret id, a secret key and an optional session token, kept out of sight.

use std::fmt;
use std::sync::{Arc, Mutex};

use thiserror::Error;
use zeroize::Zeroizing;

use crate::params::REDACTED;
use crate::sign::{self, SignatureMethod, SignatureText};

/// What is wrong with a credential.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A required part is empty.
    #[error("the {0} is empty")]
    Empty(&'static str),
    /// A part has leading or trailing whitespace, a frequent copy-and-paste slip.
    #[error("the {0} has leading or trailing whitespace")]
    Whitespace(&'static str),
    /// A part contains a control character.
    #[error("the {0} contains a control character")]
    Control(&'static str),
}

/// A secret id, a secret key and an optional session token (`Token`) of temporary credentials.
///
/// `Debug` shows only the secret id; the key and token are zeroized when dropped (with the last
/// clone: clones share one copy, so that a client hands them to every call without copying secrets).
#[derive(Clone)]
pub struct Credentials {
    inner: Arc<Parts>,
}

#[derive(Clone)]
struct Parts {
    secret_id: String,
    secret_key: Zeroizing<String>,
    token: Option<Zeroizing<String>>,
    /// The last TC3 key derived (it depends only on the key, the date and the service).
    tc3_key: Arc<Mutex<Option<crate::tc3::SigningKey>>>,
    /// The signature-v1 HMAC states of the secret key, computed once.
    macs: Arc<sign::KeyedMacs>,
}

fn check(what: &'static str, value: &str) -> Result<(), CredentialsError> {
    if value.is_empty() {
        Err(CredentialsError::Empty(what))
    } else if value.trim() != value {
        Err(CredentialsError::Whitespace(what))
    } else if value.chars().any(char::is_control) {
        Err(CredentialsError::Control(what))
    } else {
        Ok(())
    }
}

impl Credentials {
    /// Long-term credentials; an empty part, stray whitespace or a control character is an error.
    pub fn new(
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Result<Self, CredentialsError> {
        let secret_id = secret_id.into();
        let secret_key = Zeroizing::new(secret_key.into());
        check("secret id", &secret_id)?;
        check("secret key", &secret_key)?;
        let macs = Arc::new(sign::KeyedMacs::new(secret_key.as_bytes()));
        Ok(Self {
            inner: Arc::new(Parts {
                secret_id,
                secret_key,
                macs,
                token: None,
                tc3_key: Arc::default(),
            }),
        })
    }

    /// The same credentials with a session token, as temporary credentials carry.
    pub fn with_token(self, token: impl Into<String>) -> Result<Self, CredentialsError> {
        let token = Zeroizing::new(token.into());
        check("session token", &token)?;
        let mut parts = Arc::unwrap_or_clone(self.inner);
        parts.token = Some(token);
        Ok(Self {
            inner: Arc::new(parts),
        })
    }

    /// The secret id, sent as `SecretId`.
    pub fn secret_id(&self) -> &str {
        &self.inner.secret_id
    }

    /// The session token, sent as `Token`; it is a secret, so never show it.
    pub fn token(&self) -> Option<&str> {
        self.inner.token.as_deref().map(String::as_str)
    }

    /// Signs `string_to_sign` with the secret key.
    pub fn sign(&self, method: SignatureMethod, string_to_sign: &str) -> String {
        self.signature_text(method, string_to_sign)
            .as_str()
            .to_owned()
    }

    /// [`sign`](Self::sign) without allocating.
    pub fn signature_text(&self, method: SignatureMethod, string_to_sign: &str) -> SignatureText {
        self.inner
            .macs
            .signature_text(method, string_to_sign.as_bytes())
    }

    /// [`signature_text`](Self::signature_text) of the string to sign that `parts` make one
    /// after another, hashed as they are rather than copied together first.
    pub(crate) fn signature_text_of_parts(
        &self,
        method: SignatureMethod,
        parts: &[&[u8]],
    ) -> SignatureText {
        self.inner.macs.signature_text_of_parts(method, parts)
    }

    /// Whether `claimed` is this key's signature of `string_to_sign`, compared in constant time.
    pub fn verify(&self, method: SignatureMethod, string_to_sign: &str, claimed: &str) -> bool {
        let expected = self.signature_text(method, string_to_sign);
        sign::constant_time_eq(expected.as_str(), claimed)
    }

    /// The TC3 signing key of this secret key for `date` (`YYYY-MM-DD`) and `service`.
    pub fn tc3_signing_key(&self, date: &str, service: &str) -> crate::tc3::SigningKey {
        crate::tc3::SigningKey::derive(self.inner.secret_key.as_bytes(), date, service)
    }

    /// The TC3 signature of `string_to_sign` for `date` and `service`, with the derived key kept
    /// (shared by clones of these credentials) until the date or service changes.
    pub fn tc3_sign(&self, date: &str, service: &str, string_to_sign: &str) -> String {
        let mut cached = self
            .inner
            .tc3_key
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*cached {
            Some(key) if key.date() == date && key.service() == service => key.sign(string_to_sign),
            _ => {
                let key = self.tc3_signing_key(date, service);
                let signature = key.sign(string_to_sign);
                *cached = Some(key);
                signature
            }
        }
    }

    /// Whether `text` contains the secret key or the token, for checking that output leaks neither.
    pub fn appears_in(&self, text: &str) -> bool {
        text.contains(self.inner.secret_key.as_str())
            || self.token().is_some_and(|t| text.contains(t))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("secret_id", &self.inner.secret_id)
            .field("secret_key", &REDACTED)
            .field("token", &self.inner.token.as_ref().map(|_| REDACTED))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_key_and_token() {
        let c = Credentials::new("AKIDid", "sekrit-key")
            .unwrap()
            .with_token("sekrit-token")
            .unwrap();
        let s = format!("{c:?}");
        assert!(s.contains("AKIDid"));
        assert!(!s.contains("sekrit"), "{s}");
        assert!(c.appears_in("xx sekrit-token yy"));
        assert!(!c.appears_in(&s));
    }

    #[test]
    fn clones_share_one_copy_and_a_token_makes_a_new_one() {
        let c = Credentials::new("AKIDid", "sekrit-key").unwrap();
        let twin = c.clone();
        assert!(Arc::ptr_eq(&c.inner, &twin.inner));
        let temporary = twin.with_token("tok").unwrap();
        assert_eq!((c.token(), temporary.token()), (None, Some("tok")));
        assert_eq!(temporary.secret_id(), "AKIDid");
        let sts = "POSTcvm.tencentcloudapi.com/?Action=DescribeZones";
        assert_eq!(
            c.sign(SignatureMethod::HmacSha256, sts),
            temporary.sign(SignatureMethod::HmacSha256, sts)
        );
    }

    #[test]
    fn rejects_bad_parts() {
        assert_eq!(
            Credentials::new("", "k").unwrap_err(),
            CredentialsError::Empty("secret id")
        );
        assert_eq!(
            Credentials::new("id ", "k").unwrap_err(),
            CredentialsError::Whitespace("secret id")
        );
        assert_eq!(
            Credentials::new("id", "k\u{1}").unwrap_err(),
            CredentialsError::Control("secret key")
        );
        assert!(Credentials::new("id", "k").unwrap().with_token("").is_err());
    }

    #[test]
    fn signs_and_verifies() {
        let c = Credentials::new("id", "Gu5t9xGARNpq86cd98joQYCN3Cozk1qA").unwrap();
        let sts = "GETcvm.api.qcloud.com/v2/index.php?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA&SignatureMethod=HmacSHA256&Timestamp=1465185768";
        let sig = c.sign(SignatureMethod::HmacSha256, sts);
        assert_eq!(sig, "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s=");
        assert!(c.verify(SignatureMethod::HmacSha256, sts, &sig));
        assert!(!c.verify(SignatureMethod::HmacSha1, sts, &sig));
    }

    #[test]
    fn the_tc3_key_is_kept_per_date_and_service() {
        let c = Credentials::new("AKID", "secret").unwrap();
        let twin = c.clone();
        for (date, service) in [
            ("2024-01-01", "cvm"),
            ("2024-01-01", "cvm"),
            ("2024-01-02", "cvm"),
            ("2024-01-02", "vpc"),
        ] {
            let expected = crate::tc3::SigningKey::derive(b"secret", date, service).sign("sts");
            assert_eq!(c.tc3_sign(date, service, "sts"), expected);
            assert_eq!(twin.tc3_sign(date, service, "sts"), expected);
        }
        assert!(!format!("{c:?}").contains("secret\""));
    }
}

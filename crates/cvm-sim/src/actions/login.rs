//! Logging in: `RunInstances`' login settings and password rules, and a new instance's default login.

use cvm_proto::models::LoginSettings;

use super::{has_id_form, one_of};
use crate::error::{ApiFailure, ApiResult};

const PASSWORD_SPECIALS: &str = "()`~!@#$%^&*-+=_|{}[]:;'<>,.?/";

/// Checks the login settings for an image that is `windows` or not: one way to log in, well-formed.
pub(super) fn check_login_settings(login: &LoginSettings, windows: bool) -> ApiResult<()> {
    let given = [
        login.password.is_some(),
        !login.key_ids.is_empty(),
        login.keep_image_login.is_some(),
    ];
    if given.iter().filter(|&&b| b).count() > 1 {
        return Err(ApiFailure::new(
            "InvalidParameter.ParameterConflict",
            "Only one of `LoginSettings.Password`, `LoginSettings.KeyIds` and `LoginSettings.KeepImageLogin` may be given.",
        ));
    }
    if let Some(p) = &login.password {
        check_password(p, windows)?;
    }
    check_key_ids(&login.key_ids, windows)?;
    if let Some(k) = &login.keep_image_login {
        one_of(
            "LoginSettings.KeepImageLogin",
            &k.to_ascii_lowercase(),
            &["true", "false"],
        )?;
    }
    Ok(())
}

/// Key pair ids must be well-formed, and cannot log in to Windows.
fn check_key_ids(key_ids: &[String], windows: bool) -> ApiResult<()> {
    if let Some(k) = key_ids.iter().find(|k| !has_id_form(k, "skey-")) {
        return Err(ApiFailure::new(
            "InvalidKeyPairId.Malformed",
            format!("The key pair ID `{k}` is malformed; it looks like `skey-xxxxxxxx`."),
        ));
    }
    if windows && !key_ids.is_empty() {
        return Err(ApiFailure::new(
            "UnsupportedOperation.KeyPairUnsupportedWindows",
            "Key pairs cannot log in to Windows instances.",
        ));
    }
    Ok(())
}

/// Linux: 8-30 characters from at least 2 of 4 classes (lower, upper, digit, special); Windows: 12-30 from at least 3.
pub(super) fn check_password(password: &str, windows: bool) -> ApiResult<()> {
    let (min, classes_needed) = if windows { (12, 3) } else { (8, 2) };
    let len = password.chars().count();
    let allowed = |c: char| c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(c);
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    let os = if windows { "Windows" } else { "Linux" };
    if len < min
        || len > 30
        || password.starts_with('/')
        || !password.chars().all(allowed)
        || classes < classes_needed
    {
        return Err(ApiFailure::new(
            "InvalidPassword",
            format!("The password does not meet the complexity requirements: a {os} password has {min} to 30 characters from at least {classes_needed} of lower-case letters, upper-case letters, digits and the symbols {PASSWORD_SPECIALS}, and does not start with '/'."),
        ));
    }
    Ok(())
}

/// The user a new instance of `platform` is logged in to by default.
pub(super) fn default_login_user(platform: &str) -> &'static str {
    match platform {
        "Windows" => "Administrator",
        "Ubuntu" => "ubuntu",
        _ => "root",
    }
}

/// The port a new instance is logged in to by default: RDP on Windows, else SSH.
pub(super) fn default_login_port(windows: bool) -> i64 {
    if windows {
        3389
    } else {
        22
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        assert!(check_password("Qcloud@TestApi123++", false).is_ok());
        assert!(check_password("Qcloud@TestApi123++", true).is_ok());
        assert!(check_password("abcdefgh", false).is_err());
        assert!(check_password("abcdefg1", false).is_ok());
        assert!(check_password("abcdef1", false).is_err());
        assert!(check_password("abcdefgh12AB", true).is_ok());
        assert!(check_password("abcdefgh1234", true).is_err());
        assert!(check_password("/bcdefgh12AB", false).is_err());
        assert!(check_password("abcd efgh12", false).is_err());
        assert!(check_password(&"aA1".repeat(11), false).is_err());
    }
}

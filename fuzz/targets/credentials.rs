//! The texts credentials come from, as any bytes: a credentials file (ini, `profile_entry`), a
//! tccli credential file (JSON, `tccli_credential`) and the region of a configure file
//! (`tccli_region`, against the strict reader's object), the metadata service's role list and role
//! credentials replies, and an STS reply. Parsing never panics; a parsed ini file writes back to
//! text that parses to the same sections; a role name is a trimmed line of its reply; and no
//! secret shows: the marker `SeCrEt` held in a secret's value (a secret key or token under any
//! of their names) appears in no error's `Display` or `Debug`, nor in a parsed value's `Debug`,
//! unless the input also holds it outside such a value.

use cvm_proto::{metadata, profile, sts};
use std::collections::BTreeMap;

/// What a secret in the corpus's files holds, so that its appearing in an output is noticed.
const MARKER: &str = "SeCrEt";

/// The names a secret key or token goes by in the formats read here.
const SECRET_NAMES: &[&str] = &["secret_key", "token", "secretKey", "TmpSecretKey", "Token"];

/// Runs the target on one input.
pub(crate) fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let text: &str = &text;

    check_ini(text);
    // The file readers take text (here with invalid UTF-8 replaced); the reply parsers take bytes.
    let shown = match profile::tccli_credential(text, "credential") {
        Ok(entry) => format!("{entry:?}"),
        Err(e) => format!("{e} {e:?}"),
    };
    assert_shows_no_secret(json_shows_marker_elsewhere(text.as_bytes()), &shown);
    check_region(text);
    let json_allowed = json_shows_marker_elsewhere(data);

    for status in [200, 404, 500] {
        match metadata::parse_role_list(status, data) {
            Ok(role) => {
                assert_eq!(status, 200);
                assert!(!role.is_empty(), "{role:?}");
                let first = text.lines().map(str::trim).find(|l| !l.is_empty());
                assert_eq!(first, Some(role.as_str()));
            }
            Err(e) => drop(format!("{e} {e:?}")),
        }
        let shown = match metadata::parse_role_credentials(status, data) {
            Ok(c) => format!("{c:?} {:?}", c.credentials),
            Err(e) => format!("{e} {e:?}"),
        };
        assert_shows_no_secret(json_allowed, &shown);
        let shown = match sts::parse_reply(status, data) {
            Ok(c) => format!("{c:?} {:?}", c.credentials),
            Err(e) => format!("{e} {e:?}"),
        };
        assert_shows_no_secret(json_allowed, &shown);
    }
}

/// A tccli configure file's region is `_sys_param.region`, else the top-level `region`: a
/// non-empty string is the region, an empty one, `null` or none is no region, and any other
/// value, a `_sys_param` that is not an object, or a text that the strict reader refuses, is an
/// error that names the file and, for a text it cannot read, only a place in it.
fn check_region(text: &str) {
    let got = profile::tccli_region(text, "configure");
    let body = text.strip_prefix(profile::BOM).unwrap_or(text);
    let Ok(map) = cvm_proto::json::parse_object(body.as_bytes()) else {
        let e = got.expect_err("a text the strict reader refuses gives no region");
        let shown = e.to_string();
        let reason = shown.strip_prefix("configure: not a tccli JSON file: ");
        let known = [
            "the top level is not an object",
            "the text is not UTF-8",
            "invalid JSON at line ",
            "a key is given twice in one object, at line ",
        ];
        assert!(
            reason.is_some_and(|r| known.iter().any(|k| r.starts_with(k))),
            "{shown}"
        );
        return;
    };
    let sys = map.get("_sys_param").filter(|p| !p.is_null());
    if sys.is_some_and(|p| !p.is_object()) {
        let e = got.expect_err("a _sys_param that is not an object is an error");
        assert_eq!(e.to_string(), "configure: _sys_param is not an object");
        return;
    }
    let found = match sys.and_then(|p| p.get("region")) {
        Some(region) => Some(region),
        None => map.get("region"),
    };
    match (found, got) {
        (None | Some(serde_json::Value::Null), Ok(None)) => {}
        (Some(serde_json::Value::String(want)), Ok(got)) => {
            assert_eq!(
                got.as_deref(),
                Some(want.as_str()).filter(|w| !w.is_empty())
            );
        }
        (Some(other), Err(e)) if !other.is_string() && !other.is_null() => {
            assert!(e.to_string().ends_with("region is not a string"), "{e}");
        }
        (found, got) => panic!("region {found:?} read as {got:?}"),
    }
}

fn assert_shows_no_secret(allowed: bool, shown: &str) {
    assert!(
        allowed || !shown.contains(MARKER),
        "a secret shows: {shown}"
    );
}

/// Whether `data` is JSON that holds the marker outside every secret's value (in a name, or in
/// another value), so that an output may show it legitimately. Text that is not JSON is never
/// quoted by the parsers, so it may not show the marker at all; JSON too deep to read here is
/// let through.
fn json_shows_marker_elsewhere(data: &[u8]) -> bool {
    fn strip(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, member) in map.iter_mut() {
                    if SECRET_NAMES.contains(&name.as_str()) && !member.is_object() {
                        *member = serde_json::Value::Null;
                    } else {
                        strip(member);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(mut value) => {
            strip(&mut value);
            serde_json::to_string(&value).is_ok_and(|t| t.contains(MARKER))
        }
        // serde_json's `Value` stops at 128 levels where the parsers skip deeper members, so
        // such a reply may show a member that is not a secret: any output may hold the marker.
        Err(e) => e.to_string().contains("recursion limit exceeded"),
    }
}

/// The ini text without the values of secrets' lines (`name = value` with a secret's name), in
/// which an output may show the marker.
fn ini_without_secrets(text: &str) -> String {
    // As the parser reads it: without a leading byte-order mark.
    let text = text.strip_prefix(profile::BOM).unwrap_or(text);
    text.lines()
        .map(|line| match line.split_once('=') {
            Some((name, _)) if SECRET_NAMES.contains(&name.trim()) => name,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sections as plain maps, for comparing two parses.
type Plain = BTreeMap<String, BTreeMap<String, String>>;

fn plain(sections: &BTreeMap<String, profile::Section>) -> Plain {
    sections
        .iter()
        .map(|(name, section)| {
            let values = section
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
                .collect();
            (name.clone(), values)
        })
        .collect()
}

fn check_ini(text: &str) {
    let allowed = ini_without_secrets(text).contains(MARKER);
    match profile::parse_ini(text, "credentials") {
        Ok(sections) => {
            let parsed = plain(&sections);
            let mut written = String::new();
            for (name, section) in &parsed {
                written.push_str(&format!("[{name}]\n"));
                for (k, v) in section {
                    written.push_str(&format!("{k} = {v}\n"));
                }
            }
            let again = profile::parse_ini(&written, "credentials")
                .unwrap_or_else(|e| panic!("{text:?} parsed, but not as written out: {e}"));
            assert_eq!(plain(&again), parsed, "{written:?}");
            // Any section as the profile asked for: its credentials or why not, without a secret.
            for name in parsed.keys().map(String::as_str).chain(["default"]) {
                let shown = match profile::profile_entry(text, "credentials", name) {
                    Ok(entry) => format!("{entry:?}"),
                    Err(e) => format!("{e} {e:?}"),
                };
                assert_shows_no_secret(allowed || name.contains(MARKER), &shown);
            }
        }
        Err(e) => assert_shows_no_secret(allowed, &format!("{e} {e:?}")),
    }
}

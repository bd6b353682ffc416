//! The credentials file (`~/.tencentcloud/credentials`) as `cvm configure` edits it and as the
//! CLI reads its `region` and `output` defaults from.
//!
//! Edits are line-based so that other sections, comments and blank lines stay as they were; the
//! file is written whole to a temporary file created with mode 0600 beside it, then renamed over
//! it, so that a reader never sees half a file and the secrets are never world-readable.

use std::io::Write;
use std::path::{Path, PathBuf};

use cvm_proto::profile::{self, ENV_CREDENTIALS_FILE, ENV_PROFILE};
use zeroize::Zeroizing;

use crate::output::Failure;

/// The keys `cvm configure` reads and writes: the library's three and the CLI's two defaults.
pub(crate) const KEYS: [&str; 5] = ["secret_id", "secret_key", "token", "region", "output"];

/// The keys whose values are never shown.
pub(crate) const SECRET_KEYS: [&str; 2] = ["secret_key", "token"];

/// Which file and which section (profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// The credentials file.
    pub path: PathBuf,
    /// The section: `--profile`, else `TENCENTCLOUD_PROFILE`, else `default`.
    pub profile: String,
}

/// The file and section the library would read for `profile_flag` (see
/// [`cvm_proto::profile::credentials_file`]); a usage error when no home directory is known.
pub(crate) fn locate(profile_flag: Option<&str>) -> Result<Location, Failure> {
    located(profile_flag)?.ok_or_else(|| {
        Failure::usage(format!(
            "no home directory: set HOME or {ENV_CREDENTIALS_FILE}"
        ))
    })
}

/// [`locate`], with `None` when no home directory is known. A variable it reads (the file,
/// else `HOME`; the profile, unless `profile_flag` names one) set to bytes that are not UTF-8
/// is an error rather than unset.
fn located(profile_flag: Option<&str>) -> Result<Option<Location>, Failure> {
    use crate::environment::text;
    let file = text(ENV_CREDENTIALS_FILE)?;
    let home = match file {
        Some(_) => None,
        None => text("HOME")?,
    };
    let env = |key: &str| {
        (key == ENV_CREDENTIALS_FILE)
            .then(|| file.clone())
            .flatten()
    };
    let Some((path, _)) = profile::credentials_file(&env, home.as_deref()) else {
        return Ok(None);
    };
    let profile = match profile_flag {
        Some(named) => named.to_owned(),
        None => text(ENV_PROFILE)?.unwrap_or_else(|| profile::DEFAULT_PROFILE.to_owned()),
    };
    Ok(Some(Location {
        path: PathBuf::from(path),
        profile,
    }))
}

/// The file's text, or `None` when it does not exist.
pub(crate) fn read(path: &Path) -> Result<Option<Zeroizing<String>>, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(Zeroizing::new(text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::usage(format!("{}: {e}", path.display()))),
    }
}

/// The section's values, as the library parses them (empty when the file or section is absent).
pub(crate) fn section(location: &Location) -> Result<profile::Section, Failure> {
    let Some(text) = read(&location.path)? else {
        return Ok(profile::Section::new());
    };
    let name = location.path.display().to_string();
    let mut sections =
        profile::parse_ini(&text, &name).map_err(|e| Failure::usage(e.to_string()))?;
    Ok(sections.remove(&location.profile).unwrap_or_default())
}

/// One value of the section for defaults (`region`, `output`): `None` when the file, the
/// section or the key is absent or the value empty; a file that cannot be read or parsed is an
/// error, as the default it holds would otherwise be dropped without a word.
pub(crate) fn default_value(
    profile_flag: Option<&str>,
    key: &str,
) -> Result<Option<String>, Failure> {
    let Some(location) = located(profile_flag)? else {
        // No home directory: there is no file to read defaults from.
        return Ok(None);
    };
    Ok(section(&location)?
        .get(key)
        .map(|v| v.as_str().to_owned())
        .filter(|v| !v.is_empty()))
}

/// Checks a key and value for [`set_value`]: a known key, a value of one line without control
/// characters or surrounding whitespace, a known output format for `output`, and a region name
/// for `region` (one every command would refuse later is refused now).
pub(crate) fn check(key: &str, value: &str) -> Result<(), Failure> {
    if !KEYS.contains(&key) {
        return Err(Failure::usage(format!(
            "unknown key {key:?}: use one of {}",
            KEYS.join(", ")
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(Failure::usage(format!(
            "the value of {key} holds a control character or line break"
        )));
    }
    if value.trim() != value {
        return Err(Failure::usage(format!(
            "the value of {key} has leading or trailing whitespace"
        )));
    }
    if key == "output" && !value.is_empty() {
        value
            .parse::<crate::output::Format>()
            .map_err(Failure::usage)?;
    }
    if key == "region" && !value.is_empty() {
        cvm_proto::check_region(value).map_err(|e| Failure::usage(e.to_string()))?;
    }
    Ok(())
}

/// Checks a profile (section) name: not empty, one line, no brackets.
pub(crate) fn check_profile(name: &str) -> Result<(), Failure> {
    if name.trim().is_empty()
        || name.trim() != name
        || name.chars().any(|c| c.is_control() || c == '[' || c == ']')
    {
        return Err(Failure::usage(format!(
            "profile {name:?} cannot be a section name"
        )));
    }
    Ok(())
}

/// The section name of a header line such as `[default]`, as the library reads it.
fn header(line: &str) -> Option<&str> {
    line.trim()
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .map(str::trim)
}

/// The key of a `key = value` line, as the library reads it.
fn key_of(line: &str) -> Option<&str> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('#') || t.starts_with(';') || t.starts_with('[') {
        return None;
    }
    t.split_once('=').map(|(k, _)| k.trim())
}

/// `text` with `key = value` in `[section]`: the key's line replaced where it is, else added
/// after the section's last entry, else a new section at the end. Every other line is kept.
pub(crate) fn set_value(text: &str, section: &str, key: &str, value: &str) -> Zeroizing<String> {
    // A byte-order mark is kept where it was, and the lines after it are read as the library
    // reads them.
    let (bom, text) = match text.strip_prefix(profile::BOM) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let entry = format!("{key} = {value}\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = Zeroizing::new(String::with_capacity(text.len() + entry.len() + 16));
    if bom {
        out.push(profile::BOM);
    }
    let mut current: Option<&str> = None;
    // Where to add the entry if the key is absent: after the section's last entry or its header.
    let mut insert_at: Option<usize> = None;
    let mut replaced = false;
    let mut kept: Vec<String> = Vec::with_capacity(lines.len());
    for line in &lines {
        if let Some(name) = header(line) {
            current = Some(name);
            if name == section {
                insert_at = Some(kept.len() + 1);
            }
        } else if current == Some(section) {
            if key_of(line) == Some(key) && !replaced {
                kept.push(entry.clone());
                replaced = true;
                continue;
            }
            if key_of(line).is_some() {
                insert_at = Some(kept.len() + 1);
            }
        }
        kept.push((*line).to_owned());
    }
    if !replaced {
        match insert_at {
            Some(at) => {
                if let Some(prev) = at.checked_sub(1).and_then(|i| kept.get_mut(i)) {
                    if !prev.ends_with('\n') {
                        prev.push('\n');
                    }
                }
                kept.insert(at, entry);
            }
            None => {
                if let Some(last) = kept.last_mut() {
                    if !last.ends_with('\n') {
                        last.push('\n');
                    }
                    kept.push("\n".to_owned());
                }
                kept.push(format!("[{section}]\n"));
                kept.push(entry);
            }
        }
    }
    for line in kept {
        out.push_str(&line);
        let mut line = line;
        zeroize::Zeroize::zeroize(&mut line);
    }
    out
}

/// Writes `text` to `path` atomically: a new temporary file of mode 0600 in the same directory
/// (created with mode 0700 if missing), synced, then renamed over `path`.
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<(), Failure> {
    let shown = path.display();
    let fail = |what: &str, e: std::io::Error| Failure::usage(format!("{shown}: {what}: {e}"));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&dir)
            .map_err(|e| fail("cannot create its directory", e))?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "credentials".to_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&tmp).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("cannot write a temporary file beside it", e));
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("cannot replace it", e));
    }
    Ok(())
}

/// How a value is shown: secrets as `<redacted>`, the SecretId with all but its last four
/// characters masked, the rest as they are.
pub(crate) fn shown(key: &str, value: &str) -> String {
    if SECRET_KEYS.contains(&key) {
        return cvm_proto::REDACTED.to_owned();
    }
    if key == "secret_id" {
        let n = value.chars().count();
        let tail: String = value.chars().skip(n.saturating_sub(4)).collect();
        return format!("{}{tail}", "*".repeat(n.saturating_sub(4)));
    }
    value.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# my keys\n[default]\nsecret_id = AKIDold\n; a note\nsecret_key = oldkey\n\n[ops]\nsecret_id=AKIDops\nsecret_key=opskey\n";

    #[test]
    fn set_replaces_in_place_and_keeps_the_rest() {
        let t = set_value(FILE, "default", "secret_key", "newkey");
        assert_eq!(
            t.as_str(),
            FILE.replace("secret_key = oldkey", "secret_key = newkey")
        );
        let t = set_value(FILE, "default", "region", "ap-guangzhou");
        assert_eq!(
            t.as_str(),
            FILE.replace("oldkey\n", "oldkey\nregion = ap-guangzhou\n")
        );
        let t = set_value(FILE, "ops", "token", "tok");
        assert_eq!(t.as_str(), format!("{FILE}token = tok\n"));
        let t = set_value(FILE, "new", "secret_id", "AKIDnew");
        assert_eq!(t.as_str(), format!("{FILE}\n[new]\nsecret_id = AKIDnew\n"));
        let t = set_value("", "default", "secret_id", "AKID");
        assert_eq!(t.as_str(), "[default]\nsecret_id = AKID\n");
        let t = set_value("[default]\nsecret_id = a", "default", "secret_key", "k");
        assert_eq!(t.as_str(), "[default]\nsecret_id = a\nsecret_key = k\n");
    }

    #[test]
    fn what_is_written_is_what_the_library_reads() {
        let mut text = Zeroizing::new(String::new());
        for (k, v) in [
            ("secret_id", "AKIDround"),
            ("secret_key", "roundkey"),
            ("token", "roundtoken"),
            ("region", "ap-shanghai"),
            ("output", "text"),
        ] {
            check(k, v).unwrap();
            text = set_value(&text, "ci", k, v);
        }
        let text = set_value(&text, "default", "secret_id", "AKIDother");
        let c = profile::from_profile_text(&text, "f", "ci").unwrap();
        assert_eq!(
            (c.secret_id(), c.token()),
            ("AKIDround", Some("roundtoken"))
        );
        let method = cvm_proto::sign::SignatureMethod::HmacSha256;
        let want = cvm_proto::Credentials::new("AKIDround", "roundkey").unwrap();
        assert_eq!(c.sign(method, "x"), want.sign(method, "x"));
        let sections = profile::parse_ini(&text, "f").unwrap();
        assert_eq!(sections["ci"]["region"].as_str(), "ap-shanghai");
    }

    #[test]
    fn bad_keys_and_values_are_refused() {
        assert!(check("secretkey", "x").is_err());
        assert!(check("secret_key", "a\nb").is_err());
        assert!(check("secret_key", " a").is_err());
        assert!(check("output", "yaml").is_err());
        assert!(check_profile("a]b").is_err());
        assert!(check_profile("").is_err());
        assert!(check_profile("ops").is_ok());
    }

    /// A credentials file the library reads, as its sections of entries, and the text of
    /// it with comments, blank lines, spacing, line endings and perhaps a byte-order mark.
    fn file() -> impl proptest::strategy::Strategy<Value = (Plain, String)> {
        use proptest::collection::{btree_map, vec};
        use proptest::prelude::*;
        let name = "[a-z][a-z _-]{0,5}[a-z]|default|ci";
        let key = "[a-z_][a-z_ .]{0,6}[a-z_]|secret_id|secret_key|token|region|output";
        let value = "([!-~]([ -~]{0,8}[!-~])?)?";
        let sections = btree_map(name, btree_map(key, value, 0..4), 0..4);
        (
            sections,
            vec(any::<u8>(), 1..16),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(sections, styles, last, bom)| {
                let mut style = styles.iter().cycle().copied();
                let mut style = move || style.next().unwrap_or(0);
                let mut text = String::new();
                let line = |text: &mut String, body: &str, style: u8| {
                    match style % 5 {
                        0 => text.push_str(&format!("# a comment\n{body}")),
                        1 => text.push_str(&format!("\n ; note = x\n{body}")),
                        2 => text.push_str(&format!("  {body}  ")),
                        _ => text.push_str(body),
                    }
                    text.push_str(if style % 7 == 0 { "\r\n" } else { "\n" });
                };
                for (name, entries) in &sections {
                    let s = style();
                    line(
                        &mut text,
                        &format!(
                            "[{}{name}{}]",
                            " ".repeat(usize::from(s % 2)),
                            " ".repeat(usize::from(s % 3))
                        ),
                        s,
                    );
                    for (k, v) in entries {
                        let s = style();
                        let (before, after) = if s % 2 == 0 { (" ", " ") } else { ("", "") };
                        line(&mut text, &format!("{k}{before}={after}{v}"), s);
                    }
                }
                if !last && text.ends_with('\n') {
                    text.pop();
                    if text.ends_with('\r') {
                        text.pop();
                    }
                }
                if bom {
                    text.insert(0, profile::BOM);
                }
                (sections, text)
            })
    }

    /// Sections as plain maps.
    type Plain = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

    fn plain(sections: &std::collections::BTreeMap<String, profile::Section>) -> Plain {
        sections
            .iter()
            .map(|(name, s)| {
                let entries = s
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().to_owned()))
                    .collect();
                (name.clone(), entries)
            })
            .collect()
    }

    proptest::proptest! {
        /// For any file drawn here, setting a key gives a file that the library reads as the same
        /// sections with that key set, changing no other line.
        #[test]
        fn set_value_changes_only_its_key(
            (sections, text) in file(),
            section in "default|ci|new|[a-z]{1,3}",
            key in proptest::sample::select(KEYS.to_vec()),
            value in "([!-~]([ -~]{0,8}[!-~])?)?",
        ) {
            // The two keys whose values are checked get a value that passes.
            let value = match key {
                "output" => "json".to_owned(),
                "region" => "ap-guangzhou".to_owned(),
                _ => value,
            };
            check(key, &value).unwrap();
            check_profile(&section).unwrap();
            let read = profile::parse_ini(&text, "f").unwrap();
            proptest::prop_assert_eq!(&plain(&read), &sections, "{:?}", text);

            let written = set_value(&text, &section, key, &value);
            let again = profile::parse_ini(&written, "f")
                .unwrap_or_else(|e| panic!("{text:?} set to {written:?}: {e}"));
            let mut want = sections.clone();
            want.entry(section.clone()).or_default().insert(key.to_owned(), value.clone());
            proptest::prop_assert_eq!(plain(&again), want, "{:?} -> {:?}", text, written.as_str());

            // A byte-order mark stays, and the lines after it are compared.
            let bom = text.starts_with(profile::BOM);
            proptest::prop_assert_eq!(written.starts_with(profile::BOM), bom);
            let strip = |t: &str| t.strip_prefix(profile::BOM).unwrap_or(t).to_owned();
            let (text, written) = (strip(&text), strip(&written));
            // The old lines are all there, unchanged and in order, but the one that held the key
            // in that section, which the entry replaces where it stood; or the entry is added,
            // with a header (and a blank line before it) when the section is new.
            let entry = format!("{key} = {value}");
            let old: Vec<&str> = text.lines().collect();
            let new: Vec<&str> = written.lines().collect();
            let mut current = None;
            let replaced = old.iter().position(|l| {
                if let Some(name) = header(l) {
                    current = Some(name);
                }
                current == Some(section.as_str()) && key_of(l) == Some(key)
            });
            let header_line = format!("[{section}]");
            let explained = match replaced {
                Some(at) => {
                    let mut want = old.clone();
                    want[at] = entry.as_str();
                    new == want
                }
                None => (0..new.len()).any(|at| {
                    let mut rest = new.clone();
                    rest.remove(at);
                    if new[at] != entry {
                        return false;
                    }
                    if sections.contains_key(&section) {
                        return rest == old;
                    }
                    // A new section: its header just before the entry, after a blank line
                    // unless the file was empty.
                    if at == 0 || new[at - 1] != header_line {
                        return false;
                    }
                    rest.remove(at - 1);
                    if !old.is_empty() {
                        if at < 2 || rest.get(at - 2) != Some(&"") {
                            return false;
                        }
                        rest.remove(at - 2);
                    }
                    rest == old
                }),
            };
            proptest::prop_assert!(explained, "{:?} -> {:?}", text, written.as_str());
        }
    }

    #[test]
    fn secrets_are_never_shown() {
        assert_eq!(shown("secret_key", "topsecret"), "<redacted>");
        assert_eq!(shown("token", "tok"), "<redacted>");
        assert_eq!(shown("secret_id", "AKIDabcdWXYZ"), "********WXYZ");
        assert_eq!(shown("region", "ap-guangzhou"), "ap-guangzhou");
    }
}

//! `cvm configure [set KEY VALUE | get KEY | list]`: the profile of the credentials file.
//!
//! Without a subcommand it asks on the terminal for the SecretId, the SecretKey (not echoed),
//! the region and the output format; an empty answer keeps the current value.

use std::io::{BufRead, IsTerminal, Write};

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::output::{say, Failure, Output, EXIT_API};
use crate::profile_file::{self, Location, KEYS};

/// Options of `cvm configure`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    action: Option<Action>,
}

/// What `cvm configure` does; nothing: ask on the terminal.
#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Set KEY (secret_id, secret_key, token, region, output) to VALUE; VALUE - reads it from stdin's first line.
    Set {
        /// secret_id, secret_key, token, region or output.
        key: String,
        /// The value, or - to read it from stdin (keeps a secret out of argv and shell history).
        value: String,
    },
    /// Print KEY's value (secret_key and token are shown as <redacted>); exit 1 when unset.
    Get {
        /// secret_id, secret_key, token, region or output.
        key: String,
    },
    /// Show the profile's keys, secrets redacted, and the file they are in.
    List,
}

/// Runs the command for the profile named by `--profile` (else `TENCENTCLOUD_PROFILE`).
pub(crate) fn run(args: &Args, profile: Option<&str>, out: &Output) -> Result<(), Failure> {
    let location = profile_file::locate(profile)?;
    profile_file::check_profile(&location.profile)?;
    match &args.action {
        Some(Action::Set { key, value }) => {
            let value = if value == "-" {
                first_line_of_stdin()?
            } else {
                Zeroizing::new(value.clone())
            };
            profile_file::check(key, &value)?;
            write(&location, &[(key.as_str(), value)])?;
            if !out.quiet {
                eprintln!(
                    "{key} set in [{}] of {}",
                    location.profile,
                    location.path.display()
                );
            }
            Ok(())
        }
        Some(Action::Get { key }) => {
            profile_file::check(key, "")?;
            let section = profile_file::section(&location)?;
            match section.get(key.as_str()).filter(|v| !v.is_empty()) {
                Some(v) => {
                    say!("{}", profile_file::shown(key, v));
                    Ok(())
                }
                None => Err(Failure {
                    status: EXIT_API,
                    message: format!(
                        "{key} is not set in [{}] of {}",
                        location.profile,
                        location.path.display()
                    ),
                }),
            }
        }
        Some(Action::List) => out.emit(&list(&location)?, None),
        None => interactive(&location),
    }
}

/// The document of `cvm configure list`: the file, the profile, and each key's shown value
/// (null when unset).
fn list(location: &Location) -> Result<Value, Failure> {
    let section = profile_file::section(location)?;
    let mut map = Map::new();
    map.insert(
        "File".into(),
        Value::String(location.path.display().to_string()),
    );
    map.insert("Profile".into(), Value::String(location.profile.clone()));
    for key in KEYS {
        let v = section
            .get(key)
            .filter(|v| !v.is_empty())
            .map_or(Value::Null, |v| Value::String(profile_file::shown(key, v)));
        map.insert(key.to_owned(), v);
    }
    Ok(Value::Object(map))
}

/// Sets each `(key, value)` in the location's section with one atomic write.
fn write(location: &Location, values: &[(&str, Zeroizing<String>)]) -> Result<(), Failure> {
    let mut text = profile_file::read(&location.path)?.unwrap_or_default();
    // What is there must parse, so that an edit never hides an error the library would report.
    let name = location.path.display().to_string();
    cvm_proto::profile::parse_ini(&text, &name).map_err(|e| Failure::usage(e.to_string()))?;
    for (key, value) in values {
        text = profile_file::set_value(&text, &location.profile, key, value);
    }
    profile_file::write_atomic(&location.path, &text)
}

fn first_line_of_stdin() -> Result<Zeroizing<String>, Failure> {
    let mut line = Zeroizing::new(String::new());
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::usage(format!("cannot read the value from stdin: {e}")))?;
    let value = line.trim_end_matches(['\n', '\r']).to_owned();
    Ok(Zeroizing::new(value))
}

/// Asks for each value on the terminal, showing the current one (secrets redacted).
fn interactive(location: &Location) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::usage(
            "cvm configure asks on a terminal; in a script use cvm configure set KEY VALUE (VALUE - reads stdin)",
        ));
    }
    let section = profile_file::section(location)?;
    eprintln!(
        "profile [{}] of {} (Enter keeps the value in brackets)",
        location.profile,
        location.path.display()
    );
    let mut values: Vec<(&str, Zeroizing<String>)> = Vec::new();
    for (key, label) in [
        ("secret_id", "SecretId"),
        ("secret_key", "SecretKey"),
        ("region", "Region"),
        ("output", "Output (json, table or text)"),
    ] {
        let current = section
            .get(key)
            .filter(|v| !v.is_empty())
            .map(|v| profile_file::shown(key, v))
            .unwrap_or_default();
        let prompt = format!("{label} [{current}]: ");
        let answer = if key == "secret_key" {
            rpassword::prompt_password(prompt)
                .map(Zeroizing::new)
                .map_err(|e| Failure::usage(format!("cannot read the SecretKey: {e}")))?
        } else {
            eprint!("{prompt}");
            let _ = std::io::stderr().flush();
            first_line_of_stdin()?
        };
        let answer = Zeroizing::new(answer.trim().to_owned());
        if answer.is_empty() {
            continue;
        }
        profile_file::check(key, &answer)?;
        values.push((key, answer));
    }
    if values.is_empty() {
        eprintln!("nothing changed");
        return Ok(());
    }
    write(location, &values)?;
    eprintln!(
        "saved to [{}] of {}",
        location.profile,
        location.path.display()
    );
    Ok(())
}

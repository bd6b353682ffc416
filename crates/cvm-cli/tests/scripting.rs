//! What a script relies on, through the `cvm` binary against the emulator: every command's JSON
//! document has the top-level fields README documents, the same bytes on a terminal and in a
//! pipe; `--query`, `--output text`, progress only on a terminal stderr, width-aware tables,
//! help without client flags for `cvm sim`, and `cvm configure` writing a profile that the
//! library reads back. Every byte printed is searched for the secrets.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use cvm_sim::{AccountConfig, SimConfig, SimServer, Transitions};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

const ID: &str = "AKIDscriptTESTaaaaaaaaaaaaaaaaaaaaaa";
const KEY: &str = "scriptSECRETkeyXXXXXXXXXXXXXXXXX";
const TOKEN: &str = "scriptTOKENzzzzzzzzzzzzzzzzz";

/// Every byte any run printed, searched for secrets at the end of each test.
static PRINTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn sim() -> SimServer {
    let config = SimConfig::default()
        .with_accounts(vec![AccountConfig::new(ID, KEY).with_token(TOKEN)])
        .with_transitions(Transitions::all(std::time::Duration::from_millis(200)));
    SimServer::start(config).unwrap()
}

/// `cvm` with the emulator's endpoint, region and credentials in the environment.
fn cvm_env(sim: &SimServer, args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cvm"));
    cmd.args(args)
        .env_clear()
        .env("CVM_ENDPOINT", sim.endpoint().url())
        .env("HOME", "/nonexistent")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    let mut printed = PRINTED.lock().unwrap();
    printed.push(String::from_utf8_lossy(&out.stdout).into_owned());
    printed.push(String::from_utf8_lossy(&out.stderr).into_owned());
    out
}

const CREDS: [(&str, &str); 4] = [
    ("TENCENTCLOUD_SECRET_ID", ID),
    ("TENCENTCLOUD_SECRET_KEY", KEY),
    ("TENCENTCLOUD_SESSION_TOKEN", TOKEN),
    ("TENCENTCLOUD_REGION", "ap-guangzhou"),
];

fn cvm(sim: &SimServer, args: &[&str]) -> Output {
    cvm_env(sim, args, &CREDS, "")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&ok(out)).unwrap()
}

fn assert_no_secrets() {
    for text in PRINTED.lock().unwrap().iter() {
        for secret in [KEY, TOKEN] {
            assert!(
                !text.contains(secret),
                "secret {secret:?} printed in {text}"
            );
        }
    }
}

/// The top-level fields README's table documents for `command` (e.g. "cvm run --wait").
fn documented(command: &str) -> BTreeSet<String> {
    let readme = include_str!("../../../README.md");
    let cell = format!("| `{command}` |");
    let line = readme
        .lines()
        .find(|l| l.starts_with(&cell))
        .unwrap_or_else(|| panic!("README documents no shape for {command}"));
    let fields = line[cell.len()..].split('|').next().unwrap_or_default();
    fields
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The top-level keys of a command's JSON, which must be what README documents for it.
fn assert_shape(out: &Output, command: &str) -> Value {
    let v = json(out);
    let keys: BTreeSet<String> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, documented(command), "{command}: {v}");
    if keys.contains("RequestId") {
        assert!(!v["RequestId"].as_str().unwrap().is_empty(), "{command}");
    }
    v
}

fn launch(s: &SimServer, n: &str, name: &str) -> Vec<String> {
    let v = json(&cvm(
        s,
        &[
            "run",
            "--zone",
            "ap-guangzhou-2",
            "--image-id",
            "img-pmqg1cw7",
            "--count",
            n,
            "--name",
            name,
            "--wait",
        ],
    ));
    serde_json::from_value(v["InstanceIdSet"].clone()).unwrap()
}

fn states(v: &Value) -> Vec<(String, String)> {
    v["Instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["InstanceId"].as_str().unwrap().to_owned(),
                i["InstanceState"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn shape_of_zones_regions_images_and_instance_types() {
    let s = sim();
    let zones = assert_shape(&cvm(&s, &["zones"]), "cvm zones");
    assert!(zones["TotalCount"].as_u64().unwrap() > 0);
    assert_shape(&cvm(&s, &["regions"]), "cvm regions");
    let images = assert_shape(&cvm(&s, &["images"]), "cvm images");
    assert_eq!(
        images["TotalCount"].as_u64().unwrap() as usize,
        images["ImageSet"].as_array().unwrap().len()
    );
    assert_shape(
        &cvm(&s, &["instance-types", "--zone", "ap-guangzhou-2"]),
        "cvm instance-types",
    );
    assert_no_secrets();
}

#[test]
fn shape_of_run() {
    let s = sim();
    let base = [
        "run",
        "--zone",
        "ap-guangzhou-2",
        "--image-id",
        "img-pmqg1cw7",
    ];
    let created = assert_shape(&cvm(&s, &base), "cvm run");
    assert_eq!(created["InstanceIdSet"].as_array().unwrap().len(), 1);
    let waited = assert_shape(
        &cvm(&s, &[&base[..], &["--wait"]].concat()),
        "cvm run --wait",
    );
    let id = waited["InstanceIdSet"][0].as_str().unwrap().to_owned();
    assert_eq!(states(&waited), [(id, "RUNNING".to_owned())]);
    let dry = assert_shape(
        &cvm(&s, &[&base[..], &["--dry-run"]].concat()),
        "cvm run --dry-run",
    );
    assert_eq!(dry["DryRun"], true);
    assert_no_secrets();
}

#[test]
fn shape_of_instances_status_and_call() {
    let s = sim();
    let ids = launch(&s, "3", "web");
    let page = assert_shape(&cvm(&s, &["instances", "--limit", "2"]), "cvm instances");
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(page["InstanceSet"].as_array().unwrap().len(), 2);
    let all = assert_shape(
        &cvm(&s, &["instances", "--all", "--limit", "2"]),
        "cvm instances",
    );
    assert_eq!(all["InstanceSet"].as_array().unwrap().len(), 3);
    let status = assert_shape(&cvm(&s, &["status", &ids[0]]), "cvm status");
    assert_eq!(
        status["InstanceStatusSet"][0]["InstanceId"],
        ids[0].as_str()
    );
    // The example: the reply's fields at the top, not under "Response".
    let call = assert_shape(
        &cvm(&s, &["call", "DescribeInstances", "Limit=1"]),
        "cvm call DescribeInstances",
    );
    assert_eq!(call["TotalCount"], 3);
    assert_no_secrets();
}

#[test]
fn shape_of_start_stop_reboot_wait_and_terminate() {
    let s = sim();
    let ids = launch(&s, "2", "power");
    let id = ids[0].as_str();
    let stopped = assert_shape(&cvm(&s, &["stop", id, "--wait"]), "cvm stop --wait");
    assert_eq!(states(&stopped), [(id.to_owned(), "STOPPED".to_owned())]);
    let started = assert_shape(&cvm(&s, &["start", id, "--wait"]), "cvm start --wait");
    assert_eq!(states(&started), [(id.to_owned(), "RUNNING".to_owned())]);
    assert_shape(&cvm(&s, &["reboot", id, "--wait"]), "cvm reboot --wait");
    assert_shape(&cvm(&s, &["stop", &ids[1]]), "cvm stop");
    let waited = assert_shape(
        &cvm(&s, &["wait", &ids[1], "--state", "STOPPED"]),
        "cvm wait",
    );
    assert_eq!(states(&waited), [(ids[1].clone(), "STOPPED".to_owned())]);
    assert_shape(&cvm(&s, &["start", &ids[1]]), "cvm start");
    assert_shape(
        &cvm(&s, &["wait", &ids[1], "--state", "RUNNING"]),
        "cvm wait",
    );
    assert_shape(&cvm(&s, &["reboot", &ids[1]]), "cvm reboot");
    assert_shape(
        &cvm(&s, &["wait", &ids[1], "--state", "RUNNING"]),
        "cvm wait",
    );
    assert_shape(&cvm(&s, &["terminate", &ids[1]]), "cvm terminate");
    let gone = assert_shape(
        &cvm(&s, &["terminate", id, "--wait"]),
        "cvm terminate --wait",
    );
    assert_eq!(states(&gone), [(id.to_owned(), "TERMINATED".to_owned())]);
    assert_no_secrets();
}

#[test]
fn query_narrows_the_document_and_a_bad_one_exits_2_before_sending() {
    let s = sim();
    let ids = launch(&s, "2", "q");
    let out = ok(&cvm(
        &s,
        &[
            "instances",
            "--query",
            "InstanceSet[].InstanceId",
            "-o",
            "text",
        ],
    ));
    let listed: BTreeSet<&str> = out.lines().collect();
    assert_eq!(listed, ids.iter().map(String::as_str).collect());
    let total = json(&cvm(
        &s,
        &["call", "DescribeInstances", "--query", "TotalCount"],
    ));
    assert_eq!(total, 2);
    let rows = ok(&cvm(
        &s,
        &[
            "instances",
            "--query",
            "InstanceSet[].[InstanceId, InstanceState]",
            "--output",
            "text",
        ],
    ));
    for line in rows.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        assert!(
            ids.contains(&fields[0].to_owned()) && fields[1] == "RUNNING",
            "{line}"
        );
    }
    let before = s.counters().requests;
    let bad = cvm(&s, &["zones", "--query", "ZoneSet[?"]);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("--query") && err.contains("JMESPath"), "{err}");
    assert!(bad.stdout.is_empty());
    assert_eq!(s.counters().requests, before, "nothing was sent");
    assert_no_secrets();
}

#[test]
fn text_is_one_tab_separated_line_per_item() {
    let s = sim();
    let ids = launch(&s, "2", "text");
    let out = ok(&cvm(&s, &["instances", "-o", "text"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for line in &lines {
        let fields: Vec<&str> = line.split('\t').collect();
        // ID NAME STATE TYPE ZONE PRIVATE_IP PUBLIC_IP CREATED, as the table's columns.
        assert_eq!(fields.len(), 8, "{line}");
        assert!(ids.contains(&fields[0].to_owned()), "{line}");
        assert_eq!((fields[2], fields[4]), ("RUNNING", "ap-guangzhou-2"));
    }
    // A document without a list (stop without --wait) is still printed: its RequestId.
    let stopped = ok(&cvm(&s, &["stop", &ids[0], "-o", "text"]));
    assert_eq!(stopped.lines().count(), 1, "{stopped}");
    assert!(stopped.len() > 10 && !stopped.contains('\t'), "{stopped}");
    let demo = cvm(&s, &["demo", "--query", "x"]);
    assert_eq!(demo.status.code(), Some(2));
    let zones = ok(&cvm(&s, &["zones", "-o", "text"]));
    assert!(zones
        .lines()
        .any(|l| l.split('\t').next() == Some("ap-guangzhou-2")));
    assert_no_secrets();
}

/// The display column at which the `n`th column (0-based) of a table line starts, cells being
/// separated by two or more spaces.
fn column_starts(line: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let mut spaces = 0;
    let mut width = 0;
    for c in line.chars() {
        if c == ' ' {
            spaces += 1;
        } else {
            if spaces >= 2 {
                starts.push(width);
            }
            spaces = 0;
        }
        width += UnicodeWidthStr::width(c.to_string().as_str());
    }
    starts
}

#[test]
fn tables_stay_aligned_with_chinese_names() {
    let s = sim();
    launch(&s, "1", "网站服务器");
    launch(&s, "1", "db");
    let out = ok(&cvm(
        &s,
        &[
            "instances",
            "--output",
            "table",
            "--filter",
            "zone=ap-guangzhou-2",
        ],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(out.contains("网站服务器"), "{out}");
    // ID NAME STATE TYPE ZONE PRIVATE_IP: the first six columns are set on every row (no public IP).
    let header = column_starts(lines[0]);
    for line in &lines[1..] {
        assert_eq!(column_starts(line)[..6], header[..6], "{out}");
    }
    assert_no_secrets();
}

/// Runs `cvm args` under `script`, so that stderr (and stdout unless redirected by `shell_tail`)
/// is a terminal; returns everything the terminal showed.
fn on_terminal(sim: &SimServer, args: &[&str], shell_tail: &str) -> (String, i32) {
    let quote = |a: &str| format!("'{}'", a.replace('\'', "'\\''"));
    let mut line = quote(env!("CARGO_BIN_EXE_cvm"));
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    line.push_str(shell_tail);
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .env("HOME", "/nonexistent")
        .env("CVM_ENDPOINT", sim.endpoint().url())
        .stdin(Stdio::null());
    for (k, v) in CREDS {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .expect("`script` (util-linux) runs cvm on a terminal");
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    PRINTED.lock().unwrap().push(text.clone());
    (text, out.status.code().unwrap_or(-1))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cvm-scripting-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn progress_is_drawn_on_a_terminal_stderr_only() {
    let s = sim();
    let run = [
        "run",
        "--zone",
        "ap-guangzhou-2",
        "--image-id",
        "img-pmqg1cw7",
        "--wait",
    ];
    // Piped stderr: not one byte of progress.
    let out = cvm(&s, &run);
    ok(&out);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `cvm run --wait > file` on a terminal: stdout is JSON, stderr shows the wait.
    let dir = scratch("progress");
    let file = dir.join("out.json");
    let tail = format!(" > '{}'", file.display());
    let (shown, code) = on_terminal(&s, &run, &tail);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("waiting for RUNNING: ins-"), "{shown}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(states(&doc)[0].1, "RUNNING");
    // --quiet: nothing on the terminal.
    let quiet: Vec<&str> = [&run[..], &["--quiet"]].concat();
    let (shown, code) = on_terminal(&s, &quiet, &tail);
    assert_eq!((code, shown.as_str()), (0, ""));
    let _ = std::fs::remove_dir_all(&dir);
    assert_no_secrets();
}

#[test]
fn json_on_a_terminal_is_the_bytes_of_a_pipe() {
    let s = sim();
    launch(&s, "1", "same");
    for args in [
        vec!["instances", "-o", "json"],
        vec!["call", "DescribeInstances", "Limit=1", "-o", "json"],
        vec!["zones", "-o", "json"],
    ] {
        let piped = ok(&cvm(&s, &args));
        let (shown, code) = on_terminal(&s, &args, "");
        assert_eq!(code, 0, "{shown}");
        // Each call has its own RequestId; everything else must be byte for byte the same.
        let mask = |text: &str| {
            let v: Value = serde_json::from_str(text).unwrap();
            let id = v["RequestId"].as_str().unwrap().to_owned();
            text.replace(&id, "<id>")
        };
        assert_eq!(mask(&shown), mask(&piped), "{args:?}");
    }
    assert_no_secrets();
}

#[test]
fn sim_help_shows_none_of_the_client_flags() {
    let help = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let client_flags = [
        "--endpoint",
        "--region",
        "--profile",
        "--signature-method",
        "--http-method",
        "--timeout",
        "--allow-insecure-http",
        "--verbose",
        "--query",
        "--output",
    ];
    let sim_help = help(&["sim", "--help"]);
    assert!(sim_help.contains("--listen"), "{sim_help}");
    for flag in client_flags {
        assert!(!sim_help.contains(flag), "{flag} in: {sim_help}");
    }
    let zones_help = help(&["zones", "--help"]);
    assert!(zones_help.contains("Global options:"), "{zones_help}");
    for flag in client_flags {
        assert!(zones_help.contains(flag), "{flag} missing: {zones_help}");
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn configure_writes_a_profile_that_cvm_reads_back() {
    let s = sim();
    let dir = scratch("configure");
    let file = dir.join("credentials");
    let before = "# keys of the team\n[default]\nsecret_id = AKIDother\nsecret_key = otherkey\n\n; spare\n[spare]\nsecret_id = AKIDspare\nsecret_key = sparekey\n";
    std::fs::write(&file, before).unwrap();
    let path = file.to_str().unwrap();
    let env = [("TENCENTCLOUD_CREDENTIALS_FILE", path)];
    let set = |key: &str, value: &str, stdin: &str| {
        let out = cvm_env(
            &s,
            &["--profile", "ci", "configure", "set", key, value],
            &env,
            stdin,
        );
        ok(&out);
    };
    set("secret_id", ID, "");
    set("secret_key", "-", &format!("{KEY}\n"));
    set("token", "-", &format!("{TOKEN}\n"));
    set("region", "ap-guangzhou", "");
    set("output", "text", "");
    assert_eq!(mode(&file), 0o600);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(before),
        "other sections and comments kept: {text}"
    );
    assert!(text.contains(&format!("[ci]\nsecret_id = {ID}\nsecret_key = {KEY}\n")));
    // A bad value is refused, and the file is left as it was.
    let bad = cvm_env(
        &s,
        &["--profile", "ci", "configure", "set", "output", "yaml"],
        &env,
        "",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // So is a region no command could send.
    let bad = cvm_env(
        &s,
        &[
            "--profile",
            "ci",
            "configure",
            "set",
            "region",
            "ap_guangzhou",
        ],
        &env,
        "",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ap_guangzhou"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    // An empty value unsets it, and is not a region to check.
    set("region", "", "");
    assert!(!std::fs::read_to_string(&file)
        .unwrap()
        .contains("region = ap-guangzhou"));
    set("region", "ap-guangzhou", "");

    // get and list never show the secret key or the token.
    let get = |key: &str| {
        ok(&cvm_env(
            &s,
            &["--profile", "ci", "configure", "get", key],
            &env,
            "",
        ))
    };
    assert_eq!(get("region"), "ap-guangzhou\n");
    assert_eq!(get("secret_key"), "<redacted>\n");
    assert_eq!(get("token"), "<redacted>\n");
    let list = assert_shape(
        &cvm_env(
            &s,
            &["--profile", "ci", "configure", "list", "-o", "json"],
            &env,
            "",
        ),
        "cvm configure list",
    );
    assert_eq!(list["Profile"], "ci");
    assert_eq!(list["File"], path);
    assert_eq!(list["secret_key"], "<redacted>");
    assert!(list["secret_id"]
        .as_str()
        .unwrap()
        .ends_with(&ID[ID.len() - 4..]));
    let unset = cvm_env(&s, &["configure", "get", "token"], &env, "");
    assert_eq!(unset.status.code(), Some(1));

    // The library reads the profile back: no credentials or region in the environment, and the
    // profile's output (text) is the default.
    for (args, profile_env) in [
        (vec!["--profile", "ci", "zones"], None),
        (vec!["zones"], Some(("TENCENTCLOUD_PROFILE", "ci"))),
    ] {
        let mut e = env.to_vec();
        e.extend(profile_env);
        let zones = ok(&cvm_env(&s, &args, &e, ""));
        assert!(
            zones.lines().any(|l| l.starts_with("ap-guangzhou-2\t")),
            "{zones}"
        );
        let json = json(&cvm_env(&s, &[&args[..], &["-o", "json"]].concat(), &e, ""));
        assert!(json["ZoneSet"].is_array());
    }
    // The default profile is still the other key, which the emulator does not know.
    let other = cvm_env(&s, &["--region", "ap-guangzhou", "zones"], &env, "");
    assert_eq!(
        other.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );

    // A hand-edited output that is no format is an error, not another format; --output or
    // configure still work.
    let edited = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, edited.replace("output = text", "output = jsno")).unwrap();
    let e = [env[0], ("TENCENTCLOUD_PROFILE", "ci")];
    let refused = cvm_env(&s, &["zones"], &e, "");
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(
            "the profile's output setting: output must be json, table or text, not \"jsno\""
        ),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(json(&cvm_env(&s, &["zones", "-o", "json"], &e, ""))["ZoneSet"].is_array());
    // Commands that print no document in the profile's format are not stopped.
    ok(&cvm_env(&s, &["completions", "bash"], &e, ""));
    ok(&cvm_env(
        &s,
        &["call", "DescribeZones", "--skeleton"],
        &e,
        "",
    ));
    // configure says so and mends it.
    let mended = cvm_env(&s, &["configure", "set", "output", "text"], &e, "");
    ok(&mended);
    assert!(String::from_utf8_lossy(&mended.stderr).contains("warning: the profile's output"));
    assert!(ok(&cvm_env(&s, &["zones"], &e, "")).contains("ap-guangzhou-2\t"));

    // Without a terminal, plain `cvm configure` says what to do instead of hanging.
    let asked = cvm_env(&s, &["configure"], &env, "");
    assert_eq!(asked.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&asked.stderr).contains("configure set"));
    let _ = std::fs::remove_dir_all(&dir);
    assert_no_secrets();
}

#[test]
fn configure_creates_the_file_with_mode_0600_and_never_echoes_a_broken_line() {
    let s = sim();
    let dir = scratch("create");
    let file = dir.join("sub").join("credentials");
    let path = file.to_str().unwrap();
    let env = [("TENCENTCLOUD_CREDENTIALS_FILE", path)];
    ok(&cvm_env(
        &s,
        &["configure", "set", "secret_key", "-"],
        &env,
        &format!("{KEY}\n"),
    ));
    assert_eq!(mode(&file), 0o600);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("[default]\nsecret_key = {KEY}\n")
    );
    // A malformed file is named by line, its content (a secret) never shown.
    std::fs::write(&file, format!("[default]\nsecret_key {KEY}\n")).unwrap();
    let out = cvm_env(&s, &["configure", "list"], &env, "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let out = cvm_env(&s, &["-v", "zones"], &env, "");
    assert_eq!(out.status.code(), Some(2));
    // With the keys in the environment the file is still where the region would come from: it
    // is named, not skipped for a missing region.
    let keys_only = [env[0], CREDS[0], CREDS[1], CREDS[2]];
    // (`-o json`: the output setting, which the same file holds, is not read then.)
    let out = cvm_env(&s, &["zones", "-o", "json"], &keys_only, "");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 2") && !said.contains("no region"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert_no_secrets();
}

#[test]
fn configure_asks_on_a_terminal_without_echoing_the_secret_key() {
    use std::io::Read;
    let s = sim();
    let dir = scratch("ask");
    let file = dir.join("credentials");
    let line = format!("'{}' configure", env!("CARGO_BIN_EXE_cvm"));
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .env("TENCENTCLOUD_CREDENTIALS_FILE", &file)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("`script` (util-linux) runs cvm on a terminal");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    let mut shown = String::new();
    for (prompt, answer) in [
        ("SecretId [", ID),
        ("SecretKey [", KEY),
        ("Region [", "ap-guangzhou"),
        ("Output (", "json"),
    ] {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while !shown.contains(prompt) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let chunk = rx
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no prompt {prompt:?} in: {shown}"));
            shown.push_str(&String::from_utf8_lossy(&chunk));
        }
        // The prompt is written just before echo is turned off.
        std::thread::sleep(std::time::Duration::from_millis(300));
        stdin.write_all(format!("{answer}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    while let Ok(chunk) = rx.try_recv() {
        shown.push_str(&String::from_utf8_lossy(&chunk));
    }
    PRINTED.lock().unwrap().push(shown.clone());
    assert!(status.success(), "{shown}");
    assert!(
        shown.contains(ID) && shown.contains("saved to [default]"),
        "{shown}"
    );
    assert_eq!(mode(&file), 0o600);
    // What was typed works: with the account's token added, the emulator accepts the profile.
    let env = [("TENCENTCLOUD_CREDENTIALS_FILE", file.to_str().unwrap())];
    ok(&cvm_env(
        &s,
        &["configure", "set", "token", "-"],
        &env,
        &format!("{TOKEN}\n"),
    ));
    json(&cvm_env(&s, &["zones"], &env, ""));
    let _ = std::fs::remove_dir_all(&dir);
    assert_no_secrets();
}

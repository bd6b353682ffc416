//! The `cvm` binary against the emulator on loopback: the demo, every command and flag, exit
//! statuses, and a search of all output for the secret key, the token and the password.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

use cvm_sim::{AccountConfig, FaultKind, FaultRule, SimConfig, SimServer, Transitions};
use serde_json::Value;

const ID: &str = "AKIDcliTESTaaaaaaaaaaaaaaaaaaaaaaaaa";
const KEY: &str = "cliSECRETkeyXXXXXXXXXXXXXXXXXXXX";
const TOKEN: &str = "cliTOKENzzzzzzzzzzzzzzzzzzzz";
const PASSWORD: &str = "CliPassw0rd!!";

/// Every byte any run printed, searched for secrets at the end of each test.
static PRINTED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn sim(config: SimConfig) -> SimServer {
    let config = config
        .with_accounts(vec![AccountConfig::new(ID, KEY).with_token(TOKEN)])
        .with_transitions(Transitions::all(std::time::Duration::from_millis(200)));
    SimServer::start(config).unwrap()
}

fn cvm(sim: &SimServer, args: &[&str], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cvm"));
    cmd.args([
        "--endpoint",
        &sim.endpoint().url(),
        "--region",
        "ap-guangzhou",
        "--timeout",
        "5",
    ])
    .args(args)
    .env_clear()
    .env("TENCENTCLOUD_SECRET_ID", ID)
    .env("TENCENTCLOUD_SECRET_KEY", KEY)
    .env("TENCENTCLOUD_SESSION_TOKEN", TOKEN)
    .env("HOME", "/nonexistent")
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // The command may exit before reading stdin (e.g. on a usage error): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    let mut printed = PRINTED.lock().unwrap();
    printed.push(String::from_utf8_lossy(&out.stdout).into_owned());
    printed.push(String::from_utf8_lossy(&out.stderr).into_owned());
    out
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "status {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_no_secrets() {
    for text in PRINTED.lock().unwrap().iter() {
        for secret in [KEY, TOKEN, PASSWORD] {
            assert!(
                !text.contains(secret),
                "secret {secret:?} printed in {text}"
            );
        }
    }
}

#[test]
fn demo_runs_the_walkthrough_on_the_embedded_emulator() {
    let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
        .args(["demo", "--output", "json"])
        .env_clear()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let actions: Vec<&str> = lines.iter().filter_map(|l| l["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "DescribeInstanceTypeConfigs",
            "RunInstances",
            "wait",
            "TerminateInstances",
            "wait",
            "DescribeInstances"
        ]
    );
    let run = &lines[2];
    assert_eq!(run["params"]["InstanceType"], "S2.MEDIUM4");
    assert_eq!(run["params"]["LoginSettings.Password"], "<redacted>");
    let summary = lines.last().unwrap();
    assert_eq!(summary["ok"], true);
    assert!(summary["summary"]
        .as_str()
        .unwrap()
        .starts_with("demo ok: created ins-"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Qcloud@TestApi123++"));
}

#[test]
fn run_wait_list_and_terminate() {
    let s = sim(SimConfig::default());
    let types = json(&cvm(
        &s,
        &[
            "instance-types",
            "--zone",
            "ap-guangzhou-2",
            "--family",
            "S2",
            "--output",
            "json",
        ],
        "",
    ));
    assert!(types["InstanceTypeConfigSet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["InstanceType"] == "S2.MEDIUM4"));

    let run_args = [
        "run",
        "--zone",
        "ap-guangzhou-2",
        "--image-id",
        "img-pmqg1cw7",
        "--instance-type",
        "S1.SMALL1",
        "--system-disk-type",
        "LOCAL_BASIC",
        "--system-disk-size",
        "50",
        "--data-disk",
        "LOCAL_BASIC:100",
        "--internet-charge-type",
        "TRAFFIC_POSTPAID_BY_HOUR",
        "--bandwidth",
        "10",
        "--public-ip",
        "--name",
        "QCLOUD-TEST",
        "--password-stdin",
        "--client-token",
        "cli-token-1",
        "--wait",
        "--wait-timeout",
        "30",
        "-v",
    ];
    let created = cvm(&s, &run_args, &format!("{PASSWORD}\n"));
    let v = json(&created);
    let ids: Vec<String> = serde_json::from_value(v["InstanceIdSet"].clone()).unwrap();
    assert_eq!(ids.len(), 1);
    // -v shows each attempt's string to sign with the secrets redacted.
    let stderr = String::from_utf8_lossy(&created.stderr);
    assert!(stderr.contains("> string to sign: POST"), "{stderr}");
    // ... and which source of the credentials chain won.
    assert!(stderr.contains("* credentials: "), "{stderr}");
    assert!(stderr.to_lowercase().contains("environment"), "{stderr}");
    assert!(
        stderr.contains("LoginSettings.Password=<redacted>")
            && stderr.contains("SecretId=<redacted>")
            && stderr.contains("Token=<redacted>"),
        "{stderr}"
    );

    // The same ClientToken creates nothing new.
    let again = json(&cvm(&s, &run_args, &format!("{PASSWORD}\n")));
    assert_eq!(again["InstanceIdSet"], v["InstanceIdSet"]);
    assert_eq!(s.counters().instances_created, 1);

    let dry = json(&cvm(
        &s,
        &[
            "run",
            "--zone",
            "ap-guangzhou-2",
            "--image-id",
            "img-pmqg1cw7",
            "--dry-run",
            "--output",
            "json",
        ],
        "",
    ));
    assert_eq!(dry["DryRun"], true);
    assert_eq!(s.counters().instances_created, 1);

    let described = json(&cvm(
        &s,
        &[
            "call",
            "DescribeInstances",
            &format!("InstanceIds.0={}", ids[0]),
        ],
        "",
    ));
    assert_eq!(described["InstanceSet"][0]["InstanceState"], "RUNNING");
    let by_file = json(&cvm(
        &s,
        &["call", "DescribeInstances", "--params", "-"],
        &format!(r#"{{"InstanceIds":["{}"]}}"#, ids[0]),
    ));
    assert_eq!(by_file["TotalCount"], 1);

    let gone = json(&cvm(
        &s,
        &["terminate", &ids[0], "--wait", "--wait-timeout", "30"],
        "",
    ));
    assert_eq!(
        gone["Instances"],
        serde_json::json!([{"InstanceId": ids[0], "InstanceState": "TERMINATED"}])
    );
    assert_no_secrets();
}

#[test]
fn exit_statuses_and_error_lines() {
    let s = sim(SimConfig::default());
    // API error: 1, as `Code: Message (RequestId ...)`.
    let out = cvm(&s, &["terminate", "ins-zzzzzzzz"], "");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("InvalidInstanceId.NotFound: ") && err.contains("(RequestId "),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1);
    // Usage: 2.
    assert_eq!(
        cvm(&s, &["call", "DescribeZones", "NoEquals"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cvm(
            &s,
            &[
                "run",
                "--zone",
                "z",
                "--image-id",
                "i",
                "--data-disk",
                "bad"
            ],
            ""
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        cvm(&s, &["--timeout", "-1", "call", "DescribeZones"], "")
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        cvm(
            &s,
            &[
                "run",
                "--zone",
                "ap-guangzhou-2",
                "--image-id",
                "img-pmqg1cw7",
                "--password-stdin"
            ],
            ""
        )
        .status
        .code(),
        Some(2)
    );
    // Transport: 3 (nothing listens on the port any more).
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
        .args([
            "--endpoint",
            &format!("http://127.0.0.1:{port}/"),
            "--region",
            "ap-guangzhou",
            "call",
            "DescribeZones",
        ])
        .env_clear()
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Missing credentials: 2, naming the source and not the secret.
    let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
        .args([
            "--endpoint",
            &s.endpoint().url(),
            "--region",
            "ap-guangzhou",
            "call",
            "DescribeZones",
        ])
        .env_clear()
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("TENCENTCLOUD_SECRET_KEY is missing"));
    assert_no_secrets();
}

#[test]
fn throttling_is_retried_and_global_flags_apply() {
    let rule = FaultRule::new(FaultKind::RequestLimitExceeded)
        .for_action("DescribeZones")
        .first(2);
    let s = sim(SimConfig::default().with_fault(rule));
    for (sig, method) in [("HmacSHA1", "get"), ("HmacSHA256", "post")] {
        let out = cvm(
            &s,
            &[
                "--signature-method",
                sig,
                "--http-method",
                method,
                "call",
                "DescribeZones",
                "--output",
                "json",
            ],
            "",
        );
        let v = json(&out);
        assert!(v["TotalCount"].as_u64().unwrap() > 0);
    }
    assert_eq!(
        cvm(
            &s,
            &["--signature-method", "MD5", "call", "DescribeZones"],
            ""
        )
        .status
        .code(),
        Some(2)
    );
    assert_no_secrets();
}

#[test]
fn daily_commands() {
    let s = sim(SimConfig::default());
    let run = [
        "run",
        "--zone",
        "ap-guangzhou-2",
        "--image-id",
        "img-pmqg1cw7",
        "--count",
        "3",
        "--name",
        "web",
        "--wait",
        "--output",
        "json",
    ];
    let v = json(&cvm(&s, &run, ""));
    let ids: Vec<String> = serde_json::from_value(v["InstanceIdSet"].clone()).unwrap();
    assert_eq!(ids.len(), 3);

    let all = json(&cvm(
        &s,
        &["instances", "--all", "--limit", "2", "--output", "json"],
        "",
    ));
    assert_eq!(all["InstanceSet"].as_array().unwrap().len(), 3);
    let first = json(&cvm(
        &s,
        &["instances", "--limit", "2", "--output", "json"],
        "",
    ));
    assert_eq!(
        (
            first["InstanceSet"].as_array().unwrap().len(),
            first["TotalCount"].as_i64()
        ),
        (2, Some(3))
    );
    let one = json(&cvm(
        &s,
        &["instances", "--id", &ids[1], "--output", "json"],
        "",
    ));
    assert_eq!(one["InstanceSet"][0]["InstanceId"], ids[1].as_str());
    let filtered = json(&cvm(
        &s,
        &[
            "instances",
            "--filter",
            "zone=ap-guangzhou-2",
            "--filter",
            "instance-state=RUNNING",
            "--filter",
            "zone=ap-guangzhou-3",
            "--output",
            "json",
        ],
        "",
    ));
    assert_eq!(filtered["TotalCount"], 3);
    let table = cvm(&s, &["instances", "--output", "table"], "");
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.starts_with("ID ") && text.contains("RUNNING") && text.contains("ap-guangzhou-2"),
        "{text}"
    );

    let status = json(&cvm(
        &s,
        &["status", &ids[0], &ids[1], "--output", "json"],
        "",
    ));
    assert_eq!(status["InstanceStatusSet"].as_array().unwrap().len(), 2);

    json(&cvm(
        &s,
        &[
            "stop",
            &ids[0],
            "--wait",
            "--stop-type",
            "HARD",
            "--output",
            "json",
        ],
        "",
    ));
    // A state rule of the service surfaces as its typed error, exit status 1.
    let again = cvm(&s, &["stop", &ids[0]], "");
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr)
        .starts_with("UnsupportedOperation.InstanceStateStopped:"));
    json(&cvm(
        &s,
        &["start", &ids[0], "--wait", "--output", "json"],
        "",
    ));
    json(&cvm(
        &s,
        &["reboot", &ids[0], "--wait", "--output", "json"],
        "",
    ));
    json(&cvm(
        &s,
        &[
            "wait",
            &ids[0],
            &ids[1],
            "--state",
            "RUNNING",
            "--timeout",
            "10",
            "--output",
            "json",
        ],
        "",
    ));
    assert_eq!(
        cvm(&s, &["wait", &ids[0], "--state", "BOGUS"], "")
            .status
            .code(),
        Some(2)
    );

    let zones = json(&cvm(&s, &["zones", "--output", "json"], ""));
    assert!(zones["ZoneSet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|z| z["Zone"] == "ap-guangzhou-2"));
    let regions = json(&cvm(&s, &["regions", "--output", "json"], ""));
    assert!(regions["RegionSet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["Region"] == "ap-guangzhou"));
    let images = json(&cvm(
        &s,
        &[
            "images",
            "--filter",
            "image-type=PUBLIC_IMAGE",
            "--output",
            "json",
        ],
        "",
    ));
    assert!(images["ImageSet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["ImageId"] == "img-pmqg1cw7"));

    let terminated = json(&cvm(
        &s,
        &[
            "terminate",
            &ids[0],
            &ids[1],
            &ids[2],
            "--wait",
            "--output",
            "json",
        ],
        "",
    ));
    let states: Vec<&str> = terminated["Instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["InstanceState"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["TERMINATED"; 3]);
    assert_no_secrets();
}

#[test]
fn waiting_on_a_failed_launch_names_the_instance() {
    let s = sim(SimConfig::default().with_fault(FaultRule::new(FaultKind::LaunchFailed)));
    let out = cvm(
        &s,
        &[
            "run",
            "--zone",
            "ap-guangzhou-2",
            "--image-id",
            "img-pmqg1cw7",
            "--wait",
            "--output",
            "json",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is LAUNCH_FAILED, so it will not become RUNNING") && err.contains("ins-"),
        "{err}"
    );
}

#[test]
fn completions_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("cvm") && text.contains("instance-types"),
            "{shell}"
        );
    }
}

/// `cvm run --wait` whose every RunInstances reply is lost: exit 4 with the ClientToken and the
/// exact command that recovers it; that command returns the instance that was created.
#[test]
fn an_unconfirmed_run_prints_its_token_and_the_command_that_recovers_it() {
    let s = sim(SimConfig::default()
        .with_fault(FaultRule::new(FaultKind::DropAfterProcessing).for_action("RunInstances")));
    let args = [
        "run",
        "--zone",
        "ap-guangzhou-2",
        "--image-id",
        "img-pmqg1cw7",
        "--wait",
        "--wait-timeout",
        "2",
        "--output",
        "json",
    ];
    let out = cvm(&s, &args, "");
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let token = err
        .split("--client-token ")
        .nth(1)
        .and_then(|rest| rest.split([':', ' ']).next())
        .unwrap_or_else(|| panic!("no token in: {err}"))
        .to_owned();
    assert_eq!(token.len(), 32, "{err}");
    assert!(err.contains("run --zone ap-guangzhou-2"), "{err}");
    assert_eq!(s.counters().instances_created, 1);

    s.with_sim(|sim| sim.set_faults(vec![]));
    let mut again: Vec<&str> = args.to_vec();
    again.extend(["--client-token", token.as_str()]);
    let recovered = json(&cvm(&s, &again, ""));
    let created: Vec<String> =
        s.with_sim(|sim| sim.instances().map(|i| i.id().to_owned()).collect());
    assert_eq!(recovered["InstanceIdSet"], serde_json::json!(created));
    assert_eq!(s.counters().instances_created, 1, "no second instance");
    assert_no_secrets();
}

/// Plain http:// to another machine is refused before anything is sent.
#[test]
fn plain_http_to_another_machine_is_refused() {
    let out = Command::new(env!("CARGO_BIN_EXE_cvm"))
        .args([
            "--endpoint",
            "http://cvm.example.invalid/",
            "--region",
            "ap-guangzhou",
            "zones",
        ])
        .env_clear()
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-insecure-http"), "{err}");
}

/// The fault drill through the binary: `cvm run --wait` then `cvm terminate ID --wait`, as a
/// script runs them, under lost, slow, throttled and failed requests: every instance created
/// is known to the script and destroyed, and every failure printed its recovery path.
#[test]
fn the_fault_drill_through_cvm_leaks_nothing() {
    let mut config = SimConfig::default().with_seed(11);
    for rule in [
        FaultRule::new(FaultKind::DropAfterProcessing)
            .for_action("RunInstances")
            .with_probability(0.30),
        FaultRule::new(FaultKind::Delay { millis: 1500 })
            .for_action("RunInstances")
            .with_probability(0.15),
        FaultRule::new(FaultKind::DropAfterProcessing)
            .for_action("TerminateInstances")
            .with_probability(0.15),
        FaultRule::new(FaultKind::RequestLimitExceeded).with_probability(0.10),
        FaultRule::new(FaultKind::BadGateway).with_probability(0.04),
        FaultRule::new(FaultKind::ServiceUnavailable).with_probability(0.04),
        FaultRule::new(FaultKind::InternalError).with_probability(0.04),
        FaultRule::new(FaultKind::DropBeforeProcessing).with_probability(0.04),
    ] {
        config = config.with_fault(rule);
    }
    let s = sim(config);
    let cycles = 6;
    let mut known = Vec::new();
    for _ in 0..cycles {
        let run = [
            "run",
            "--zone",
            "ap-guangzhou-2",
            "--image-id",
            "img-pmqg1cw7",
            "--wait",
            "--wait-timeout",
            "30",
            "--output",
            "json",
        ];
        let mut out = cvm(&s, &run, "");
        if out.status.code() == Some(4) {
            // The recovery path: the same command with the ClientToken the error names.
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            let token = err
                .split("--client-token ")
                .nth(1)
                .and_then(|r| r.split([':', ' ']).next())
                .unwrap()
                .to_owned();
            let mut again = run.to_vec();
            again.extend(["--client-token", token.as_str()]);
            out = cvm(&s, &again, "");
        }
        let ids = json(&out)["InstanceIdSet"].clone();
        let id = ids[0].as_str().unwrap().to_owned();
        let gone = cvm(&s, &["terminate", &id, "--wait", "--output", "json"], "");
        assert!(
            gone.status.success(),
            "terminate {id}: {}",
            String::from_utf8_lossy(&gone.stderr)
        );
        known.push(id);
    }
    let counters = s.counters();
    assert_eq!(
        counters.instances_created, cycles as u64,
        "duplicates: {counters:?}"
    );
    let alive: Vec<String> = s.with_sim(|sim| {
        sim.instances()
            .filter(|i| {
                !matches!(
                    i.state(),
                    cvm_proto::models::InstanceState::Terminating
                        | cvm_proto::models::InstanceState::Shutdown
                )
            })
            .map(|i| i.id().to_owned())
            .collect()
    });
    assert!(alive.is_empty(), "leaked: {alive:?}");
    assert!(counters.faults_injected > 5, "{counters:?}");
    assert_no_secrets();
}

/// A misspelled filter name is a usage error with a suggestion, not an empty list and status 0.
#[test]
fn misspelled_filter_names_are_caught_before_sending() {
    let s = sim(SimConfig::default());
    let out = cvm(&s, &["instances", "--filter", "instance-stat=RUNNING"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("did you mean \"instance-state\""), "{err}");
    let out = cvm(&s, &["images", "--filter", "image-typ=PUBLIC_IMAGE"], "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(s.counters().requests, 0, "nothing was sent");
    json(&cvm(
        &s,
        &["instances", "--filter", "tag:env=prod", "--output", "json"],
        "",
    ));
}

#[test]
fn calls_are_checked_against_the_spec_before_sending() {
    let s = sim(SimConfig::default());
    let cases: [(&[&str], &str); 4] = [
        (
            &["call", "StopInstances", "InstanceId.0=ins-1"],
            "did you mean `InstanceIds`?",
        ),
        (
            &["call", "StopInstances", "StopType=SOFT"],
            "required parameter `InstanceIds` is missing",
        ),
        (
            &["call", "DescribeInstances", "Limit=ten"],
            "`Limit` must be an integer (int64)",
        ),
        (
            &["call", "DescribeInstance"],
            "unknown action DescribeInstance (did you mean DescribeInstances?)",
        ),
    ];
    for (args, expected) in cases {
        let out = cvm(&s, args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_eq!(s.counters().requests, 0, "nothing was sent");
    // --no-validate sends it, and the emulator refuses it the same way.
    let out = cvm(
        &s,
        &[
            "call",
            "StopInstances",
            "InstanceId.0=ins-1",
            "--no-validate",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UnknownParameter"));
    // A valid call to an action that the emulator does not emulate says so.
    let out = cvm(&s, &["call", "DescribeHosts"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("UnsupportedOperation"));
}

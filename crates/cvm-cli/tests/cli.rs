//! The `cvm` binary end to end: pure subcommands, exit statuses and error lines.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cvm(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cvm"));
    cmd.args(args)
        .env_remove("TENCENTCLOUD_SECRET_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    // The command may exit before reading stdin (e.g. on a usage error): a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn flatten_prints_keys_in_signing_order() {
    let out = cvm(
        &["flatten"],
        &[],
        r#"{"Placement":{"Zone":"ap-guangzhou-2"},"InstanceIds":[],"DataDisks":[{"DiskSize":100,"DiskType":"LOCAL_BASIC"}],"DryRun":true,"Name":""}"#,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "DataDisks.0.DiskSize",
            "DataDisks.0.DiskType",
            "DryRun",
            "Name",
            "Placement.Zone"
        ]
    );
    assert_eq!(v["DryRun"], "true");
    assert_eq!(v["Name"], "");
}

#[test]
fn sign_reproduces_the_documented_signature() {
    let params = r#"{"Action":"DescribeInstances","InstanceIds.0":"ins-09dx96dg","Limit":"20","Nonce":"11886","Offset":"0","Region":"ap-guangzhou","SecretId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE","Timestamp":"1465185768","Version":"2017-03-12"}"#;
    let out = cvm(
        &[
            "sign",
            "--method",
            "GET",
            "--host",
            "cvm.tencentcloudapi.com",
            "--path",
            "/",
        ],
        &[(
            "TENCENTCLOUD_SECRET_KEY",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        )],
        params,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["signature"], "EliP9YW3pW28FpsEdkXt/+WcGeI=");
    assert_eq!(v["string_to_sign"], "GETcvm.tencentcloudapi.com/?Action=DescribeInstances&InstanceIds.0=ins-09dx96dg&Limit=20&Nonce=11886&Offset=0&Region=ap-guangzhou&SecretId=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE&Timestamp=1465185768&Version=2017-03-12");
    assert!(v["encoded"]
        .as_str()
        .unwrap()
        .contains("Signature=EliP9YW3pW28FpsEdkXt%2F%2BWcGeI%3D"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    for (args, env, stdin) in [
        (vec!["flatten"], vec![], "not json"),
        (vec!["flatten"], vec![], "[1,2]"),
        (vec!["flatten"], vec![], r#"{"a":1,"a":2}"#),
        (vec!["flatten"], vec![], r#"{"a b":1}"#),
        (vec!["sign", "--method", "GET", "--host", "h"], vec![], "{}"),
        (
            vec!["sign", "--method", "GET", "--host", "h"],
            vec![("TENCENTCLOUD_SECRET_KEY", "k")],
            r#"{"a":{"b":1}}"#,
        ),
        (
            vec!["sign", "--method", "PUT", "--host", "h"],
            vec![("TENCENTCLOUD_SECRET_KEY", "k")],
            "{}",
        ),
    ] {
        let out = cvm(&args, &env, stdin);
        assert_eq!(out.status.code(), Some(2), "{args:?} {stdin}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.trim().is_empty(), "{args:?}");
        if args[0] != "sign" || !args.contains(&"PUT") {
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        }
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    // `cvm ... | head -1`: the reader goes away; the command must neither panic nor complain.
    for args in [
        vec!["completions", "bash"],
        vec!["demo", "--output", "json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cvm"))
            .args(&args)
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {err}", out.status);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn actions_lists_every_action_of_the_spec() {
    let out = cvm(&["actions"], &[], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text.lines().collect();
    assert_eq!(names.len(), 106);
    assert!(names.contains(&"RunInstances") && names.contains(&"ResetInstancesPassword"));
    let long = cvm(&["actions", "--long"], &[], "");
    let long = String::from_utf8(long.stdout).unwrap();
    assert!(
        long.lines()
            .any(|l| l == "RunInstances\twrite\tClientToken\t-"),
        "{long}"
    );
    assert!(long
        .lines()
        .any(|l| l.starts_with("DescribeInstances\tread\t")));
    let out = cvm(&["actions", "--output", "json"], &[], "");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 106);
    assert_eq!(v[0]["Action"], "AllocateHosts");
}

#[test]
fn call_skeleton_needs_no_credentials() {
    let out = cvm(&["call", "RunInstances", "--skeleton"], &[], "");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Placement"]["Zone"], "string (required)");
    assert_eq!(v["DataDisks"][0]["DiskSize"], "int64 (required)");
    let out = cvm(&["call", "RunInstance", "--skeleton"], &[], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "unknown action RunInstance (did you mean RunInstances?)"
    );
}

/// `cvm zones` with the region given, against a port nothing listens on, in an environment of
/// only `vars`.
fn zones_with(vars: &[(&str, &std::ffi::OsStr)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cvm"))
        .args([
            "--endpoint",
            "http://127.0.0.1:9/",
            "--region",
            "ap-guangzhou",
            "zones",
        ])
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn a_variable_set_to_bytes_that_are_not_utf8_is_an_error_not_unset() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    // Were the variable taken as unset, the keys would come from the file below instead.
    let dir = std::env::temp_dir().join(format!("cvm-not-unicode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(
        &file,
        "[default]\nsecret_id = AKIDfile\nsecret_key = filekey\n",
    )
    .unwrap();
    let out = zones_with(&[
        ("TENCENTCLOUD_CREDENTIALS_FILE", file.as_os_str()),
        ("TENCENTCLOUD_SECRET_ID", OsStr::from_bytes(b"AKID\xffenv")),
        ("TENCENTCLOUD_SECRET_KEY", OsStr::new("envkey")),
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    let said = |name: &str| {
        format!("the environment variable {name} is set but not valid UTF-8, so it can be neither used nor taken as unset\n")
    };
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        said("TENCENTCLOUD_SECRET_ID")
    );
    // The variables the CLI reads itself: a password is not dropped (the instance would be
    // launched without it), nor a key, region or home directory.
    let keys = [
        ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
        ("TENCENTCLOUD_SECRET_KEY", "envkey"),
    ];
    let region = ["--region", "ap-guangzhou"];
    for (args, name) in [
        (
            &[
                "run",
                "--zone",
                "ap-guangzhou-2",
                "--image-id",
                "img-1",
                "--dry-run",
            ][..],
            "CVM_INSTANCE_PASSWORD",
        ),
        (
            &[
                "sign",
                "--method",
                "GET",
                "--host",
                "cvm.tencentcloudapi.com",
            ][..],
            "TENCENTCLOUD_SECRET_KEY",
        ),
        (&["zones"][..], "TENCENTCLOUD_REGION"),
        (&["zones"][..], "HOME"),
        (&["configure", "list"][..], "HOME"),
        (&["configure", "list"][..], "TENCENTCLOUD_CREDENTIALS_FILE"),
        (&["configure", "list"][..], "TENCENTCLOUD_PROFILE"),
    ] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cvm"));
        cmd.args(["--endpoint", "http://127.0.0.1:9/"]);
        // `sign` has a --region of its own, for TC3.
        if name != "TENCENTCLOUD_REGION" && args[0] != "sign" {
            cmd.args(region);
        }
        cmd.args(args).env_clear();
        // A file that does not exist, so that HOME is not read, unless the case is about them.
        if name != "HOME" && name != "TENCENTCLOUD_CREDENTIALS_FILE" {
            cmd.env("TENCENTCLOUD_CREDENTIALS_FILE", "/nonexistent/credentials");
        }
        // (`sign` reads only its key: a SecretId in the environment would ask for --tc3.)
        for (k, v) in keys {
            if k != name && args[0] != "sign" {
                cmd.env(k, v);
            }
        }
        let out = cmd
            .env(name, OsStr::from_bytes(b"\xfe"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), said(name), "{args:?}");
    }
    // A variable nothing reads in this command stops nothing: here the keys and region are
    // given, the call itself fails to connect (exit 3).
    let out = zones_with(&[
        (
            "TENCENTCLOUD_CREDENTIALS_FILE",
            OsStr::new("/nonexistent/credentials"),
        ),
        (keys[0].0, OsStr::new(keys[0].1)),
        (keys[1].0, OsStr::new(keys[1].1)),
        ("TKE_ROLE_ARN", OsStr::from_bytes(b"\xfe")),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("UTF-8"), "{stderr}");
}

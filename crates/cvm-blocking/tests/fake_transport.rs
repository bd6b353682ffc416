//! The client driven through a scripted fake transport: retries, ClientToken reuse, clock
//! correction, non-idempotent failures, size limits, waits, configuration and secrecy.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use cvm_blocking::proto::envelope;
use cvm_blocking::proto::models::RebootInstancesRequest;
use cvm_blocking::proto::models::{
    DescribeZonesRequest, InstanceState, RunInstancesRequest, TerminateInstancesRequest,
};
use cvm_blocking::proto::profile::{ChainError, Source};
use cvm_blocking::proto::CallError;
use cvm_blocking::{
    Client, ConfigError, Error, ErrorClass, HttpResponse, RetryPolicy, WaitOptions, WaitTarget,
};
use serde_json::json;

const ZONES: &str = r#"{"TotalCount":1,"ZoneSet":[{"Zone":"ap-guangzhou-2","ZoneState":"AVAILABLE"}],"RequestId":"req-ok"}"#;

#[test]
fn typed_call_signs_each_attempt_afresh() {
    let fake = Fake::script([api_error("RequestLimitExceeded", "slow down"), ok(ZONES)]);
    let client = builder(&fake).build().unwrap();
    let reply = client.call(&DescribeZonesRequest::default()).unwrap();
    assert_eq!(reply.request_id, "req-ok");
    assert_eq!(
        reply.output.zone_set[0].zone.as_deref(),
        Some("ap-guangzhou-2")
    );
    let sent = fake.sent();
    assert_eq!(sent.len(), 2);
    for p in &sent {
        assert_eq!(p.get("Action"), Some("DescribeZones"));
        assert_eq!(p.get("Region"), Some("ap-guangzhou"));
        assert_eq!(p.get("SecretId"), Some(SECRET_ID));
        assert_eq!(p.get("Token"), Some(TOKEN));
        let ts: u64 = p.get("Timestamp").unwrap().parse().unwrap();
        assert!(ts.abs_diff(unix_now()) <= 5, "timestamp {ts}");
    }
    assert_ne!(sent[0].get("Nonce"), sent[1].get("Nonce"));
    assert_ne!(sent[0].get("Signature"), sent[1].get("Signature"));
}

#[test]
fn throttling_gives_up_with_the_last_error() {
    let fake = Fake::with(|_| api_error("RequestLimitExceeded", "too many requests"));
    let client = builder(&fake).retry(fast_retry(3)).build().unwrap();
    let err = client.call(&DescribeZonesRequest::default()).unwrap_err();
    assert_eq!(fake.attempts(), 3);
    assert_eq!(
        err.to_string(),
        "RequestLimitExceeded: too many requests (RequestId req-err)"
    );
    assert!(err.is_api() && !err.is_transport());
    assert_eq!(err.class(), ErrorClass::Api);
    assert_eq!(err.api().unwrap().code, "RequestLimitExceeded");
}

#[test]
fn run_instances_reuses_its_client_token_across_retries() {
    let fake = Fake::script([
        fail(true, true),
        reply(502, "<html>Bad Gateway</html>"),
        ok(r#"{"InstanceIdSet":["ins-1"],"RequestId":"r"}"#),
    ]);
    let client = builder(&fake).build().unwrap();
    let reply = client.call(&RunInstancesRequest::default()).unwrap();
    assert_eq!(reply.output.instance_id_set, ["ins-1"]);
    let sent = fake.sent();
    assert_eq!(sent.len(), 3);
    let token = sent[0].get("ClientToken").unwrap().to_owned();
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(sent
        .iter()
        .all(|p| p.get("ClientToken") == Some(token.as_str())));

    // A second logical call gets a new token; a caller's own token is kept.
    let fake = Fake::script([
        ok(r#"{"InstanceIdSet":[],"RequestId":"r"}"#),
        ok(r#"{"InstanceIdSet":[],"RequestId":"r"}"#),
    ]);
    let client = builder(&fake).build().unwrap();
    client.call(&RunInstancesRequest::default()).unwrap();
    let mine = RunInstancesRequest {
        client_token: Some("my-token".into()),
        ..Default::default()
    };
    client.call(&mine).unwrap();
    let sent = fake.sent();
    assert_ne!(sent[0].get("ClientToken"), Some(token.as_str()));
    assert_eq!(sent[1].get("ClientToken"), Some("my-token"));

    // call_json gets a token as well.
    let fake = Fake::script([
        fail(true, false),
        ok(r#"{"InstanceIdSet":["ins-2"],"RequestId":"r"}"#),
    ]);
    let client = builder(&fake).build().unwrap();
    let reply = client
        .call_json("RunInstances", &json!({"ImageId": "img-1"}))
        .unwrap();
    assert_eq!(reply.output["InstanceIdSet"][0], "ins-2");
    let sent = fake.sent();
    assert!(sent[0].get("ClientToken").is_some());
    assert_eq!(sent[0].get("ClientToken"), sent[1].get("ClientToken"));
}

#[test]
fn non_idempotent_calls_are_not_resent_after_a_possible_send() {
    for (answer, class) in [
        (fail(true, true), ErrorClass::Timeout),
        (fail(true, false), ErrorClass::Transport),
        (reply(503, "Service Unavailable"), ErrorClass::InvalidReply),
        (reply(200, "not json"), ErrorClass::InvalidReply),
    ] {
        let fake = Fake::script([answer.clone()]);
        let client = builder(&fake).build().unwrap();
        let err = client
            .call(&RebootInstancesRequest::new(["ins-1"]))
            .unwrap_err();
        assert_eq!(fake.attempts(), 1, "{answer:?}");
        assert_eq!(err.class(), class, "{err}");
        assert_no_secret(&err.to_string());
    }
    // The same failures are retried for a read-only call.
    let fake = Fake::script([
        fail(true, true),
        reply(503, "x"),
        reply(200, "x"),
        ok(ZONES),
    ]);
    builder(&fake)
        .build()
        .unwrap()
        .call(&DescribeZonesRequest::default())
        .unwrap();
    assert_eq!(fake.attempts(), 4);
}

#[test]
fn a_request_that_was_never_sent_is_retried_even_if_not_idempotent() {
    let fake = Fake::script([fail(false, false), ok(r#"{"RequestId":"r"}"#)]);
    let client = builder(&fake).build().unwrap();
    client
        .call(&TerminateInstancesRequest::new(["ins-1"]))
        .unwrap();
    assert_eq!(fake.attempts(), 2);

    let fake = Fake::with(|_| fail(false, false));
    let err = builder(&fake)
        .build()
        .unwrap()
        .call(&TerminateInstancesRequest::new(["ins-1"]))
        .unwrap_err();
    assert_eq!(fake.attempts(), 4);
    assert!(err.is_transport() && !err.is_timeout());
}

#[test]
fn expired_signature_corrects_the_clock_for_later_calls() {
    let server = unix_now() + 300;
    let fake = Fake::script([
        api_error(
            "AuthFailure.SignatureExpire",
            &format!(
                "Signature expired. Timestamp is {}, the server time {server}.",
                unix_now()
            ),
        ),
        ok(ZONES),
        ok(ZONES),
    ]);
    let client = builder(&fake).build().unwrap();
    client.call(&DescribeZonesRequest::default()).unwrap();
    assert!(
        (299..=301).contains(&client.core().clock_offset()),
        "{}",
        client.core().clock_offset()
    );
    client.call(&DescribeZonesRequest::default()).unwrap();
    let sent = fake.sent();
    for p in &sent[1..] {
        let ts: u64 = p.get("Timestamp").unwrap().parse().unwrap();
        assert!(ts.abs_diff(unix_now() + 300) <= 3, "timestamp {ts}");
    }

    // Without a time in the message, the Date header tells the service's clock; Terminate is
    // not idempotent, but a refused signature was not processed, so it is resent all the same.
    let behind = unix_now() - 400;
    let expired = HttpResponse {
        status: 200,
        headers: vec![("Date".into(), http_date(behind))],
        body: br#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"expired"},"RequestId":"r"}}"#.to_vec(),
    };
    let fake = Fake::script([Answer::Reply(expired), ok(r#"{"RequestId":"r"}"#)]);
    let client = builder(&fake).build().unwrap();
    client
        .call(&TerminateInstancesRequest::new(["ins-1"]))
        .unwrap();
    assert!(
        (-401..=-399).contains(&client.core().clock_offset()),
        "{}",
        client.core().clock_offset()
    );

    // The clock is corrected once per call: a second expiry is final.
    let fake = Fake::with(move |_| {
        api_error(
            "AuthFailure.SignatureExpire",
            &format!("server time {server}"),
        )
    });
    let err = builder(&fake)
        .build()
        .unwrap()
        .call(&DescribeZonesRequest::default())
        .unwrap_err();
    assert_eq!(fake.attempts(), 2);
    assert_eq!(err.api().unwrap().code, "AuthFailure.SignatureExpire");
}

#[test]
fn oversize_replies_are_an_error() {
    let big = HttpResponse {
        status: 200,
        headers: vec![("Content-Length".into(), "5000".into())],
        body: vec![b' '; 5000],
    };
    let fake = Fake::script([Answer::Reply(big.clone())]);
    let client = builder(&fake)
        .body_limit(100)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.call(&DescribeZonesRequest::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Call(CallError::Reply(envelope::Error::TooLarge {
            size: 5000,
            limit: 100
        }))
    );
    assert_eq!(err.class(), ErrorClass::InvalidReply);
    // A body of exactly the limit is fine.
    let body = r#"{"Response":{"RequestId":"r"}}"#;
    let fake = Fake::script([reply(200, body)]);
    builder(&fake)
        .body_limit(body.len())
        .build()
        .unwrap()
        .call_json("DescribeZones", &json!({}))
        .unwrap();
}

#[test]
fn waits_until_running_reporting_progress() {
    let states = std::sync::Mutex::new(vec!["PENDING", "PENDING", "RUNNING"].into_iter());
    let fake = Fake::with(move |p| {
        assert_eq!(p.get("Action"), Some("DescribeInstancesStatus"));
        assert_eq!(p.get("InstanceIds.0"), Some("ins-1"));
        let s = states.lock().unwrap().next().unwrap();
        ok(&format!(
            r#"{{"TotalCount":1,"InstanceStatusSet":[{{"InstanceId":"ins-1","InstanceState":"{s}"}}],"RequestId":"r"}}"#
        ))
    });
    let client = builder(&fake).build().unwrap();
    let options = {
        let mut v = WaitOptions::default();
        v.first_interval = Duration::from_millis(1);
        v.max_interval = Duration::from_millis(2);
        v.timeout = Duration::from_secs(10);
        v
    };
    let mut lines = Vec::new();
    let waiter = client
        .wait_until(
            ["ins-1"],
            WaitTarget::State(InstanceState::Running),
            options,
            |w| lines.push(w.progress()),
        )
        .unwrap();
    assert_eq!(lines, ["ins-1 PENDING", "ins-1 PENDING", "ins-1 RUNNING"]);
    assert_eq!(waiter.polls(), 3);

    let fake = Fake::with(|_| {
        ok(
            r#"{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-1","InstanceState":"LAUNCH_FAILED"}],"RequestId":"r"}"#,
        )
    });
    let err = builder(&fake)
        .build()
        .unwrap()
        .wait_until(
            ["ins-1"],
            WaitTarget::State(InstanceState::Running),
            options,
            |_| {},
        )
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::WaitFailed);
    assert_eq!(
        err.to_string(),
        "instance ins-1 is LAUNCH_FAILED, so it will not become RUNNING"
    );

    let fake = Fake::with(|_| {
        ok(
            r#"{"TotalCount":1,"InstanceStatusSet":[{"InstanceId":"ins-1","InstanceState":"PENDING"}],"RequestId":"r"}"#,
        )
    });
    let short = {
        let mut v = options;
        v.timeout = Duration::from_millis(20);
        v
    };
    let err = builder(&fake)
        .build()
        .unwrap()
        .wait_until(
            ["ins-1"],
            WaitTarget::State(InstanceState::Running),
            short,
            |_| {},
        )
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");

    let fake = Fake::with(|_| ok(r#"{"TotalCount":0,"InstanceStatusSet":[],"RequestId":"r"}"#));
    builder(&fake)
        .build()
        .unwrap()
        .wait_until(["ins-1"], WaitTarget::Gone, options, |_| {})
        .unwrap();
    let none: [&str; 0] = [];
    let err = builder(&fake)
        .build()
        .unwrap()
        .wait_until(none, WaitTarget::Gone, options, |_| {})
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Usage);
}

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn credentials_and_region_come_from_the_environment_or_the_file() {
    let fake = Fake::script([]);
    let client = Client::builder()
        .env(env_of(&[
            ("TENCENTCLOUD_SECRET_ID", "AKIDenv"),
            ("TENCENTCLOUD_SECRET_KEY", SECRET_KEY),
            ("TENCENTCLOUD_REGION", "ap-shanghai"),
        ]))
        .transport(Arc::clone(&fake))
        .build()
        .unwrap();
    assert_eq!(client.core().credentials().unwrap().secret_id(), "AKIDenv");
    assert_eq!(client.core().credentials_source(), Source::Environment);
    assert_eq!(client.config().region.as_deref(), Some("ap-shanghai"));

    let home = std::env::temp_dir().join(format!("cvm-blocking-test-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".tencentcloud")).unwrap();
    std::fs::write(
        home.join(".tencentcloud/credentials"),
        format!("[default]\nsecret_id = AKIDfile\nsecret_key = {SECRET_KEY}\ntoken = {TOKEN}\n"),
    )
    .unwrap();
    let home_str = home.to_str().unwrap().to_owned();
    let client = Client::builder()
        .env(env_of(&[("HOME", &home_str)]))
        .region("ap-beijing")
        .transport(Arc::clone(&fake))
        .build()
        .unwrap();
    assert_eq!(client.core().credentials().unwrap().secret_id(), "AKIDfile");
    assert!(matches!(
        client.core().credentials_source(),
        Source::File { .. }
    ));
    assert_no_secret(&format!("{client:?}"));

    let err = Client::builder()
        .env(env_of(&[("HOME", &home_str)]))
        .region("ap-beijing")
        .profile("nope")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Credentials(ChainError::NoProfile { .. })),
        "{err}"
    );
    std::fs::remove_dir_all(&home).unwrap();

    // Nothing static: the client is built, and the first call tries the instance role (here a
    // closed loopback port) before it fails, naming every place it looked.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let metadata = format!("http://{closed}/");
    let client = Client::builder()
        .env(env_of(&[
            ("HOME", &home_str),
            ("TENCENTCLOUD_METADATA_ENDPOINT", &metadata),
        ]))
        .region("ap-beijing")
        .build()
        .unwrap();
    assert_eq!(client.core().credentials_source(), Source::Pending);
    let err = client.credentials().unwrap_err();
    assert!(
        matches!(err, Error::Credentials(ChainError::NotFound { .. })),
        "{err}"
    );
    assert!(err.to_string().contains(&metadata), "{err}");
    assert_eq!(err.class(), ErrorClass::Usage);

    let err = Client::builder()
        .credentials(creds())
        .env(env_of(&[]))
        .build()
        .unwrap_err();
    assert_eq!(err, Error::Config(ConfigError::MissingRegion));
    assert!(Client::builder()
        .credentials(creds())
        .env(env_of(&[]))
        .no_region()
        .build()
        .is_ok());
    let err = Client::builder()
        .credentials(creds())
        .region("bad region")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ConfigError::Endpoint(_))),
        "{err}"
    );
    let err = Client::builder()
        .credentials(creds())
        .region("ap-guangzhou")
        .endpoint_url("ftp://x")
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ConfigError::Endpoint(_))),
        "{err}"
    );
}

#[test]
fn many_threads_share_one_client() {
    let fake = Fake::with(|p| {
        let n = p.get("Offset").unwrap_or("0");
        ok(&format!(
            r#"{{"TotalCount":{n},"InstanceStatusSet":[],"RequestId":"r-{n}"}}"#
        ))
    });
    let client = Arc::new(builder(&fake).build().unwrap());
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let client = Arc::clone(&client);
            std::thread::spawn(move || {
                for i in 0..10 {
                    let n = t * 10 + i;
                    let reply = client
                        .call_json("DescribeInstancesStatus", &json!({"Offset": n}))
                        .unwrap();
                    assert_eq!(reply.request_id, format!("r-{n}"));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let nonces: HashSet<String> = fake
        .sent()
        .iter()
        .map(|p| p.get("Nonce").unwrap().to_owned())
        .collect();
    assert_eq!(fake.attempts(), 80);
    assert!(nonces.len() >= 79, "nonces repeat: {}", nonces.len());
}

#[test]
fn no_secret_in_errors_or_debug() {
    let mut texts = Vec::new();
    let answers = [
        api_error("AuthFailure.SignatureFailure", "bad signature"),
        fail(true, true),
        fail(false, false),
        reply(502, "<html>Bad Gateway</html>"),
        reply(200, "{"),
    ];
    for answer in answers {
        let fake = Fake::with(move |_| answer.clone());
        // TerminateInstances is retried until the deadline: keep it short here.
        let client = builder(&fake)
            .retry(fast_retry(2).with_deadline(Duration::from_millis(300)))
            .build()
            .unwrap();
        texts.push(format!("{client:?}"));
        for err in [
            client
                .call(&TerminateInstancesRequest::new(["ins-1"]))
                .unwrap_err(),
            client
                .call_json("DescribeZones", &json!({"Password": "hunter2"}))
                .unwrap_err(),
        ] {
            texts.push(err.to_string());
            texts.push(format!("{err:?}"));
        }
    }
    texts.push(format!("{:?}", Client::builder().credentials(creds())));
    for text in &texts {
        assert_no_secret(text);
        assert!(!creds().appears_in(text));
    }
}

#[test]
fn plain_http_to_another_machine_is_refused_unless_allowed() {
    let build = |url: &str, allow: bool| {
        Client::builder()
            .credentials(creds())
            .region("ap-guangzhou")
            .endpoint_url(url)
            .allow_insecure_http(allow)
            .build()
    };
    let err = build("http://cvm.example.invalid/", false).unwrap_err();
    assert!(
        matches!(&err, Error::Config(cvm_blocking::ConfigError::InsecureHttp { host }) if host == "cvm.example.invalid"),
        "{err}"
    );
    assert_eq!(err.class(), ErrorClass::Usage);
    assert!(build("http://cvm.example.invalid/", true).is_ok());
    assert!(build("http://127.0.0.1:8080/", false).is_ok());
    assert!(build("http://localhost:8080/", false).is_ok());
    assert!(build("https://cvm.tencentcloudapi.com/", false).is_ok());
    // A secret in the URL's user information is refused and never echoed.
    let err = build("https://AKID:s3cr3t@cvm.tencentcloudapi.com/", false).unwrap_err();
    assert!(!format!("{err} {err:?}").contains("s3cr3t"), "{err:?}");
}

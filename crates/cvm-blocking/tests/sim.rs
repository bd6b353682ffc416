//! The client against the emulator (`cvm-sim`) over real HTTP: the walkthrough, throttling,
//! lost replies, clock skew, transport faults, timeouts, size limits, threads and secrecy.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use cvm_blocking::proto::envelope::{self, ErrorKind};
use cvm_blocking::proto::models::RebootInstancesRequest;
use cvm_blocking::proto::models::{
    DescribeInstanceTypeConfigsRequest, DescribeInstancesRequest, DescribeZonesRequest, Filter,
    InstanceState, TerminateInstancesRequest,
};
use cvm_blocking::proto::CallError;
use cvm_blocking::{ClientBuilder, Credentials, Error, ErrorClass, RetryPolicy, WaitTarget};
use cvm_sim::{FaultKind, FaultRule, RateLimit, SimConfig, SimServer};
use serde_json::json;

fn client(server: &SimServer) -> ClientBuilder {
    sim_client(server)
}

#[test]
fn walkthrough() {
    let server = sim(SimConfig::default());
    let c = client(&server).build().unwrap();
    assert_no_secret(&format!("{c:?}"));

    let types = c
        .call(&DescribeInstanceTypeConfigsRequest {
            filters: vec![
                Filter::new("zone", ["ap-guangzhou-2"]),
                Filter::new("instance-family", ["S2"]),
            ],
        })
        .unwrap();
    let picked = types
        .output
        .instance_type_config_set
        .iter()
        .find(|t| t.cpu == Some(2) && t.memory == Some(4))
        .and_then(|t| t.instance_type.clone())
        .unwrap();
    assert_eq!(picked, "S2.MEDIUM4");

    let run = c.call(&walkthrough_request()).unwrap();
    let ids = run.output.instance_id_set;
    assert_eq!(ids.len(), 1);
    assert!(!run.request_id.is_empty());

    let mut progress = Vec::new();
    c.wait_until(
        ids.clone(),
        WaitTarget::State(InstanceState::Running),
        wait_options(),
        |w| progress.push(w.progress()),
    )
    .unwrap();
    assert_eq!(progress.last().unwrap(), &format!("{} RUNNING", ids[0]));

    let described = c
        .call(&DescribeInstancesRequest {
            instance_ids: ids.clone(),
            ..Default::default()
        })
        .unwrap();
    let instance = &described.output.instance_set[0];
    assert_eq!(instance.instance_name.as_deref(), Some("QCLOUD-TEST"));
    assert_eq!(instance.instance_type.as_deref(), Some("S1.SMALL1"));
    assert_eq!(instance.instance_state, Some(InstanceState::Running));

    c.call(&TerminateInstancesRequest::new(ids.clone()))
        .unwrap();
    c.wait_until(ids.clone(), WaitTarget::Gone, wait_options(), |_| {})
        .unwrap();
    assert!(server.with_sim(|s| s.instance(&ids[0]).is_none()));
    assert_eq!(server.counters().instances_created, 1);

    // The legacy gateway answers through the same client.
    let legacy = client(&server)
        .endpoint(server.legacy_endpoint())
        .build()
        .unwrap();
    legacy.call_json("DescribeZones", &json!({})).unwrap();
}

#[test]
fn throttling_is_retried_then_given_up_with_the_final_error() {
    let server = sim(SimConfig::default().with_fault(
        FaultRule::new(FaultKind::RequestLimitExceeded)
            .for_action("DescribeZones")
            .first(2),
    ));
    let c = client(&server).build().unwrap();
    c.call(&DescribeZonesRequest::default()).unwrap();
    assert_eq!(server.counters().faults_injected, 2);

    server.with_sim(|s| {
        s.set_faults(vec![
            FaultRule::new(FaultKind::RequestLimitExceeded).for_action("DescribeZones")
        ])
    });
    let c = client(&server).retry(fast_retry(3)).build().unwrap();
    let err = checked(c.call(&DescribeZonesRequest::default()).unwrap_err());
    assert_eq!(server.counters().faults_injected, 5);
    let api = err.api().unwrap();
    assert_eq!(
        (api.code.as_str(), api.kind),
        ("RequestLimitExceeded", ErrorKind::Throttled)
    );
    assert!(
        err.to_string().starts_with("RequestLimitExceeded: "),
        "{err}"
    );
    assert!(err.to_string().contains("(RequestId "), "{err}");

    // InternalError is retried the same way, even for a non-idempotent action.
    server.with_sim(|s| {
        s.set_faults(vec![FaultRule::new(FaultKind::InternalError)
            .for_action("DescribeZones")
            .first(1)])
    });
    c.call(&DescribeZonesRequest::default()).unwrap();
}

#[test]
fn the_real_rate_limit_is_ridden_out_by_retries() {
    let server = sim(SimConfig::default().with_rate_limit(Some(RateLimit {
        requests_per_second: 20.0,
        burst: 5.0,
    })));
    let c = Arc::new(
        client(&server)
            .retry({
                let mut v = RetryPolicy::default();
                v.max_attempts = 30;
                v.base_delay = Duration::from_millis(50);
                v.max_delay = Duration::from_millis(500);
                v.deadline = Duration::from_secs(30);
                v
            })
            .build()
            .unwrap(),
    );
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for _ in 0..5 {
                    c.call(&DescribeZonesRequest::default()).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let counters = server.counters();
    assert!(
        counters
            .errors_by_code
            .get("RequestLimitExceeded")
            .copied()
            .unwrap_or(0)
            > 0,
        "{counters:?}"
    );
}

#[test]
fn a_lost_run_instances_reply_is_retried_with_the_same_token() {
    let server = sim(SimConfig::default().with_fault(
        FaultRule::new(FaultKind::DropAfterProcessing)
            .for_action("RunInstances")
            .first(1),
    ));
    let c = client(&server).build().unwrap();
    let run = c.call(&walkthrough_request()).unwrap();
    assert_eq!(run.output.instance_id_set.len(), 1);
    let counters = server.counters();
    assert_eq!(counters.faults_injected, 1);
    assert_eq!(counters.requests_by_action.get("RunInstances"), Some(&2));
    assert_eq!(counters.instances_created, 1);
    let listed: Vec<String> =
        server.with_sim(|s| s.instances().map(|i| i.id().to_owned()).collect());
    assert_eq!(listed, run.output.instance_id_set);
}

#[test]
fn clock_skew_beyond_five_minutes_is_corrected() {
    for skew in [330i64, -330] {
        let server = sim(SimConfig::default().with_clock_offset(skew));
        let c = client(&server).build().unwrap();
        c.call(&DescribeZonesRequest::default()).unwrap();
        assert!(
            (skew - 2..=skew + 2).contains(&c.core().clock_offset()),
            "skew {skew}: offset {}",
            c.core().clock_offset()
        );
        c.call(&TerminateInstancesRequest::new(["ins-00000000"]))
            .unwrap_err();
        c.call(&DescribeZonesRequest::default()).unwrap();
        let counters = server.counters();
        assert_eq!(
            counters.errors_by_code.get("AuthFailure.SignatureExpire"),
            Some(&1),
            "{counters:?}"
        );
    }
}

#[test]
fn transport_faults_on_reboot_are_not_retried() {
    for (kind, class) in [
        (FaultKind::DropBeforeProcessing, ErrorClass::Transport),
        (FaultKind::DropAfterProcessing, ErrorClass::Transport),
        (FaultKind::BadGateway, ErrorClass::InvalidReply),
        (FaultKind::ServiceUnavailable, ErrorClass::InvalidReply),
    ] {
        let server = sim(
            SimConfig::default().with_fault(FaultRule::new(kind).for_action("RebootInstances"))
        );
        let c = client(&server).build().unwrap();
        let id = c
            .call(&walkthrough_request())
            .unwrap()
            .output
            .instance_id_set
            .remove(0);
        c.wait_until(
            [id.as_str()],
            WaitTarget::State(InstanceState::Running),
            wait_options(),
            |_| {},
        )
        .unwrap();
        let err = checked(
            c.call(&RebootInstancesRequest::new([id.as_str()]))
                .unwrap_err(),
        );
        assert_eq!(err.class(), class, "{kind:?}: {err}");
        assert_eq!(server.counters().faults_injected, 1, "{kind:?} was retried");
        if kind == FaultKind::DropAfterProcessing {
            // The service did act: the instance is rebooting although the caller saw an error.
            let state = server.with_sim(|s| s.instance(&id).map(|i| i.state()));
            assert!(matches!(state, Some(InstanceState::Rebooting)), "{state:?}");
        }
    }

    // The same faults are retried for a read-only call.
    let server =
        sim(SimConfig::default().with_fault(FaultRule::new(FaultKind::BadGateway).first(2)));
    let c = client(&server).build().unwrap();
    c.call(&DescribeZonesRequest::default()).unwrap();
    assert_eq!(server.counters().faults_injected, 2);
    server.with_sim(|s| {
        s.set_faults(vec![FaultRule::new(FaultKind::DropBeforeProcessing)
            .for_action("DescribeZones")
            .first(2)])
    });
    c.call(&DescribeZonesRequest::default()).unwrap();
    assert_eq!(server.counters().faults_injected, 4);
}

#[test]
fn slow_replies_hit_the_timeout() {
    let server = sim(SimConfig::default().with_fault(
        FaultRule::new(FaultKind::Delay { millis: 3000 }).for_action("RebootInstances"),
    ));
    let c = client(&server)
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = checked(
        c.call(&RebootInstancesRequest::new(["ins-00000000"]))
            .unwrap_err(),
    );
    assert!(err.is_timeout() && err.is_transport(), "{err}");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.counters().faults_injected, 1);
}

#[test]
fn a_reply_over_the_size_limit_is_an_error() {
    let server = sim(SimConfig::default());
    let c = client(&server)
        .body_limit(512)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = checked(
        c.call(&DescribeInstanceTypeConfigsRequest::default())
            .unwrap_err(),
    );
    let Error::Call(CallError::Reply(envelope::Error::TooLarge { size, limit })) = err else {
        panic!("{err:?}")
    };
    assert_eq!(limit, 512);
    assert!(size > 512, "{size}");
    // The same reply fits the default limit.
    client(&server)
        .build()
        .unwrap()
        .call(&DescribeInstanceTypeConfigsRequest::default())
        .unwrap();
}

#[test]
fn many_threads_share_one_client() {
    let server = sim(SimConfig::default().with_rate_limit(None));
    let c = Arc::new(client(&server).build().unwrap());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                for i in 0..10 {
                    if (t + i) % 2 == 0 {
                        assert!(!c
                            .call(&DescribeZonesRequest::default())
                            .unwrap()
                            .output
                            .zone_set
                            .is_empty());
                    } else {
                        c.call_json("DescribeInstancesStatus", &json!({"Limit": 100}))
                            .unwrap();
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(server.counters().requests, 80);
    assert!(server.counters().errors_by_code.is_empty());
}

#[test]
fn secrets_appear_in_no_error_or_debug_output() {
    let server = sim(SimConfig::default());
    let mut texts = Vec::new();
    fn record(texts: &mut Vec<String>, err: Error) {
        texts.push(err.to_string());
        texts.push(format!("{err:?}"));
    }
    // A wrong key, a missing token, and a wrong token are all refused without echoing a secret.
    let wrong_key = Credentials::new(SECRET_ID, format!("{SECRET_KEY}-wrong"))
        .unwrap()
        .with_token(TOKEN)
        .unwrap();
    let no_token = Credentials::new(SECRET_ID, SECRET_KEY).unwrap();
    let wrong_token = Credentials::new(SECRET_ID, SECRET_KEY)
        .unwrap()
        .with_token(format!("{TOKEN}x"))
        .unwrap();
    for creds in [wrong_key, no_token, wrong_token] {
        let c = client(&server).credentials(creds).build().unwrap();
        texts.push(format!("{c:?}"));
        let err = c.call(&DescribeZonesRequest::default()).unwrap_err();
        assert_eq!(err.class(), ErrorClass::Api, "{err}");
        record(&mut texts, err);
    }
    // Errors of every class, with the right credentials, by POST and by GET.
    for method in [
        cvm_blocking::proto::HttpMethod::Post,
        cvm_blocking::proto::HttpMethod::Get,
    ] {
        let c = client(&server)
            .http_method(method)
            .retry(fast_retry(2))
            .build()
            .unwrap();
        texts.push(format!("{c:?}"));
        record(
            &mut texts,
            c.call(&TerminateInstancesRequest::new(["ins-nothere"]))
                .unwrap_err(),
        );
        let mut bad = walkthrough_request();
        bad.image_id = Some("img-doesnotexist".into());
        record(&mut texts, c.call(&bad).unwrap_err());
        record(
            &mut texts,
            c.call_json("NoSuchAction", &json!({"Password": PASSWORD}))
                .unwrap_err(),
        );
        server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::BadGateway)]));
        record(
            &mut texts,
            c.call(&DescribeZonesRequest::default()).unwrap_err(),
        );
        server.with_sim(|s| s.set_faults(vec![FaultRule::new(FaultKind::DropBeforeProcessing)]));
        record(
            &mut texts,
            c.call(&DescribeZonesRequest::default()).unwrap_err(),
        );
        server.with_sim(|s| s.set_faults(vec![]));
    }
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let c = client(&server)
        .endpoint_url(&closed)
        .retry(fast_retry(2))
        .build()
        .unwrap();
    record(
        &mut texts,
        c.call(&DescribeZonesRequest::default()).unwrap_err(),
    );
    assert!(texts.len() >= 20);
    for text in &texts {
        assert_no_secret(text);
        assert!(!text.contains(PASSWORD), "password leaked in: {text}");
    }
}

/// The walkthrough, a lost RunInstances reply and a skewed clock, signed with TC3-HMAC-SHA256
/// over POST and GET: the same decisions as signature v1.
#[test]
fn tc3_walkthrough_retries_and_clock_correction() {
    use cvm_blocking::proto::sign::SignatureMethod;
    use cvm_blocking::proto::HttpMethod;
    for method in [HttpMethod::Post, HttpMethod::Get] {
        let server = sim(SimConfig::default().with_clock_offset(330).with_fault(
            FaultRule::new(FaultKind::DropAfterProcessing)
                .for_action("RunInstances")
                .first(1),
        ));
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let c = client(&server)
            .signature_method(SignatureMethod::Tc3HmacSha256)
            .http_method(method)
            .on_attempt(move |p| {
                record
                    .lock()
                    .unwrap()
                    .push((p.signature_method(), format!("{p:?}")))
            })
            .build()
            .unwrap();
        c.call(&DescribeZonesRequest::default()).unwrap();
        assert!((328..=332).contains(&c.core().clock_offset()), "{method}");
        let run = c.call(&walkthrough_request()).unwrap();
        let ids = run.output.instance_id_set;
        assert_eq!(ids.len(), 1, "{method}");
        assert_eq!(server.counters().instances_created, 1, "{method}");
        c.wait_until(
            ids.clone(),
            WaitTarget::State(InstanceState::Running),
            wait_options(),
            |_| {},
        )
        .unwrap();
        c.call(&TerminateInstancesRequest::new(ids)).unwrap();
        let seen = seen.lock().unwrap();
        assert!(seen
            .iter()
            .all(|(m, _)| *m == SignatureMethod::Tc3HmacSha256));
        for (_, debug) in seen.iter() {
            assert_no_secret(debug);
        }
        let counters = server.counters();
        assert_eq!(
            counters.errors_by_code.get("AuthFailure.SignatureExpire"),
            Some(&1),
            "{method}: {counters:?}"
        );
    }
}

/// Terminating is safe to repeat: a lost reply, a gateway error or a dropped connection is
/// retried, and a repeat that finds the instance already going is the call's success.
#[test]
fn terminate_is_retried_through_transient_faults_and_succeeds() {
    for kind in [
        FaultKind::DropAfterProcessing,
        FaultKind::BadGateway,
        FaultKind::ServiceUnavailable,
        FaultKind::DropBeforeProcessing,
    ] {
        let server = sim(SimConfig::default());
        let c = client(&server).build().unwrap();
        let id = c
            .call(&walkthrough_request())
            .unwrap()
            .output
            .instance_id_set
            .remove(0);
        c.wait_until(
            [id.as_str()],
            WaitTarget::State(InstanceState::Running),
            wait_options(),
            |_| {},
        )
        .unwrap();
        server.with_sim(|s| {
            s.reset_counters();
            s.set_faults(vec![FaultRule::new(kind)
                .for_action("TerminateInstances")
                .first(1)]);
        });
        c.call(&TerminateInstancesRequest::new([id.as_str()]))
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(server.counters().faults_injected, 1, "{kind:?}");
        assert_eq!(
            server
                .counters()
                .requests_by_action
                .get("TerminateInstances"),
            Some(&2),
            "{kind:?}"
        );
        let state = server.with_sim(|s| s.instance(&id).map(|i| i.state()));
        assert!(
            matches!(
                state,
                None | Some(InstanceState::Shutdown | InstanceState::Terminating)
            ),
            "{kind:?}: {state:?}"
        );
    }
}

/// A RunInstances whose every attempt may have taken effect fails with its ClientToken, and
/// repeating it with that token returns the instance that was created: nothing leaks.
#[test]
fn an_unconfirmed_run_instances_names_its_token_and_the_token_recovers_it() {
    let server = sim(SimConfig::default()
        .with_fault(FaultRule::new(FaultKind::DropAfterProcessing).for_action("RunInstances")));
    let c = client(&server)
        .retry(fast_retry(4).with_deadline(Duration::from_millis(300)))
        .build()
        .unwrap();
    let err = checked(c.call(&walkthrough_request()).unwrap_err());
    assert_eq!(err.class(), ErrorClass::Unconfirmed, "{err}");
    let token = err.client_token().unwrap().to_owned();
    assert!(err.to_string().contains(&token), "{err}");
    assert!(
        server.counters().requests_by_action["RunInstances"] > 4,
        "retried past max_attempts within the deadline"
    );
    assert_eq!(server.counters().instances_created, 1);

    server.with_sim(|s| s.set_faults(vec![]));
    let mut again = walkthrough_request();
    again.client_token = Some(token);
    let ids = c.call(&again).unwrap().output.instance_id_set;
    let created: Vec<String> =
        server.with_sim(|s| s.instances().map(|i| i.id().to_owned()).collect());
    assert_eq!(ids, created);
}

/// A poll that fails transiently after its own retries does not end a wait before its deadline.
#[test]
fn a_wait_polls_through_transient_failures() {
    let server = sim(SimConfig::default());
    let c = client(&server).retry(fast_retry(2)).build().unwrap();
    let id = c
        .call(&walkthrough_request())
        .unwrap()
        .output
        .instance_id_set
        .remove(0);
    // Six gateway errors in a row: three polls' worth of attempts fail outright.
    server.with_sim(|s| {
        s.set_faults(vec![FaultRule::new(FaultKind::BadGateway)
            .for_action("DescribeInstancesStatus")
            .first(6)])
    });
    let waiter = c
        .wait_until(
            [id.as_str()],
            WaitTarget::State(InstanceState::Running),
            wait_options(),
            |_| {},
        )
        .unwrap();
    assert_eq!(
        waiter.states().next().unwrap().1,
        Some(&InstanceState::Running)
    );
    assert_eq!(server.counters().faults_injected, 6);
}

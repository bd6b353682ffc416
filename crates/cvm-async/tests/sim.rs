//! The async client against the emulator (`cvm-sim`) over real HTTP: the walkthrough, a throttled
//! batch of 200 calls, regions, a lost reply, cancellation, timeouts, clock skew, transport
//! faults, size limits and secrecy.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use cvm_async::proto::envelope;
use cvm_async::proto::models::RebootInstancesRequest;
use cvm_async::proto::models::{
    DescribeInstanceTypeConfigsRequest, DescribeInstancesRequest, DescribeZonesRequest, Filter,
    InstanceState, TerminateInstancesRequest,
};
use cvm_async::proto::CallError;
use cvm_async::proto::HttpMethod;
use cvm_async::{ClientBuilder, Credentials, Error, ErrorClass, RetryPolicy, WaitTarget};
use cvm_sim::{FaultKind, FaultRule, RateLimit, SimConfig, SimServer};
use cvm_test_support::prelude::{
    assert_no_secret, checked, creds, fast_retry, sim, sim_client, wait_options,
    walkthrough_request, PASSWORD, SECRET_ID, SECRET_KEY, TOKEN,
};
use serde_json::json;
use support::Recording;
use tokio::time::{sleep, timeout, Instant};

const REGIONS: [&str; 4] = ["ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-hongkong"];

fn client(server: &SimServer) -> ClientBuilder {
    sim_client(server)
}

/// Starts an emulator from a plain thread: its server builds its own runtime, which cannot start inside the test's.
fn emulator(config: SimConfig) -> SimServer {
    std::thread::scope(|s| s.spawn(|| sim(config)).join().unwrap())
}

#[tokio::test]
async fn walkthrough() {
    let server = emulator(SimConfig::default());
    let c = client(&server).build().unwrap();
    assert_no_secret(&format!("{c:?}"));

    let family = Filter::new("instance-family", ["S2"]);
    let zone = Filter::new("zone", ["ap-guangzhou-2"]);
    let configs = c
        .call(&DescribeInstanceTypeConfigsRequest {
            filters: vec![zone, family],
        })
        .await
        .unwrap()
        .output
        .instance_type_config_set;
    let medium = configs
        .into_iter()
        .filter(|t| (t.cpu, t.memory) == (Some(2), Some(4)))
        .find_map(|t| t.instance_type);
    assert_eq!(medium.as_deref(), Some("S2.MEDIUM4"));

    let ids = c
        .call(&walkthrough_request())
        .await
        .unwrap()
        .output
        .instance_id_set;
    let [id] = ids.as_slice() else {
        panic!("{ids:?}")
    };
    let mut seen = Vec::new();
    let running = WaitTarget::State(InstanceState::Running);
    let waiter = c
        .wait_until(ids.clone(), running, wait_options(), |w| {
            seen.push(w.progress())
        })
        .await
        .unwrap();
    assert_eq!(waiter.progress(), format!("{id} RUNNING"));
    assert!(!seen.is_empty());

    let listed = c
        .call(&DescribeInstancesRequest {
            instance_ids: ids.clone(),
            ..Default::default()
        })
        .await
        .unwrap()
        .output
        .instance_set;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].instance_state, Some(InstanceState::Running));
    assert_eq!(listed[0].instance_name.as_deref(), Some("QCLOUD-TEST"));

    let terminated = c.call(&TerminateInstancesRequest::new(ids.clone())).await;
    assert!(!terminated.unwrap().request_id.is_empty());
    let gone = c.wait_until(ids.clone(), WaitTarget::Gone, wait_options(), |_| {});
    gone.await.unwrap();
    assert_eq!(server.counters().instances_created, 1);
    assert_eq!(server.counters().instances_terminated, 1);

    // The legacy gateway answers through the same client.
    let legacy = client(&server).endpoint(server.legacy_endpoint());
    let legacy = legacy.build().unwrap();
    legacy.call_json("DescribeZones", &json!({})).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_throttled_calls_all_succeed_within_the_bound() {
    const CALLS: usize = 200;
    const IN_FLIGHT: usize = 12;
    let limit = RateLimit {
        requests_per_second: 250.0,
        burst: 10.0,
    };
    // Each answered call is held a little, so that calls overlap at the emulator.
    let hold = FaultRule::new(FaultKind::Delay { millis: 20 });
    let server = emulator(
        SimConfig::default()
            .with_rate_limit(Some(limit))
            .with_fault(hold),
    );
    let patient = {
        let mut v = RetryPolicy::default();
        v.max_attempts = 100;
        v.base_delay = Duration::from_millis(20);
        v.max_delay = Duration::from_millis(200);
        v.deadline = Duration::from_secs(25);
        v
    };
    let c = client(&server).retry(patient).build().unwrap();
    let results = c
        .batch(0..CALLS, IN_FLIGHT, |c, i| async move {
            let c = c.with_region(REGIONS[i % REGIONS.len()])?;
            c.call(&DescribeZonesRequest::default()).await
        })
        .await;

    assert_eq!(results.len(), CALLS);
    let mut request_ids = HashSet::new();
    for (i, result) in results.into_iter().enumerate() {
        let reply = result.unwrap();
        let region = REGIONS[i % REGIONS.len()];
        assert!(!reply.output.zone_set.is_empty());
        for zone in &reply.output.zone_set {
            let name = zone.zone.as_deref().unwrap();
            assert!(
                name.starts_with(region),
                "call {i}: {name} is not in {region}"
            );
        }
        assert!(request_ids.insert(reply.request_id), "a reply came twice");
    }
    let counters = server.counters();
    let throttled = counters.errors_by_code["RequestLimitExceeded"];
    assert!(throttled > 0, "{counters:?}");
    assert_eq!(counters.errors_by_code.len(), 1, "{counters:?}");
    assert_eq!(
        counters.requests_by_action["DescribeZones"],
        CALLS as u64 + throttled
    );
    assert_eq!(
        counters.faults_injected, CALLS as u64,
        "one hold per answered call"
    );
    let most = server.stats().max_in_flight;
    assert!(
        (2..=IN_FLIGHT as u64).contains(&most),
        "{most} in flight at once"
    );
}

#[tokio::test]
async fn a_describe_in_every_region_comes_back_in_region_order() {
    let server = emulator(SimConfig::default());
    let c = client(&server).build().unwrap();
    let request = DescribeZonesRequest::default();
    let mut regions = REGIONS.to_vec();
    regions.insert(2, "not a region");
    let replies = c.call_in_regions(regions.clone(), &request, 2).await;
    for (region, reply) in regions.iter().zip(&replies) {
        match reply {
            Ok(r) => assert!(r.output.zone_set[0]
                .zone
                .as_deref()
                .unwrap()
                .starts_with(region)),
            Err(e) => {
                assert_eq!(*region, "not a region");
                assert_eq!(e.class(), ErrorClass::Usage, "{e}");
            }
        }
    }
    assert_eq!(server.counters().requests, 4);
    // The regional clients share the parent's settings otherwise.
    let beijing = c.with_region("ap-beijing").unwrap();
    assert_eq!(beijing.config().region.as_deref(), Some("ap-beijing"));
    assert_eq!(c.config().region.as_deref(), Some("ap-guangzhou"));
    assert_eq!(beijing.config().endpoint, c.config().endpoint);
}

#[tokio::test]
async fn a_lost_run_instances_reply_is_retried_with_the_same_token() {
    let server = emulator(
        SimConfig::default().with_fault(
            FaultRule::new(FaultKind::DropAfterProcessing)
                .for_action("RunInstances")
                .first(1),
        ),
    );
    let recording = Recording::new(server.endpoint());
    let c = client(&server)
        .transport(Arc::clone(&recording))
        .build()
        .unwrap();
    let created = c.call(&walkthrough_request()).await.unwrap();
    let sent = recording.sent();
    assert_eq!(sent.len(), 2);
    let token = sent[0].get("ClientToken").unwrap();
    assert_eq!(sent[1].get("ClientToken"), Some(token));
    assert_ne!(sent[0].get("Nonce"), sent[1].get("Nonce"));
    let counters = server.counters();
    assert_eq!(counters.instances_created, 1);
    assert_eq!(counters.faults_injected, 1);
    let held: Vec<String> = server.with_sim(|s| s.instances().map(|i| i.id().to_owned()).collect());
    assert_eq!(held, created.output.instance_id_set);
}

#[tokio::test]
async fn dropping_a_call_while_it_sleeps_between_attempts_sends_nothing_more() {
    let server =
        emulator(SimConfig::default().with_fault(
            FaultRule::new(FaultKind::RequestLimitExceeded).for_action("DescribeZones"),
        ));
    let recording = Recording::new(server.endpoint());
    let slow = {
        let mut v = RetryPolicy::default();
        v.max_attempts = 10;
        v.base_delay = Duration::from_secs(1);
        v.max_delay = Duration::from_secs(1);
        v.deadline = Duration::from_secs(30);
        v
    };
    let c = client(&server)
        .retry(slow)
        .transport(Arc::clone(&recording))
        .build()
        .unwrap();
    // The back-off is jittered: try until the drop falls in a back-off rather than in an attempt.
    for _ in 0..20 {
        let sent_before = recording.sent().len();
        let answered = recording.answered() + 1;
        let mut call = Box::pin(c.call(&DescribeZonesRequest::default()));
        tokio::select! {
            result = &mut call => panic!("the call ended: {result:?}"),
            () = async {
                while recording.answered() < answered {
                    sleep(Duration::from_millis(2)).await;
                }
                sleep(Duration::from_millis(50)).await;
            } => {}
        }
        let sent_at_drop = recording.sent().len();
        drop(call);
        if sent_at_drop != sent_before + 1 {
            continue;
        }
        sleep(Duration::from_millis(1200)).await;
        assert_eq!(recording.sent().len(), sent_at_drop);
        assert_eq!(server.counters().requests, sent_at_drop as u64);
        assert_eq!(server.stats().in_flight, 0);
        return;
    }
    panic!("no drop fell in a back-off");
}

#[tokio::test]
async fn dropping_a_call_during_its_attempt_stops_it() {
    let server =
        emulator(SimConfig::default().with_fault(
            FaultRule::new(FaultKind::Delay { millis: 800 }).for_action("DescribeZones"),
        ));
    let c = client(&server).build().unwrap();
    let cut = timeout(
        Duration::from_millis(200),
        c.call(&DescribeZonesRequest::default()),
    );
    assert!(cut.await.is_err(), "the call finished in 200 ms");
    sleep(Duration::from_millis(900)).await;
    let counters = server.counters();
    assert_eq!((counters.requests, counters.faults_injected), (1, 1));
    // The client still works afterwards.
    server.with_sim(|s| s.set_faults(vec![]));
    c.call(&DescribeZonesRequest::default()).await.unwrap();
}

#[tokio::test]
async fn slow_replies_hit_the_timeout() {
    let delay = FaultKind::Delay { millis: 3000 };
    let server = emulator(
        SimConfig::default().with_fault(
            FaultRule::new(delay)
                .for_action("RebootInstances")
                .for_action("DescribeZones"),
        ),
    );
    let c = client(&server)
        .timeout(Duration::from_millis(300))
        .retry(fast_retry(3))
        .build()
        .unwrap();
    let start = Instant::now();
    let reboot = c.call(&RebootInstancesRequest::new(["ins-00000000"]));
    let err = checked(reboot.await.unwrap_err());
    assert!(err.is_timeout() && err.is_transport(), "{err}");
    assert_eq!(err.class(), ErrorClass::Timeout);
    assert_eq!(server.counters().faults_injected, 1, "reboot was resent");
    let err = checked(c.call(&DescribeZonesRequest::default()).await.unwrap_err());
    assert!(err.is_timeout(), "{err}");
    assert_eq!(server.counters().faults_injected, 4, "describe is retried");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn clock_skew_is_corrected_once_for_all_clones() {
    for skew in [-400i64, 400] {
        let server = emulator(SimConfig::default().with_clock_offset(skew));
        let c = client(&server).build().unwrap();
        let twin = c.clone();
        c.call(&DescribeZonesRequest::default()).await.unwrap();
        assert!((twin.core().clock_offset() - skew).abs() <= 2, "{skew}");
        let regional = twin.with_region("ap-shanghai").unwrap();
        regional
            .call(&DescribeZonesRequest::default())
            .await
            .unwrap();
        let expired = server.counters().errors_by_code["AuthFailure.SignatureExpire"];
        assert_eq!(expired, 1, "skew {skew}");
    }
}

#[tokio::test]
async fn transport_faults_are_retried_only_where_safe() {
    let server = emulator(SimConfig::default());
    let c = client(&server).build().unwrap();
    let reboot = RebootInstancesRequest::new(["ins-00000000"]);
    for (kind, class) in [
        (FaultKind::DropBeforeProcessing, ErrorClass::Transport),
        (FaultKind::DropAfterProcessing, ErrorClass::Transport),
        (FaultKind::BadGateway, ErrorClass::InvalidReply),
        (FaultKind::ServiceUnavailable, ErrorClass::InvalidReply),
    ] {
        let once = FaultRule::new(kind).first(1);
        server.with_sim(|s| {
            s.reset_counters();
            s.set_faults(vec![once.clone()]);
        });
        let err = checked(c.call(&reboot).await.unwrap_err());
        assert_eq!((kind, err.class()), (kind, class), "{err}");
        assert_eq!(server.counters().requests, 1, "{kind:?} was resent");

        server.with_sim(|s| {
            s.reset_counters();
            s.set_faults(vec![once.first(2)]);
        });
        c.call(&DescribeZonesRequest::default()).await.unwrap();
        assert_eq!(server.counters().requests, 3, "{kind:?}");
    }
}

#[tokio::test]
async fn a_reply_over_the_size_limit_is_an_error() {
    let server = emulator(SimConfig::default());
    let request = DescribeInstanceTypeConfigsRequest::default();
    let once = client(&server).retry(RetryPolicy::none());
    let small = once.body_limit(400).build().unwrap();
    match checked(small.call(&request).await.unwrap_err()) {
        Error::Call(CallError::Reply(envelope::Error::TooLarge { size, limit: 400 })) => {
            assert!(size > 400, "{size}")
        }
        other => panic!("{other:?}"),
    }
    let roomy = client(&server).build().unwrap();
    assert!(!roomy
        .call(&request)
        .await
        .unwrap()
        .output
        .instance_type_config_set
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_tasks_share_one_client() {
    let server = emulator(SimConfig::default().with_rate_limit(None));
    let c = client(&server).build().unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let c = c.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    if (t + i) % 2 == 0 {
                        c.call(&DescribeZonesRequest::default()).await.unwrap();
                    } else {
                        c.call_json("DescribeInstancesStatus", &json!({"Limit": 100}))
                            .await
                            .unwrap();
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let counters = server.counters();
    assert_eq!(counters.requests, 80);
    assert!(counters.errors_by_code.is_empty(), "{counters:?}");
    assert!(
        server.stats().connections_accepted <= 16,
        "{:?}",
        server.stats()
    );
}

#[tokio::test]
async fn secrets_appear_in_no_error_or_debug_output() {
    let server = emulator(SimConfig::default());
    let mut texts: Vec<String> = Vec::new();
    let key = Credentials::new(SECRET_ID, format!("{SECRET_KEY}-wrong")).unwrap();
    let refused = [
        key.with_token(TOKEN).unwrap(),
        Credentials::new(SECRET_ID, SECRET_KEY).unwrap(),
        creds().with_token(format!("{TOKEN}x")).unwrap(),
    ];
    for credentials in refused {
        let c = client(&server).credentials(credentials).build().unwrap();
        texts.push(format!("{c:?}"));
        let zones = c.call(&DescribeZonesRequest::default()).await;
        keep(&mut texts, zones);
    }
    let faults = [
        vec![],
        vec![FaultRule::new(FaultKind::BadGateway)],
        vec![FaultRule::new(FaultKind::DropAfterProcessing)],
        vec![FaultRule::new(FaultKind::Delay { millis: 1000 })],
    ];
    for method in [HttpMethod::Get, HttpMethod::Post] {
        // A RunInstances with its token is retried until the deadline: keep that short here.
        let c = client(&server)
            .http_method(method)
            .retry(fast_retry(2).with_deadline(Duration::from_millis(500)))
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        texts.push(format!("{c:?}"));
        for rules in &faults {
            server.with_sim(|s| s.set_faults(rules.clone()));
            let mut bad_image = walkthrough_request();
            bad_image.image_id = Some("img-doesnotexist".into());
            let run = c.call(&bad_image).await;
            keep(&mut texts, run);
            let secret_param = json!({"Password": PASSWORD});
            let odd = c.call_json("NoSuchAction", &secret_param).await;
            keep(&mut texts, odd);
            let gone = c
                .call(&TerminateInstancesRequest::new(["ins-nothere"]))
                .await;
            keep(&mut texts, gone);
        }
    }
    server.with_sim(|s| s.set_faults(vec![]));
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/", l.local_addr().unwrap())
    };
    let c = client(&server).endpoint_url(&closed).build().unwrap();
    let refused = c.call(&DescribeZonesRequest::default()).await;
    keep(&mut texts, refused);
    assert!(texts.len() >= 50, "{}", texts.len());
    for text in &texts {
        assert_no_secret(text);
        assert!(!text.contains(PASSWORD), "password leaked in: {text}");
        assert!(!text.contains("Signature="), "signature leaked in: {text}");
    }
}

/// Records an error's text and `Debug`; a success is a test failure.
fn keep<T>(texts: &mut Vec<String>, result: Result<T, Error>) {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(err) => texts.extend([err.to_string(), format!("{err:?}")]),
    }
}

/// TC3-HMAC-SHA256 over POST and GET: a skewed clock corrected once, a lost RunInstances reply
/// retried with the same token, and the same state as signature v1.
#[tokio::test]
async fn tc3_calls_retries_and_clock_correction() {
    use cvm_async::proto::sign::SignatureMethod;
    for method in [HttpMethod::Post, HttpMethod::Get] {
        let server = sim(SimConfig::default().with_clock_offset(-330).with_fault(
            FaultRule::new(FaultKind::DropAfterProcessing)
                .for_action("RunInstances")
                .first(1),
        ));
        let c = client(&server)
            .signature_method(SignatureMethod::Tc3HmacSha256)
            .http_method(method)
            .build()
            .unwrap();
        c.call(&DescribeZonesRequest::default()).await.unwrap();
        assert!((-332..=-328).contains(&c.core().clock_offset()), "{method}");
        let run = c.call(&walkthrough_request()).await.unwrap();
        assert_eq!(run.output.instance_id_set.len(), 1, "{method}");
        assert_eq!(server.counters().instances_created, 1, "{method}");
    }
}

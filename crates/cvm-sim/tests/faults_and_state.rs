//! Injected faults (each kind, by action, first N, by fraction) and state dump/load, in the pure core.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{run_params, Client};
use cvm_sim::{FaultKind, FaultRule, ShellFault, Sim, SimConfig, Transitions};
use serde_json::json;

#[test]
fn each_fault_kind() {
    let mut c = Client::default();
    let run = |c: &mut Client| {
        let req = c.request("RunInstances", &run_params(1));
        c.sim.handle(&req, c.now)
    };

    c.sim
        .set_faults(vec![FaultRule::new(FaultKind::DropBeforeProcessing)]);
    let h = run(&mut c);
    assert_eq!(h.fault, Some(ShellFault::DropUnprocessed));
    assert_eq!(c.sim.instances().count(), 0);

    c.sim
        .set_faults(vec![FaultRule::new(FaultKind::DropAfterProcessing)]);
    let h = run(&mut c);
    assert_eq!(h.fault, Some(ShellFault::DropProcessed));
    assert_eq!(h.response.error_code(), None);
    assert_eq!(c.sim.instances().count(), 1, "the effect happened");

    for (kind, status) in [
        (FaultKind::BadGateway, 502),
        (FaultKind::ServiceUnavailable, 503),
    ] {
        c.sim.set_faults(vec![FaultRule::new(kind)]);
        let h = run(&mut c);
        assert_eq!(h.fault, None);
        assert_eq!(h.response.status, status);
        assert!(h.response.json().is_none(), "non-JSON body");
        assert!(String::from_utf8_lossy(&h.response.body).contains(&status.to_string()));
    }
    assert_eq!(c.sim.instances().count(), 1);

    c.sim
        .set_faults(vec![FaultRule::new(FaultKind::Delay { millis: 250 })]);
    let h = run(&mut c);
    assert_eq!(h.fault, Some(ShellFault::Delay(Duration::from_millis(250))));
    assert_eq!(h.response.error_code(), None);
    assert_eq!(c.sim.instances().count(), 2);

    for (kind, code) in [
        (FaultKind::RequestLimitExceeded, "RequestLimitExceeded"),
        (FaultKind::InternalError, "InternalError"),
    ] {
        c.sim.set_faults(vec![FaultRule::new(kind)]);
        let h = run(&mut c);
        assert_eq!(h.fault, None);
        assert_eq!(h.response.error_code().as_deref(), Some(code));
    }
    assert_eq!(c.sim.instances().count(), 2);

    c.sim.set_faults(vec![
        FaultRule::new(FaultKind::LaunchFailed).for_action("RunInstances")
    ]);
    let id = c.run(1).remove(0);
    assert_eq!(c.state(&id), "LAUNCH_FAILED");
    let d = c.ok("DescribeInstances", json!({"InstanceIds": [id]}));
    assert_eq!(d["InstanceSet"][0]["LatestOperationState"], "FAILED");
    c.sim.set_faults(Vec::new());
    c.ok("TerminateInstances", json!({"InstanceIds": [id]}));
    assert_eq!(c.sim.counters().faults_injected, 8);
}

#[test]
fn faults_for_named_actions_and_the_first_n_calls() {
    let mut c = Client::new(
        common::config().with_fault(
            FaultRule::new(FaultKind::InternalError)
                .for_action("RunInstances")
                .first(2),
        ),
    );
    assert_eq!(c.call("DescribeZones", json!({})).error_code(), None);
    assert_eq!(c.err("RunInstances", run_params(1)), "InternalError");
    assert_eq!(c.call("DescribeInstances", json!({})).error_code(), None);
    assert_eq!(c.err("RunInstances", run_params(1)), "InternalError");
    assert_eq!(c.run(1).len(), 1);
    assert_eq!(c.run(1).len(), 1);
    assert_eq!(c.sim.counters().faults_injected, 2);
}

#[test]
fn fractional_faults_are_reproducible_from_the_seed() {
    let outcomes = |seed: u64| {
        let config = common::config()
            .with_seed(seed)
            .with_fault(FaultRule::new(FaultKind::RequestLimitExceeded).with_probability(0.3));
        let mut c = Client::new(config);
        (0..200)
            .map(|_| c.call("DescribeZones", json!({})).error_code().is_some())
            .collect::<Vec<_>>()
    };
    let a = outcomes(7);
    assert_eq!(a, outcomes(7));
    assert_ne!(a, outcomes(8));
    let failed = a.iter().filter(|&&f| f).count();
    assert!((35..=85).contains(&failed), "{failed} of 200");
}

#[test]
fn config_json_and_builder() {
    let config = SimConfig::from_json(
        r#"{
            "seed": 9,
            "accounts": [{"secret_id": "AKIDjson", "secret_key": "k", "token": "t"}],
            "rate_limit": null,
            "transitions": {"launch": 0, "stop": 10, "start": 10, "reboot": 10, "terminate": 10},
            "clock_offset_secs": -5,
            "faults": [{"kind": {"delay": {"millis": 5}}, "actions": ["DescribeZones"], "first": 1},
                       {"kind": "drop_after_processing", "probability": 0.5}]
        }"#,
    )
    .unwrap();
    assert_eq!(config.seed, 9);
    assert_eq!(config.accounts[0].token.as_deref(), Some("t"));
    assert_eq!(config.transitions.stop, Duration::from_millis(10));
    assert_eq!(config.faults[0].kind, FaultKind::Delay { millis: 5 });
    assert_eq!(config.rate_limit, None);
    assert!(!config.regions.is_empty(), "defaults fill the rest");
    assert!(!format!("{:?}", config.accounts[0]).contains("\"k\""));
    assert!(SimConfig::from_json(r#"{"colour": 1}"#).is_err());
    assert!(Sim::new(
        SimConfig::from_json(r#"{"faults": [{"kind": "internal_error", "probability": 2}]}"#)
            .unwrap()
    )
    .is_err());
    assert!(
        Sim::new(SimConfig::default().with_account(SimConfig::default().accounts[0].clone()))
            .is_err()
    );
    let round =
        SimConfig::from_json(&serde_json::to_string(&SimConfig::default()).unwrap()).unwrap();
    assert_eq!(round, SimConfig::default());
}

#[test]
fn state_dump_and_load_round_trip() {
    let config = common::config().with_transitions(Transitions::all(Duration::from_secs(5)));
    let mut c = Client::new(config.clone());
    let mut p = run_params(3);
    p["ClientToken"] = json!("tok");
    let ids = c.ok("RunInstances", p.clone())["InstanceIdSet"].clone();
    c.advance(Duration::from_secs(5));
    c.ok("StopInstances", json!({"InstanceIds": [ids[0]]}));
    let state = c.sim.dump_state();
    let text = serde_json::to_string(&state).unwrap();
    assert!(!text.contains(cvm_sim::DEFAULT_SECRET_KEY));

    let mut d = Client::new(config);
    d.sim
        .load_state(serde_json::from_str(&text).unwrap())
        .unwrap();
    assert_eq!(d.sim.dump_state(), state);
    d.now = c.now;
    // The loaded state remembers c's nonces, so d must not reuse them (that would be a replay).
    d.nonce = 1_000_000;
    // The PRNG continues where it was: the next ids are the same on both.
    assert_eq!(c.run(1), d.run(1));
    assert_eq!(d.state(ids[0].as_str().unwrap()), "STOPPING");
    assert_eq!(d.state(ids[1].as_str().unwrap()), "RUNNING");
    // The client token survives, and so do the counters.
    assert_eq!(d.ok("RunInstances", p)["InstanceIdSet"], ids);
    assert_eq!(d.sim.counters().instances_created, 4);
    d.advance(Duration::from_secs(5));
    assert_eq!(d.state(ids[0].as_str().unwrap()), "STOPPED");
    assert!(d.sim.load_state(json!({"version": 2})).is_err());
    assert!(d.sim.load_state(json!("garbage")).is_err());
}

#[test]
fn a_replay_is_refused_after_the_state_is_dumped_and_loaded() {
    let mut c = Client::default();
    let req = c.request("RunInstances", &run_params(1));
    assert_eq!(c.send(&req).error_code(), None, "accepted the first time");
    assert_eq!(
        c.send(&req).error_code().as_deref(),
        Some("InvalidRequest.ReplayAttack")
    );
    let text = serde_json::to_string(&c.sim.dump_state()).unwrap();

    // A new emulator, as after a restart with `--state`.
    let mut d = Client::default();
    d.sim
        .load_state(serde_json::from_str(&text).unwrap())
        .unwrap();
    d.now = c.now + Duration::from_secs(10);
    assert_eq!(d.sim.remembered_nonces(), 1);
    let replayed = d.sim.handle(&req, d.now).response;
    assert_eq!(
        replayed.error_code().as_deref(),
        Some("InvalidRequest.ReplayAttack"),
        "{}",
        String::from_utf8_lossy(&replayed.body)
    );
    assert_eq!(d.sim.instances().count(), 1, "the replay created nothing");

    // Once the timestamp leaves the window the entry is forgotten on the next insertion, not
    // saved again, and the request is refused as expired instead.
    d.advance(Duration::from_secs(300));
    d.ok("DescribeZones", json!({}));
    assert_eq!(d.sim.remembered_nonces(), 1, "only the new request's");
    assert_eq!(
        d.sim.handle(&req, d.now).response.error_code().as_deref(),
        Some("AuthFailure.SignatureExpire")
    );
    let saved = d.sim.dump_state();
    assert_eq!(saved["nonces"].as_array().unwrap().len(), 1);
    assert_eq!(saved["nonces"][0]["entries"].as_array().unwrap().len(), 1);

    // A dump from before nonces were saved still loads.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    old.as_object_mut().unwrap().remove("nonces");
    let mut e = Client::default();
    e.sim.load_state(old).unwrap();
    assert_eq!(e.sim.remembered_nonces(), 0);
}

#[test]
fn a_full_nonce_cache_refuses_rather_than_forgets() {
    let mut config = common::config();
    config.max_nonces = 3;
    let mut c = Client::new(config);
    let first = c.request("DescribeZones", &json!({}));
    assert_eq!(c.send(&first).error_code(), None);
    c.ok("DescribeZones", json!({}));
    c.ok("DescribeZones", json!({}));
    assert_eq!(c.err("DescribeZones", json!({})), "RequestLimitExceeded");
    assert_eq!(c.sim.remembered_nonces(), 3);
    // Nothing was forgotten to make room: the first request is still a replay.
    assert_eq!(
        c.send(&first).error_code().as_deref(),
        Some("InvalidRequest.ReplayAttack")
    );
    // Entries leave with their timestamps, and then there is room again.
    c.advance(Duration::from_secs(301));
    c.ok("DescribeZones", json!({}));
    assert_eq!(c.sim.remembered_nonces(), 1);
}

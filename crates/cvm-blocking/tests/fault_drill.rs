//! The fault drill: create-and-destroy cycles, four at a time, against an emulator that loses,
//! delays, throttles and fails requests at the rates a bad day brings, with the default retry
//! decisions. Every instance created is known to its script and destroyed: none leaks, none is
//! created twice, and every failure the script saw came with a way to recover.
//!
//! A longer drill: `CVM_DRILL_CYCLES=240 cargo test --release -p cvm-blocking --test fault_drill -- --nocapture`.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use cvm_blocking::proto::models::{InstanceState, TerminateInstancesRequest};
use cvm_blocking::{Client, RetryPolicy, WaitTarget};
use cvm_sim::{FaultKind, FaultRule, SimConfig, SimServer};

/// The mix, scaled in time for a test: lost RunInstances replies after the instance was
/// created, RunInstances slower than the attempt timeout, lost TerminateInstances replies,
/// throttling, gateway errors, internal errors, dropped connections, and slow replies.
fn bad_day(seed: u64) -> SimConfig {
    let rules = vec![
        FaultRule::new(FaultKind::DropAfterProcessing)
            .for_action("RunInstances")
            .with_probability(0.30),
        FaultRule::new(FaultKind::Delay { millis: 900 })
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
        FaultRule::new(FaultKind::Delay { millis: 60 }).with_probability(0.10),
    ];
    rules
        .into_iter()
        .fold(SimConfig::default().with_seed(seed), SimConfig::with_fault)
}

/// Mostly lost replies: every other RunInstances and TerminateInstances reply never arrives.
fn lost_replies(seed: u64) -> SimConfig {
    SimConfig::default()
        .with_seed(seed)
        .with_fault(FaultRule::new(FaultKind::DropAfterProcessing).with_probability(0.5))
}

/// A storm of gateway errors, throttling and refused work.
fn gateway_storm(seed: u64) -> SimConfig {
    [
        FaultRule::new(FaultKind::RequestLimitExceeded).with_probability(0.25),
        FaultRule::new(FaultKind::BadGateway).with_probability(0.15),
        FaultRule::new(FaultKind::ServiceUnavailable).with_probability(0.15),
        FaultRule::new(FaultKind::InternalError).with_probability(0.10),
        FaultRule::new(FaultKind::DropBeforeProcessing).with_probability(0.10),
    ]
    .into_iter()
    .fold(SimConfig::default().with_seed(seed), SimConfig::with_fault)
}

/// Cycles per mix: `CVM_DRILL_CYCLES` for a longer drill, `default` otherwise.
fn cycles_or(default: usize) -> usize {
    std::env::var("CVM_DRILL_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the drill saw.
#[derive(Debug, Default)]
struct Tally {
    created: Vec<String>,
    failures: Vec<String>,
}

/// One script cycle: run, wait, terminate once, wait; on an unconfirmed run, repeat it with the
/// ClientToken the error names (the recovery path it prints), as a script following it would.
fn cycle(c: &Client, tally: &Mutex<Tally>) {
    let request = walkthrough_request();
    let ids = match c.call(&request) {
        Ok(reply) => reply.output.instance_id_set,
        Err(e) => {
            let err = checked(e);
            let token = err
                .client_token()
                .unwrap_or_else(|| panic!("a failed run named no ClientToken: {err}"))
                .to_owned();
            tally.lock().unwrap().failures.push(err.to_string());
            let mut again = request.clone();
            again.client_token = Some(token);
            (0..5)
                .find_map(|_| c.call(&again).ok())
                .unwrap_or_else(|| panic!("the ClientToken did not recover the run: {err}"))
                .output
                .instance_id_set
        }
    };
    assert_eq!(ids.len(), 1);
    tally.lock().unwrap().created.extend(ids.iter().cloned());
    if let Err(e) = c.wait_until(
        ids.clone(),
        WaitTarget::State(InstanceState::Running),
        wait_options(),
        |_| {},
    ) {
        tally
            .lock()
            .unwrap()
            .failures
            .push(format!("wait RUNNING: {e}"));
    }
    // Terminate once, as a naive script does: the client's own retries must be enough.
    if let Err(e) = c.call(&TerminateInstancesRequest::new(ids.clone())) {
        panic!("{ids:?} could not be terminated: {}", checked(e));
    }
    c.wait_until(ids, WaitTarget::Gone, wait_options(), |_| {})
        .unwrap();
}

fn drill(server: &SimServer, cycles: usize, parallel: usize) -> Tally {
    let client = Arc::new(
        sim_client::<Client>(server)
            .timeout(Duration::from_millis(600))
            .retry(
                RetryPolicy::default()
                    .with_delays(Duration::from_millis(5), Duration::from_millis(100))
                    .with_deadline(Duration::from_secs(20)),
            )
            .build()
            .unwrap(),
    );
    let tally = Arc::new(Mutex::new(Tally::default()));
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..parallel)
        .map(|_| {
            let (client, tally, next) =
                (Arc::clone(&client), Arc::clone(&tally), Arc::clone(&next));
            std::thread::spawn(move || {
                while next.fetch_add(1, Ordering::Relaxed) < cycles {
                    cycle(&client, &tally);
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    Arc::try_unwrap(tally).unwrap().into_inner().unwrap()
}

/// Runs `cycles` cycles under `config` and checks that nothing leaked or doubled.
fn check(name: &str, config: SimConfig, cycles: usize) {
    let server = sim(config);
    let tally = drill(&server, cycles, 4);
    let counters = server.counters();
    // Every cycle made exactly one instance, known to its script.
    assert_eq!(tally.created.len(), cycles, "{name}");
    assert_eq!(
        counters.instances_created, cycles as u64,
        "{name}: duplicates: {counters:?}"
    );
    // None is left behind: every instance the emulator holds is going or gone.
    let left: Vec<(String, InstanceState)> = server.with_sim(|s| {
        s.instances()
            .map(|i| (i.id().to_owned(), i.state()))
            .filter(|(_, st)| !matches!(st, InstanceState::Terminating | InstanceState::Shutdown))
            .collect()
    });
    assert!(left.is_empty(), "{name}: leaked: {left:?}");
    assert!(
        counters.faults_injected as usize > cycles,
        "{name}: too few faults: {counters:?}"
    );
    let by_kind: Vec<String> = counters
        .errors_by_code
        .iter()
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    eprintln!(
        "fault drill {name}: {cycles} cycles, {} requests, {} faults injected ({}), 0 leaked, 0 duplicates, {} failures seen by the scripts",
        counters.requests,
        counters.faults_injected,
        by_kind.join(", "),
        tally.failures.len()
    );
    for failure in &tally.failures {
        eprintln!("  seen: {failure}");
    }
}

#[test]
fn no_instance_leaks_or_doubles_under_a_bad_day() {
    check("bad day", bad_day(7), cycles_or(24));
}

#[test]
fn no_instance_leaks_or_doubles_when_half_the_replies_are_lost() {
    check("lost replies", lost_replies(8), cycles_or(12));
}

#[test]
fn no_instance_leaks_or_doubles_in_a_gateway_storm() {
    check("gateway storm", gateway_storm(9), cycles_or(12));
}

//! Paging through DescribeInstances against the emulator: 250 instances with Limit 100 come back
//! exactly once each, also while instances are created and terminated between and during pages.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cvm_blocking::proto::models::{
    DescribeInstancesRequest, Placement, RunInstancesRequest, TerminateInstancesRequest,
};
use cvm_blocking::{Client, Credentials, RetryPolicy};
use cvm_sim::{AccountConfig, SimConfig, SimServer, Transitions};

const ID: &str = "AKIDpagingtest00000000000000000000000";
const KEY: &str = "paging-secret-key-0000000000000000";

fn setup() -> (SimServer, Client) {
    let config = SimConfig::default()
        .with_accounts(vec![AccountConfig::new(ID, KEY)])
        .with_rate_limit(None)
        .with_max_instances(2000)
        .with_transitions(Transitions::all(Duration::ZERO));
    let sim = SimServer::start(config).unwrap();
    let client = Client::builder()
        .credentials(Credentials::new(ID, KEY).unwrap())
        .region("ap-guangzhou")
        .endpoint(sim.endpoint())
        .retry({
            let mut v = RetryPolicy::default();
            v.base_delay = Duration::from_millis(1);
            v
        })
        .build()
        .unwrap();
    (sim, client)
}

fn create(client: &Client, count: i64) -> Vec<String> {
    let req = RunInstancesRequest {
        placement: Some(Placement::new("ap-guangzhou-2")),
        image_id: Some("img-pmqg1cw7".into()),
        instance_type: Some("S1.SMALL1".into()),
        instance_count: Some(count),
        ..RunInstancesRequest::default()
    };
    client.call(&req).unwrap().output.instance_id_set
}

fn create_many(client: &Client, n: i64) -> Vec<String> {
    let mut ids = Vec::new();
    let mut left = n;
    while left > 0 {
        let batch = left.min(50);
        ids.extend(create(client, batch));
        left -= batch;
    }
    ids
}

fn page_request() -> DescribeInstancesRequest {
    DescribeInstancesRequest {
        limit: Some(100),
        ..DescribeInstancesRequest::default()
    }
}

#[test]
fn every_instance_exactly_once() {
    let (_sim, client) = setup();
    let created = create_many(&client, 250);
    let listed: Vec<String> = client
        .paginate(page_request())
        .map(|i| i.unwrap().instance_id.unwrap())
        .collect();
    assert_eq!(listed.len(), 250);
    assert_eq!(
        listed.iter().collect::<HashSet<_>>(),
        created.iter().collect::<HashSet<_>>()
    );
    let mut pages = client.pages(page_request());
    let sizes: Vec<usize> = pages.by_ref().map(|p| p.unwrap().len()).collect();
    assert_eq!(sizes, [100, 90, 60]); // pages overlap by 10; repeats are dropped
    assert_eq!(pages.paginator().total(), Some(250));
}

#[test]
fn deletions_before_the_cursor_and_additions_between_pages() {
    let (_sim, client) = setup();
    let created = create_many(&client, 250);
    let mut seen = Vec::new();
    let mut terminated = HashSet::new();
    for page in client.pages(page_request()) {
        seen.extend(page.unwrap().into_iter().map(|i| i.instance_id.unwrap()));
        // Five already-listed instances vanish (shifting the rest left) and five are added at the end.
        let victims: Vec<String> = seen
            .iter()
            .filter(|id| !terminated.contains(*id))
            .take(5)
            .cloned()
            .collect();
        client
            .call(&TerminateInstancesRequest::new(victims.clone()))
            .unwrap();
        terminated.extend(victims);
        create(&client, 5);
    }
    assert_eq!(
        seen.len(),
        seen.iter().collect::<HashSet<_>>().len(),
        "an instance was listed twice"
    );
    for id in &created {
        assert!(seen.contains(id), "{id} was skipped");
    }
}

#[test]
fn concurrent_churn_at_the_end_of_the_listing() {
    let (_sim, client) = setup();
    let created = create_many(&client, 250);
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let churn = s.spawn(|| {
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) || rounds < 5 {
                let fresh = create(&client, 2);
                client
                    .call(&TerminateInstancesRequest::new(fresh[..1].to_vec()))
                    .unwrap();
                rounds += 1;
            }
            rounds
        });
        for _ in 0..5 {
            let listed: Vec<String> = client
                .paginate(page_request())
                .map(|i| i.unwrap().instance_id.unwrap())
                .collect();
            let unique: HashSet<&String> = listed.iter().collect();
            assert_eq!(unique.len(), listed.len(), "an instance was listed twice");
            for id in &created {
                assert!(unique.contains(id), "{id} was skipped");
            }
        }
        stop.store(true, Ordering::Relaxed);
        assert!(churn.join().unwrap() >= 5);
    });
}

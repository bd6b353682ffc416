//! The async paging stream against the emulator: 250 instances with Limit 100, each exactly once.
#![allow(clippy::unwrap_used)]

use std::collections::HashSet;
use std::time::Duration;

use cvm_async::proto::models::{DescribeInstancesRequest, Placement, RunInstancesRequest};
use cvm_async::{Client, Credentials, RetryPolicy};
use cvm_sim::{AccountConfig, SimConfig, SimServer, Transitions};
use futures_util::StreamExt;

const ID: &str = "AKIDasyncpaging000000000000000000000";
const KEY: &str = "async-paging-secret-000000000000000";

#[tokio::test]
async fn paginate_streams_every_instance_once() {
    let config = SimConfig::default()
        .with_accounts(vec![AccountConfig::new(ID, KEY)])
        .with_rate_limit(None)
        .with_max_instances(1000)
        .with_transitions(Transitions::all(Duration::ZERO));
    // The emulator builds its own runtime, which cannot start inside the test's.
    let sim = std::thread::scope(|s| {
        s.spawn(|| SimServer::start(config).unwrap())
            .join()
            .unwrap()
    });
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
    let mut created = HashSet::new();
    for _ in 0..5 {
        let run = RunInstancesRequest {
            placement: Some(Placement::new("ap-guangzhou-2")),
            image_id: Some("img-pmqg1cw7".into()),
            instance_count: Some(50),
            ..RunInstancesRequest::default()
        };
        created.extend(client.call(&run).await.unwrap().output.instance_id_set);
    }
    let request = DescribeInstancesRequest {
        limit: Some(100),
        ..DescribeInstancesRequest::default()
    };
    let listed: Vec<String> = client
        .paginate(request)
        .map(|item| item.unwrap().instance_id.unwrap())
        .collect()
        .await;
    assert_eq!(listed.len(), 250);
    assert_eq!(listed.into_iter().collect::<HashSet<_>>(), created);
}

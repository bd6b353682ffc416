//! The generated typed methods of the async client against the emulator.
#![allow(clippy::unwrap_used)]

use cvm_async::proto::models::InstanceState;
use cvm_async::WaitTarget;

use cvm_async::proto::api::cvm::{
    DescribeInstancesStatusRequest, DescribeZonesRequest, Placement, RunInstancesRequest,
    TerminateInstancesRequest,
};
use cvm_sim::{SimConfig, SimServer};
use cvm_test_support::prelude::{sim, sim_client, wait_options};

/// Starts an emulator from a plain thread: its server builds its own runtime, which cannot start inside the test's.
fn emulator(config: SimConfig) -> SimServer {
    std::thread::scope(|s| s.spawn(|| sim(config)).join().unwrap())
}

#[tokio::test]
async fn typed_methods_run_and_terminate() {
    let server = emulator(SimConfig::default());
    let c: cvm_async::Client = sim_client(&server).build().unwrap();
    let zones = c
        .describe_zones(&DescribeZonesRequest::new())
        .await
        .unwrap();
    assert!(!zones.output.zone_set.is_empty());
    let run = RunInstancesRequest::new()
        .with_placement(Placement::new("ap-guangzhou-2"))
        .with_image_id("img-pmqg1cw7")
        .with_instance_type("S1.SMALL1");
    let ids = c.run_instances(&run).await.unwrap().output.instance_id_set;
    assert_eq!(ids.len(), 1);
    let status = c
        .describe_instances_status(
            &DescribeInstancesStatusRequest::new().with_instance_ids(ids.clone()),
        )
        .await
        .unwrap();
    assert_eq!(status.output.instance_status_set.len(), 1);
    let running = WaitTarget::State(InstanceState::Running);
    c.wait_until(ids.clone(), running, wait_options(), |_| {})
        .await
        .unwrap();
    c.terminate_instances(&TerminateInstancesRequest::new(ids))
        .await
        .unwrap();
}

//! The generated typed methods (one per action) against the emulator: the compiler checks the
//! required fields (`new` takes them), the reply is the generated type, and an API error is typed.
#![allow(clippy::unwrap_used)]

use cvm_blocking::proto::models::InstanceState;
use cvm_blocking::WaitTarget;

use cvm_blocking::proto::api::cvm::{
    DescribeInstancesRequest, DescribeInstancesStatusRequest, DescribeZonesRequest, Filter,
    Placement, RunInstancesRequest, StopInstancesRequest, TerminateInstancesRequest,
};
use cvm_sim::SimConfig;
use cvm_test_support::prelude::{sim, sim_client, wait_options};

#[test]
fn every_step_of_a_life_cycle_through_typed_methods() {
    let server = sim(SimConfig::default());
    let c: cvm_blocking::Client = sim_client(&server).build().unwrap();

    let zones = c.describe_zones(&DescribeZonesRequest::new()).unwrap();
    assert!(zones
        .output
        .zone_set
        .iter()
        .any(|z| z.zone.as_deref() == Some("ap-guangzhou-2")));

    let run = RunInstancesRequest::new()
        .with_placement(Placement::new("ap-guangzhou-2"))
        .with_image_id("img-pmqg1cw7")
        .with_instance_type("S1.SMALL1")
        .with_instance_count(2);
    let ids = c.run_instances(&run).unwrap().output.instance_id_set;
    assert_eq!(ids.len(), 2);

    let found = c
        .describe_instances(
            &DescribeInstancesRequest::new()
                .with_filters([Filter::new("zone", ["ap-guangzhou-2"])]),
        )
        .unwrap();
    assert_eq!(found.output.total_count, Some(2));

    let status = c
        .describe_instances_status(
            &DescribeInstancesStatusRequest::new().with_instance_ids(ids.clone()),
        )
        .unwrap();
    assert_eq!(status.output.instance_status_set.len(), 2);
    let running = WaitTarget::State(InstanceState::Running);
    c.wait_until(ids.clone(), running, wait_options(), |_| {})
        .unwrap();

    c.stop_instances(&StopInstancesRequest::new(ids.clone()))
        .unwrap();
    // Stopping a stopping instance is refused with the service's code: a typed API error.
    let e = c
        .stop_instances(&StopInstancesRequest::new(ids.clone()))
        .unwrap_err();
    let api = e.api().unwrap_or_else(|| panic!("{e:?}"));
    assert!(api.code.starts_with("UnsupportedOperation"), "{api:?}");
    let stopped = WaitTarget::State(InstanceState::Stopped);
    c.wait_until(ids.clone(), stopped, wait_options(), |_| {})
        .unwrap();
    c.terminate_instances(&TerminateInstancesRequest::new(ids))
        .unwrap();
}

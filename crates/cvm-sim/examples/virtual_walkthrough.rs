//! The walkthrough against the emulator's pure core, with no network and a virtual clock: every
//! request is prepared by cvm-proto, handled by `Sim::handle` at a chosen time, and parsed back.
//!
//! `cargo run -p cvm-sim --example virtual_walkthrough`

use std::time::Duration;

use cvm_proto::models::{
    DescribeInstanceTypeConfigsRequest, DescribeInstancesStatusRequest, Filter, InstanceState,
    Placement, RunInstancesRequest, TerminateInstancesRequest,
};
use cvm_proto::{envelope, prepare, Action, Context, Credentials, Endpoint};
use cvm_sim::{Sim, SimConfig, SimRequest, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};

/// Sends `request` to the emulator at virtual time `now` (seconds) and parses the typed reply.
fn call<A: Action>(
    sim: &mut Sim,
    creds: &Credentials,
    request: &A,
    now: u64,
    nonce: u64,
) -> Result<A::Output, Box<dyn std::error::Error>> {
    let endpoint = Endpoint::parse("http://cvm.local/")?;
    let ctx = Context::new(now, nonce).region("ap-guangzhou");
    let http = prepare(A::NAME, request, creds, &endpoint, &ctx)?.request;
    let handled = sim.handle(&SimRequest::from_prepared(&http), Duration::from_secs(now));
    let reply = envelope::parse::<A::Output>(
        handled.response.status,
        &handled.response.body,
        envelope::DEFAULT_BODY_LIMIT,
    )?;
    println!("{:<28} RequestId {}", A::NAME, reply.request_id);
    Ok(reply.output)
}

fn state(
    sim: &mut Sim,
    creds: &Credentials,
    id: &str,
    now: u64,
    nonce: u64,
) -> Result<Option<InstanceState>, Box<dyn std::error::Error>> {
    let req = DescribeInstancesStatusRequest {
        instance_ids: vec![id.to_owned()],
        ..Default::default()
    };
    let out = call(sim, creds, &req, now, nonce)?;
    Ok(out
        .instance_status_set
        .into_iter()
        .next()
        .and_then(|s| s.instance_state))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sim = Sim::new(SimConfig::default())?;
    let creds = Credentials::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY)?;
    let mut now = 1_700_000_000;

    let types = call(
        &mut sim,
        &creds,
        &DescribeInstanceTypeConfigsRequest {
            filters: vec![
                Filter::new("zone", ["ap-guangzhou-2"]),
                Filter::new("instance-family", ["S2"]),
            ],
        },
        now,
        1,
    )?;
    let picked = types
        .instance_type_config_set
        .iter()
        .find(|t| t.cpu == Some(2) && t.memory == Some(4))
        .and_then(|t| t.instance_type.clone())
        .ok_or("no 2 CPU / 4 GiB type")?;
    println!("  picked {picked}");

    let run = RunInstancesRequest {
        placement: Some(Placement::new("ap-guangzhou-2")),
        image_id: Some("img-pmqg1cw7".into()),
        instance_type: Some(picked),
        client_token: Some("walkthrough-1".into()),
        ..Default::default()
    };
    let id = call(&mut sim, &creds, &run, now, 2)?
        .instance_id_set
        .into_iter()
        .next()
        .ok_or("no instance id")?;
    println!(
        "  created {id}: {:?}",
        state(&mut sim, &creds, &id, now, 3)?
    );
    now += 5; // the virtual clock moves past the launch delay
    println!("  5 s later: {:?}", state(&mut sim, &creds, &id, now, 4)?);

    call(
        &mut sim,
        &creds,
        &TerminateInstancesRequest::new([id.clone()]),
        now,
        5,
    )?;
    now += 5;
    println!("  5 s later: {:?}", state(&mut sim, &creds, &id, now, 6)?);
    Ok(())
}

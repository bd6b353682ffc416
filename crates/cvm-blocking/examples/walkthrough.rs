//! Replays the CVM walkthrough against a local emulator: find a 2 CPU / 4 GiB type, create an
//! instance, wait for it to run, terminate it and wait for it to be gone.
//!
//! ```sh
//! CVM_INSTANCE_PASSWORD='Walk-through-1' TENCENTCLOUD_SECRET_ID=AKID... TENCENTCLOUD_SECRET_KEY=... \
//!   cargo run -p cvm-blocking --example walkthrough -- http://127.0.0.1:8080/
//! ```
//!
//! The endpoint is the first argument or `CVM_ENDPOINT`; credentials come from the usual chain
//! (environment, then `~/.tencentcloud/credentials`); the region from `TENCENTCLOUD_REGION`,
//! else `ap-guangzhou`; the instance's password from `CVM_INSTANCE_PASSWORD`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use cvm_blocking::proto::models::{
    DescribeInstanceTypeConfigsRequest, Filter, InstanceState, TerminateInstancesRequest,
};
use cvm_blocking::proto::profile::ENV_REGION;
use cvm_blocking::{Client, WaitOptions, WaitTarget, Waiter};

const ZONE: &str = "ap-guangzhou-2";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("walkthrough: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let endpoint = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("CVM_ENDPOINT").ok())
        .ok_or("give the emulator's URL as the first argument or in CVM_ENDPOINT")?;
    let password = std::env::var("CVM_INSTANCE_PASSWORD")
        .map_err(|_| "set CVM_INSTANCE_PASSWORD to the new instance's password")?;
    let region = std::env::var(ENV_REGION).unwrap_or_else(|_| "ap-guangzhou".to_owned());
    let client = Client::builder()
        .endpoint_url(&endpoint)
        .region(region)
        .build()?;
    println!(
        "endpoint {endpoint}, credentials from {:?}",
        client.core().credentials_source()
    );

    // 1. The S2 types of the zone, and one with 2 CPUs and 4 GiB.
    let types = client.call(&DescribeInstanceTypeConfigsRequest {
        filters: vec![
            Filter::new("zone", [ZONE]),
            Filter::new("instance-family", ["S2"]),
        ],
    })?;
    for t in &types.output.instance_type_config_set {
        println!(
            "  {} {} CPU {} GiB",
            t.instance_type.as_deref().unwrap_or("?"),
            t.cpu.unwrap_or(0),
            t.memory.unwrap_or(0)
        );
    }
    let picked = types
        .output
        .instance_type_config_set
        .iter()
        .find(|t| t.cpu == Some(2) && t.memory == Some(4))
        .and_then(|t| t.instance_type.clone())
        .ok_or("no S2 type with 2 CPUs and 4 GiB in the zone")?;
    println!("2 CPU / 4 GiB in {ZONE}: {picked}");

    // 2. Create the walkthrough's instance.
    let run = client.call(&cvm_test_support::walkthrough::run_instances(
        &picked, &password,
    ))?;
    let ids = run.output.instance_id_set;
    println!(
        "RunInstances: {} (RequestId {})",
        ids.join(", "),
        run.request_id
    );

    // 3. Wait until it runs, 4. terminate it, 5. wait until it is gone.
    let options = {
        let mut v = WaitOptions::default();
        v.first_interval = Duration::from_millis(500);
        v.max_interval = Duration::from_secs(5);
        v.timeout = Duration::from_secs(300);
        v
    };
    client.wait_until(
        ids.clone(),
        WaitTarget::State(InstanceState::Running),
        options,
        show,
    )?;
    println!();
    let term = client.call(&TerminateInstancesRequest::new(ids.clone()))?;
    println!("TerminateInstances: RequestId {}", term.request_id);
    client.wait_until(ids, WaitTarget::Gone, options, show)?;
    println!();
    println!("done");
    Ok(())
}

/// Rewrites one progress line in place.
fn show(waiter: &Waiter) {
    print!("\r  {:<72}", waiter.progress());
    let _ = std::io::stdout().flush();
}

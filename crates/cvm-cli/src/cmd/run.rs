//! `cvm run`: create instances from flags covering the walkthrough's request.

use std::io::Read;
use std::time::Duration;

use cvm_blocking::{Client, WaitTarget};
use cvm_proto::models::{
    DataDisk, EnhancedService, InstanceState, InternetAccessible, LoginSettings, Placement,
    RunInstancesRequest, RunMonitorServiceEnabled, RunSecurityServiceEnabled, SystemDisk,
};
use serde_json::{json, Value};

use crate::output::{self, Failure, Output, View};

/// The environment variable `cvm run` reads the instance password from when `--password-stdin` is not given.
pub(crate) const PASSWORD_ENV: &str = "CVM_INSTANCE_PASSWORD";

/// Options of `cvm run`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Args {
    /// Availability zone, e.g. ap-guangzhou-2.
    #[arg(long)]
    pub zone: String,
    /// Image id, e.g. img-pmqg1cw7.
    #[arg(long)]
    pub image_id: String,
    /// Instance type, e.g. S1.SMALL1.
    #[arg(long)]
    pub instance_type: Option<String>,
    /// PREPAID, POSTPAID_BY_HOUR, SPOTPAID, ...
    #[arg(long, default_value = "POSTPAID_BY_HOUR")]
    pub charge_type: String,
    /// System disk type, e.g. LOCAL_BASIC or CLOUD_PREMIUM.
    #[arg(long)]
    pub system_disk_type: Option<String>,
    /// System disk size in GiB.
    #[arg(long)]
    pub system_disk_size: Option<i64>,
    /// A data disk as TYPE:SIZE_GIB, e.g. LOCAL_BASIC:100; repeat for more.
    #[arg(long = "data-disk", value_parser = parse_data_disk)]
    pub data_disks: Vec<DataDisk>,
    /// BANDWIDTH_PREPAID, TRAFFIC_POSTPAID_BY_HOUR, BANDWIDTH_POSTPAID_BY_HOUR or BANDWIDTH_PACKAGE.
    #[arg(long)]
    pub internet_charge_type: Option<String>,
    /// Outbound bandwidth in Mbps.
    #[arg(long)]
    pub bandwidth: Option<i64>,
    /// Assign a public IP (needs bandwidth above 0).
    #[arg(long)]
    pub public_ip: bool,
    /// Instance name.
    #[arg(long)]
    pub name: Option<String>,
    /// Read the login password from the first line of stdin (otherwise from CVM_INSTANCE_PASSWORD, if set).
    #[arg(long)]
    pub password_stdin: bool,
    /// Security group id; repeat for more.
    #[arg(long = "security-group-id")]
    pub security_group_ids: Vec<String>,
    /// Do not enable the security agent (enabled by default).
    #[arg(long)]
    pub no_security_service: bool,
    /// Do not enable the monitoring agent (enabled by default).
    #[arg(long)]
    pub no_monitor_service: bool,
    /// How many instances.
    #[arg(long, default_value_t = 1)]
    pub count: i64,
    /// Host name.
    #[arg(long)]
    pub host_name: Option<String>,
    /// Idempotency token (at most 64 ASCII characters); one is generated when absent.
    #[arg(long)]
    pub client_token: Option<String>,
    /// Check the request without creating anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Wait until the instances are RUNNING.
    #[arg(long)]
    pub wait: bool,
    /// Seconds to wait at most with --wait.
    #[arg(long, default_value_t = 600)]
    pub wait_timeout: u64,
}

fn parse_data_disk(s: &str) -> Result<DataDisk, String> {
    let (kind, size) = s
        .split_once(':')
        .ok_or_else(|| format!("data disk {s:?} must be TYPE:SIZE_GIB, e.g. LOCAL_BASIC:100"))?;
    let size: i64 = size
        .parse()
        .map_err(|_| format!("data disk size {size:?} is not a whole number of GiB"))?;
    if kind.is_empty() {
        return Err(format!("data disk {s:?} has no type"));
    }
    Ok(DataDisk::new(size).with_disk_type(kind))
}

/// The request these flags describe, with `password` as the login password.
pub(crate) fn request(args: &Args, password: Option<String>) -> RunInstancesRequest {
    let system_disk =
        (args.system_disk_type.is_some() || args.system_disk_size.is_some()).then(|| SystemDisk {
            disk_type: args.system_disk_type.clone(),
            disk_size: args.system_disk_size,
            ..SystemDisk::default()
        });
    let internet = (args.internet_charge_type.is_some()
        || args.bandwidth.is_some()
        || args.public_ip)
        .then(|| InternetAccessible {
            internet_charge_type: args.internet_charge_type.clone(),
            internet_max_bandwidth_out: args.bandwidth,
            public_ip_assigned: args.public_ip.then_some(true),
            ..InternetAccessible::default()
        });
    RunInstancesRequest {
        instance_charge_type: Some(args.charge_type.clone()),
        placement: Some(Placement::new(args.zone.clone())),
        instance_type: args.instance_type.clone(),
        image_id: Some(args.image_id.clone()),
        system_disk,
        data_disks: args.data_disks.clone(),
        internet_accessible: internet,
        instance_count: Some(args.count),
        instance_name: args.name.clone(),
        login_settings: password.map(|p| LoginSettings {
            password: Some(p),
            ..LoginSettings::default()
        }),
        security_group_ids: args.security_group_ids.clone(),
        enhanced_service: Some(EnhancedService {
            security_service: Some(RunSecurityServiceEnabled {
                enabled: Some(!args.no_security_service),
            }),
            monitor_service: Some(RunMonitorServiceEnabled {
                enabled: Some(!args.no_monitor_service),
            }),
            ..EnhancedService::default()
        }),
        client_token: args.client_token.clone(),
        host_name: args.host_name.clone(),
        dry_run: args.dry_run.then_some(true),
        ..RunInstancesRequest::default()
    }
}

/// The password from stdin (first line) or the environment; never from argv.
fn password(args: &Args) -> Result<Option<String>, Failure> {
    if args.password_stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Failure::usage(format!("cannot read the password from stdin: {e}")))?;
        let line = text.lines().next().unwrap_or_default().to_owned();
        if line.is_empty() {
            return Err(Failure::usage(
                "--password-stdin was given but stdin is empty",
            ));
        }
        return Ok(Some(line));
    }
    crate::environment::text(PASSWORD_ENV)
}

/// The failure of a RunInstances whose result is unknown, with the command that recovers it:
/// the same command with `--client-token`, which returns the ids of the instances it created.
fn recoverable(e: cvm_blocking::Error) -> Failure {
    let Some(token) = e.client_token().map(str::to_owned) else {
        return e.into();
    };
    let mut argv: Vec<String> = std::env::args().map(|a| shell_quote(&a)).collect();
    if !argv.iter().any(|a| a == "--client-token") {
        argv.push("--client-token".into());
        argv.push(token.clone());
    }
    let mut failure = Failure::from(e);
    failure.message = format!(
        "{}; to recover it, run the same command with --client-token {token}: {}",
        failure.message,
        argv.join(" ")
    );
    failure
}

/// `arg` quoted for a POSIX shell when it holds anything but safe characters.
fn shell_quote(arg: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c);
    if !arg.is_empty() && arg.chars().all(safe) {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The table of a `cvm run` without `--wait`: the ids created.
const CREATED: View = View {
    list: "InstanceIdSet",
    columns: &[("ID", "")],
};

/// Runs the command: the RunInstances response, plus `Instances` with `--wait` and
/// `"DryRun": true` for a dry run that passed.
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let req = request(args, password(args)?);
    let reply = match client.call(&req) {
        Ok(reply) => reply,
        Err(cvm_blocking::Error::Call(e)) if args.dry_run && e.is_dry_run_passed() => {
            let request_id = e
                .api()
                .and_then(|a| a.request_id.clone())
                .unwrap_or_default();
            return out.emit(
                &json!({"InstanceIdSet": [], "RequestId": request_id, "DryRun": true}),
                None,
            );
        }
        Err(e) => return Err(recoverable(e)),
    };
    let mut doc = output::response(&reply.output, &reply.request_id)?;
    if args.dry_run {
        doc["DryRun"] = Value::Bool(true);
    }
    let ids = reply.output.instance_id_set.clone();
    if args.wait && !ids.is_empty() {
        let waited = super::wait(
            client,
            &ids,
            WaitTarget::State(InstanceState::Running),
            Duration::from_secs(args.wait_timeout),
            out,
        );
        match waited {
            Ok(states) => doc["Instances"] = states,
            Err(mut failure) => {
                // The instances exist: say which, so that nothing is left running unknown.
                failure.message = format!(
                    "{} (created: {}; RequestId {})",
                    failure.message,
                    ids.join(" "),
                    reply.request_id
                );
                if out.json() {
                    out.emit(&doc, None)?;
                }
                return Err(failure);
            }
        }
        return out.emit(&doc, Some(&output::INSTANCES_VIEW));
    }
    out.emit(&doc, Some(&CREATED))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        args: Args,
    }

    #[test]
    fn walkthrough_flags_make_the_walkthrough_request() {
        let t = T::try_parse_from([
            "t",
            "--zone",
            "ap-guangzhou-2",
            "--image-id",
            "img-pmqg1cw7",
            "--instance-type",
            "S1.SMALL1",
            "--system-disk-type",
            "LOCAL_BASIC",
            "--system-disk-size",
            "50",
            "--data-disk",
            "LOCAL_BASIC:100",
            "--internet-charge-type",
            "TRAFFIC_POSTPAID_BY_HOUR",
            "--bandwidth",
            "10",
            "--public-ip",
            "--name",
            "QCLOUD-TEST",
            "--client-token",
            "tok",
        ])
        .unwrap();
        // Exactly the walkthrough's request (as the SDK vector S3 sends it), plus the token given.
        let mut expect = cvm_test_support::walkthrough::run_instances("S1.SMALL1", "pw");
        expect.client_token = Some("tok".into());
        assert_eq!(request(&t.args, Some("pw".into())), expect);
    }

    #[test]
    fn bad_data_disks_are_usage_errors() {
        for bad in ["LOCAL_BASIC", "LOCAL_BASIC:x", ":100"] {
            assert!(parse_data_disk(bad).is_err(), "{bad}");
        }
    }
}

//! `cvm`: a command for people and scripts working with Tencent Cloud CVM's signature-v1 API.
//!
//! clap parses the arguments (derive API). Output is a table or text on a terminal and JSON when
//! piped or with `--output json`; errors go to stderr as one line. Exit status: 0 success, 1 API
//! error, 2 usage or input error, 3 transport error or timeout.

mod client;
mod cmd;
mod input;
mod output;
mod sign_cmd;

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::client::GlobalArgs;
use crate::output::{Failure, Format, Output};

/// Command-line client for Tencent Cloud CVM (signature v1), with a local emulator.
#[derive(Parser, Debug)]
#[command(name = "cvm", version, about)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    /// table (text on a terminal) or json (the default when stdout is not a terminal).
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    output: Option<Format>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the walkthrough (find the 2 CPU / 4 GiB type, create, wait, destroy) against the embedded emulator, or --endpoint.
    Demo,
    /// Run the local emulator of the CVM endpoint until Ctrl-C.
    Sim(cmd::sim::Args),
    /// List instance types (DescribeInstanceTypeConfigs).
    InstanceTypes(cmd::instance_types::Args),
    /// Create instances (RunInstances); the password comes from --password-stdin or CVM_INSTANCE_PASSWORD.
    Run(Box<cmd::run::Args>),
    /// Destroy instances (TerminateInstances).
    Terminate(cmd::terminate::Args),
    /// Call any action with Key=Value parameters and/or a JSON --params file, checked against the spec first.
    Call(cmd::call::Args),
    /// List every action of the CVM API (one a line; --long for details, --output json for facts).
    Actions(cmd::actions::Args),
    /// List instances (DescribeInstances): a table on a terminal, JSON otherwise.
    Instances(cmd::instances::Args),
    /// Show instance states (DescribeInstancesStatus), every page.
    Status(cmd::instances::StatusArgs),
    /// Start stopped instances (StartInstances).
    Start(cmd::power::Args),
    /// Stop running instances (StopInstances).
    Stop(cmd::power::StopArgs),
    /// Reboot running instances (RebootInstances).
    Reboot(cmd::power::RebootArgs),
    /// Wait until instances reach a state (RUNNING, STOPPED, TERMINATED, ...); --wait-timeout bounds the whole wait.
    Wait(cmd::power::WaitArgs),
    /// List the zones of the region (DescribeZones).
    Zones,
    /// List regions (DescribeRegions).
    Regions,
    /// List images (DescribeImages), every page.
    Images(cmd::catalog::ImagesArgs),
    /// Print a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Read a nested JSON object on stdin; print its flat parameters as a JSON object in signing order.
    Flatten,
    /// Read flat parameters (a JSON object, Signature excluded) on stdin and print the string to sign,
    /// the signature and the encoded query/body. The key comes from TENCENTCLOUD_SECRET_KEY.
    Sign(sign_cmd::SignArgs),
}

/// Reads all of stdin.
pub fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
    Ok(buf)
}

fn flatten() -> Result<(), Failure> {
    let object = input::object(&read_stdin()?).map_err(Failure::usage)?;
    let params =
        cvm_proto::flatten::to_params(&object).map_err(|e| Failure::usage(e.to_string()))?;
    let mut map = serde_json::Map::new();
    for (k, v) in sign_cmd::signing_order(&params).map_err(Failure::usage)? {
        map.insert(k.to_owned(), v.to_owned().into());
    }
    output::print_json(&serde_json::Value::Object(map))
}

fn run(cli: Cli) -> Result<(), Failure> {
    let out = Output::detect(cli.output);
    let g = &cli.global;
    match &cli.command {
        Command::Flatten => flatten(),
        Command::Sign(args) => {
            let key = std::env::var("TENCENTCLOUD_SECRET_KEY").ok();
            let result = sign_cmd::run(args, key.map(zeroize::Zeroizing::new), &read_stdin()?)
                .map_err(Failure::usage)?;
            output::print_json(&result)
        }
        Command::Demo => cmd::demo::run(g, &out),
        Command::Sim(args) => cmd::sim::run(args),
        Command::InstanceTypes(args) => {
            cmd::instance_types::run(&g.client(None, None)?, args, &out)
        }
        Command::Run(args) => {
            // With --wait, RunInstances is retried within the wait's deadline.
            let client = if args.wait {
                g.client_within(Duration::from_secs(args.wait_timeout))?
            } else {
                g.client(None, None)?
            };
            cmd::run::run(&client, args, &out)
        }
        Command::Terminate(args) => cmd::terminate::run(&g.client(None, None)?, args, &out),
        Command::Call(args) if args.skeleton => cmd::actions::skeleton(&args.action),
        Command::Call(args) => cmd::call::run(&g.client(None, None)?, args, &out),
        Command::Actions(args) => cmd::actions::run(args, cli.output),
        Command::Instances(args) => cmd::instances::run(&g.client(None, None)?, args, &out),
        Command::Status(args) => cmd::instances::status(&g.client(None, None)?, args, &out),
        Command::Start(args) => {
            cmd::power::run(&g.client(None, None)?, cmd::power::Op::Start, args, &out)
        }
        Command::Stop(args) => {
            cmd::power::run(&g.client(None, None)?, args.op(), &args.common, &out)
        }
        Command::Reboot(args) => {
            cmd::power::run(&g.client(None, None)?, args.op(), &args.common, &out)
        }
        Command::Wait(args) => cmd::power::wait(&g.client(None, None)?, args, &out),
        Command::Zones => cmd::catalog::zones(&g.client(None, None)?, &out),
        Command::Regions => cmd::catalog::regions(&g.regionless_client()?, &out),
        Command::Images(args) => cmd::catalog::images(&g.client(None, None)?, args, &out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "cvm", &mut script);
            output::write_out(format_args!("{}", String::from_utf8_lossy(&script)));
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}

//! `cvm`: a command for people and scripts working with Tencent Cloud CVM's signature-v1 API.
//!
//! clap parses the arguments (derive API). Each command builds one JSON document (the service's
//! `Response` content with `RequestId`, see [`output`]); `--query` narrows it, and `--output`
//! shows it as JSON (the default when piped), a table (the default on a terminal) or text.
//! Errors go to stderr as one line. Exit status: 0 success, 1 API error, 2 usage or input error,
//! 3 transport error or timeout, 4 unconfirmed.

mod client;
mod cmd;
mod environment;
mod output;
mod profile_file;
mod sign_cmd;

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::client::GlobalArgs;
use crate::output::{Failure, Format, Output, Query};

/// Command-line client for Tencent Cloud CVM (signature v1), with a local emulator.
#[derive(Parser, Debug)]
#[command(name = "cvm", version, about)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    /// json (the default when stdout is not a terminal), table (the default on a terminal) or
    /// text (tab-separated, one line per item); the profile's output setting comes before the default.
    #[arg(
        short,
        long,
        global = true,
        help_heading = "Global options",
        value_enum
    )]
    output: Option<Format>,
    /// A JMESPath expression applied to the command's JSON before output, e.g. 'InstanceSet[].InstanceId'.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "EXPR"
    )]
    query: Option<String>,
    /// No progress or hints on stderr (errors are still printed).
    #[arg(short, long, global = true, help_heading = "Global options")]
    quiet: bool,
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
    /// Set up the profile of ~/.tencentcloud/credentials: asks on a terminal, or set/get/list.
    Configure(cmd::configure::Args),
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

fn flatten(out: &Output) -> Result<(), Failure> {
    let object =
        cvm_proto::json::parse_object(&read_stdin()?).map_err(|e| Failure::usage(e.to_string()))?;
    let params =
        cvm_proto::flatten::to_params(&object).map_err(|e| Failure::usage(e.to_string()))?;
    let mut map = serde_json::Map::new();
    for (k, v) in sign_cmd::signing_order(&params).map_err(Failure::usage)? {
        map.insert(k.to_owned(), v.to_owned().into());
    }
    out.emit(&serde_json::Value::Object(map), None)
}

fn run(cli: Cli) -> Result<(), Failure> {
    // A bad expression is refused before anything is sent.
    let query = cli.query.as_deref().map(Query::compile).transpose()?;
    if query.is_some()
        && matches!(
            cli.command,
            Command::Demo | Command::Sim(_) | Command::Completions { .. }
        )
    {
        return Err(Failure::usage(
            "--query applies to a JSON document; demo, sim and completions print none",
        ));
    }
    let g = &cli.global;
    let configured = match &cli.command {
        // These print JSON for other tools unless told otherwise.
        Command::Flatten | Command::Sign(_) => Some(Format::Json),
        // These print nothing in a format the profile chooses.
        Command::Sim(_) | Command::Completions { .. } | Command::Actions(_) => None,
        Command::Call(args) if args.skeleton => None,
        _ if cli.output.is_some() => None,
        // `configure` must still run to mend a bad value: it says so and goes on.
        // (It reads the file itself, and says what keeps it from being read.)
        Command::Configure(_) => profile_file::default_value(g.profile.as_deref(), "output")
            .ok()
            .flatten()
            .and_then(|value| {
                output_format(&value)
                    .map_err(|e| eprintln!("warning: {}", e.message))
                    .ok()
            }),
        _ => configured_output(g.profile.as_deref())?,
    };
    let out = Output::detect(cli.output, configured, query, cli.quiet);
    match &cli.command {
        Command::Flatten => flatten(&out),
        Command::Sign(args) => {
            let key = environment::text("TENCENTCLOUD_SECRET_KEY")?;
            let result = sign_cmd::run(args, key.map(zeroize::Zeroizing::new), &read_stdin()?)
                .map_err(Failure::usage)?;
            out.emit(&result, None)
        }
        Command::Configure(args) => cmd::configure::run(args, g.profile.as_deref(), &out),
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
            let mut command = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "cvm", &mut script);
            output::write_out(format_args!("{}", String::from_utf8_lossy(&script)));
            Ok(())
        }
    }
}

/// The profile's `output` setting, if it has one: a value that is no format is an error, as a
/// script that set it must not get another format without a word.
fn configured_output(profile: Option<&str>) -> Result<Option<Format>, Failure> {
    profile_file::default_value(profile, "output")?
        .map(|value| output_format(&value))
        .transpose()
}

/// The format a profile's `output` value names.
fn output_format(value: &str) -> Result<Format, Failure> {
    value.parse::<Format>().map_err(|e| {
        Failure::usage(format!(
            "the profile's output setting: {e} (mend it with cvm configure set output FORMAT, or pass --output)"
        ))
    })
}

/// The commands that use none of the global flags, and the flags hidden from their help.
const NO_CLIENT_FLAGS: [&str; 2] = ["sim", "completions"];

/// The command line's definition, with the global flags hidden from the help of commands that
/// do not use them (they are still accepted there, and ignored).
fn command() -> clap::Command {
    let mut command = Cli::command();
    // Propagate the global flags to every subcommand first, so that they can be hidden there.
    command.build();
    command.mut_subcommands(|sub| {
        if NO_CLIENT_FLAGS.contains(&sub.get_name()) {
            sub.mut_args(|a| if a.is_global_set() { a.hide(true) } else { a })
        } else {
            sub
        }
    })
}

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => f.report(),
    }
}

//! `cvm`: a command for people and scripts working with Tencent Cloud CVM's signature-v1 API.
//!
//! Built on clap for argument parsing (derive API, generated help and completions later).

mod input;
mod sign_cmd;

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status for usage and input errors.
const EXIT_USAGE: u8 = 2;

/// Command-line client for Tencent Cloud CVM (signature v1).
#[derive(Parser, Debug)]
#[command(name = "cvm", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read a nested JSON object on stdin; print its flat parameters as a JSON object in signing order.
    Flatten,
    /// Read flat parameters (a JSON object, Signature excluded) on stdin and print the string to sign,
    /// the signature and the encoded query/body. The key comes from TENCENTCLOUD_SECRET_KEY.
    Sign(sign_cmd::SignArgs),
}

/// A failure that ends the command with an exit status and a one-line message.
#[derive(Debug)]
struct Failure {
    status: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            status: EXIT_USAGE,
            message: message.into(),
        }
    }
}

fn read_stdin() -> Result<Vec<u8>, Failure> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
    Ok(buf)
}

fn print_json(value: &serde_json::Value) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| Failure::usage(e.to_string()))?;
    writeln!(out).map_err(|e| Failure::usage(e.to_string()))
}

fn flatten() -> Result<(), Failure> {
    let object = input::object(&read_stdin()?).map_err(Failure::usage)?;
    let params =
        cvm_proto::flatten::to_params(&object).map_err(|e| Failure::usage(e.to_string()))?;
    let mut map = serde_json::Map::new();
    for (k, v) in sign_cmd::signing_order(&params).map_err(Failure::usage)? {
        map.insert(k.to_owned(), v.to_owned().into());
    }
    print_json(&serde_json::Value::Object(map))
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Flatten => flatten(),
        Command::Sign(args) => {
            let key = std::env::var("TENCENTCLOUD_SECRET_KEY").ok();
            let result = sign_cmd::run(&args, key.map(zeroize::Zeroizing::new), &read_stdin()?)
                .map_err(Failure::usage)?;
            print_json(&result)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            let line = f.message.replace('\n', " ");
            eprintln!("cvm: {line}");
            ExitCode::from(f.status)
        }
    }
}

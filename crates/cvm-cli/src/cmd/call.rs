//! `cvm call ACTION [Key=Value ...] [--params FILE|-]`: any action with any parameters.

use std::collections::BTreeMap;

use cvm_blocking::Client;
use cvm_proto::Params;

use crate::output::{self, Failure, Output};

/// Options of `cvm call`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The action, e.g. DescribeZones (`cvm actions` lists them).
    pub(crate) action: String,
    /// Flat parameters as Key=Value, e.g. InstanceIds.0=ins-123 Limit=10.
    params: Vec<String>,
    /// A JSON object of (nested) parameters from a file, or - for stdin; merged with Key=Value.
    #[arg(long = "params", value_name = "FILE|-")]
    params_file: Option<String>,
    /// Print a JSON skeleton of the action's parameters (every field and its type) and exit.
    #[arg(long)]
    pub(crate) skeleton: bool,
    /// Send the parameters without checking them against the spec (for fields newer than it).
    #[arg(long)]
    no_validate: bool,
}

/// The flat parameters of the call: the flattened JSON, then each `Key=Value` (a key given twice is an error).
pub(crate) fn params(json: Option<&[u8]>, pairs: &[String]) -> Result<Params, Failure> {
    let mut params = match json {
        Some(bytes) => {
            let object =
                cvm_proto::json::parse_object(bytes).map_err(|e| Failure::usage(e.to_string()))?;
            cvm_proto::flatten::to_params(&object).map_err(|e| Failure::usage(e.to_string()))?
        }
        None => Params::new(),
    };
    for pair in pairs {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("parameter {pair:?} must be Key=Value")))?;
        params
            .insert(k, v)
            .map_err(|e| Failure::usage(e.to_string()))?;
    }
    Ok(params)
}

/// Runs the command: prints the content of the reply's `Response`, `RequestId` included.
pub(crate) fn run(client: &Client, args: &Args, out: &Output) -> Result<(), Failure> {
    let json = match args.params_file.as_deref() {
        None => None,
        Some("-") => Some(crate::read_stdin()?),
        Some(path) => {
            Some(std::fs::read(path).map_err(|e| Failure::usage(format!("{path}: {e}")))?)
        }
    };
    let flat = params(json.as_deref(), &args.params)?;
    if !args.no_validate {
        crate::cmd::actions::check(&args.action, &flat)?;
    }
    let map: BTreeMap<&str, &str> = flat.iter().collect();
    let reply = client.call_json(&args.action, &map)?;
    out.emit(&output::response(&reply.output, &reply.request_id)?, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_json_and_pairs() {
        let p = params(
            Some(br#"{"Filters":[{"Name":"zone","Values":["ap-guangzhou-2"]}]}"#),
            &["Limit=10".into()],
        )
        .unwrap();
        assert_eq!(p.get("Filters.0.Values.0"), Some("ap-guangzhou-2"));
        assert_eq!(p.get("Limit"), Some("10"));
        assert!(params(None, &["NoEquals".into()]).is_err());
        assert!(params(Some(br#"{"Limit":1}"#), &["Limit=2".into()]).is_err());
        assert!(params(None, &["a b=1".into()]).is_err());
        // A key given twice in the JSON is refused, not settled by the last value.
        let err = params(
            Some(br#"{"Filters":[{"Name":"zone","Name":"instance-id"}]}"#),
            &[],
        )
        .unwrap_err();
        assert_eq!(err.status, crate::output::EXIT_USAGE);
        assert!(
            err.message.contains(r#"the key "Name" twice"#),
            "{}",
            err.message
        );
    }
}

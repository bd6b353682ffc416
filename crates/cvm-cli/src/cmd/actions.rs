//! `cvm actions`: every action of the CVM API, from the spec; and the offline checks and input
//! skeleton that `cvm call` takes from the same spec.

use cvm_proto::validate::{self, Problem, Violation};
use cvm_proto::Params;
use serde_json::{json, Value};

use crate::output::{self, Failure, Format};

/// Options of `cvm actions`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Also show, tab-separated, whether each action only reads, its idempotency token field,
    /// and whether the spec marks it deprecated.
    #[arg(long, short = 'l')]
    long: bool,
}

/// One action as `cvm actions -o json` and `--long` show it.
fn describe(info: &cvm_proto::ActionInfo, deprecated: bool) -> Value {
    json!({
        "Action": info.name,
        "ReadOnly": info.read_only,
        "ClientToken": info.client_token,
        "Deprecated": deprecated,
    })
}

/// Runs the command: one action name a line (so `cvm actions | wc -l` counts them), or with an
/// explicit `--output json` a JSON array of the actions' facts.
pub(crate) fn run(args: &Args, format: Option<Format>) -> Result<(), Failure> {
    let actions = cvm_proto::api::cvm::ACTIONS;
    let deprecated = |name: &str| validate::action(name).is_some_and(|s| s.deprecated);
    if format == Some(Format::Json) {
        let list: Vec<Value> = actions
            .iter()
            .map(|a| describe(a, deprecated(a.name)))
            .collect();
        return output::print_json(&Value::Array(list));
    }
    let mut text = String::new();
    for a in actions {
        text.push_str(a.name);
        if args.long {
            let kind = if a.read_only { "read" } else { "write" };
            let token = a.client_token.unwrap_or("-");
            let dep = if deprecated(a.name) {
                "deprecated"
            } else {
                "-"
            };
            text.push_str(&format!("\t{kind}\t{token}\t{dep}"));
        }
        text.push('\n');
    }
    output::write_out(format_args!("{text}"));
    Ok(())
}

/// The spec of `action`, or a usage error naming the nearest action.
pub(crate) fn spec(action: &str) -> Result<&'static cvm_proto::api::spec::ActionSpec, Failure> {
    validate::action(action).ok_or_else(|| {
        let hint = match validate::suggest_action(action) {
            Some(s) => format!(" (did you mean {s}?)"),
            None => " (`cvm actions` lists them)".to_owned(),
        };
        Failure::usage(format!("unknown action {action}{hint}"))
    })
}

/// Checks the flat parameters of a call to `action` against the spec before anything is signed:
/// an error is a usage failure (exit 2) in one line; deprecated parameters are warned about on stderr.
pub(crate) fn check(action: &str, params: &Params) -> Result<(), Failure> {
    let spec = spec(action)?;
    let warnings = validate::check_params(spec, validate::CVM_OBJECTS, params)
        .map_err(|v| Failure::usage(message(action, &v)))?;
    for w in warnings {
        eprintln!("warning: {action}: {w}");
    }
    Ok(())
}

fn message(action: &str, v: &Violation) -> String {
    let hint = match v.problem {
        Problem::Unknown { suggestion: None } => {
            format!("; `cvm call {action} --skeleton` shows every parameter")
        }
        _ => String::new(),
    };
    format!("{action}: {v}{hint} (--no-validate sends it anyway)")
}

/// Prints a JSON input skeleton of `action`: every field with its type, for `--params`.
pub(crate) fn skeleton(action: &str) -> Result<(), Failure> {
    output::print_json(&validate::skeleton(spec(action)?, validate::CVM_OBJECTS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_checked_with_one_line_errors() {
        let ok =
            Params::from_pairs([("InstanceIds.0", "ins-1"), ("Region", "ap-guangzhou")]).unwrap();
        assert!(check("StartInstances", &ok).is_ok());
        let bad = Params::from_pairs([("InstanceId.0", "ins-1")]).unwrap();
        let err = check("StartInstances", &bad).unwrap_err();
        assert_eq!(err.status, output::EXIT_USAGE);
        assert!(
            err.message.contains("did you mean `InstanceIds`"),
            "{}",
            err.message
        );
        let err = check("StartInstance", &ok).unwrap_err();
        assert!(
            err.message.contains("did you mean StartInstances"),
            "{}",
            err.message
        );
        let bad = Params::from_pairs([("Limit", "x")]).unwrap();
        let err = check("DescribeInstances", &bad).unwrap_err();
        assert!(
            err.message.contains("`Limit` must be an integer"),
            "{}",
            err.message
        );
        assert!(!err.message.contains('\n'));
    }
}

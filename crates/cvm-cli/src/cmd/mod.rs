//! The subcommands that talk to an endpoint.

pub(crate) mod actions;
pub(crate) mod call;
pub(crate) mod catalog;
pub(crate) mod demo;
pub(crate) mod instance_types;
pub(crate) mod instances;
pub(crate) mod power;
pub(crate) mod run;
pub(crate) mod sim;
pub(crate) mod terminate;

use std::time::Duration;

use cvm_blocking::{Client, WaitOptions, WaitTarget};
use cvm_proto::{is_sensitive, Params, REDACTED};
use serde_json::{Map, Value};

use crate::output::{Failure, Output, Progress};

/// Flat parameters as a JSON object, secrets replaced by a marker.
pub(crate) fn redacted(params: &Params) -> Value {
    let map: Map<String, Value> = params
        .iter()
        .map(|(k, v)| {
            let shown = if is_sensitive(k) { REDACTED } else { v };
            (k.to_owned(), Value::String(shown.to_owned()))
        })
        .collect();
    Value::Object(map)
}

/// Waits for `ids` to reach `target`, drawing a progress line on a terminal.
pub(crate) fn wait(
    client: &Client,
    ids: &[String],
    target: WaitTarget,
    timeout: Duration,
    out: &Output,
) -> Result<(), Failure> {
    let options = {
        let mut v = WaitOptions::default();
        v.timeout = timeout;
        v
    };
    wait_with(client, ids, target, options, out)
}

/// Like [`wait`] with explicit polling options.
pub(crate) fn wait_with(
    client: &Client,
    ids: &[String],
    target: WaitTarget,
    options: WaitOptions,
    out: &Output,
) -> Result<(), Failure> {
    let mut progress = Progress::new(out.progress && !out.json());
    let label = format!("waiting for {target}: ");
    let result = client.wait_until(ids.iter().cloned(), target, options, |w| {
        progress.update(&format!("{label}{}", w.progress()));
    });
    progress.finish();
    result.map(|_| ()).map_err(Failure::from)
}

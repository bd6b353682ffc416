//! The subcommands that talk to an endpoint.

pub(crate) mod actions;
pub(crate) mod call;
pub(crate) mod catalog;
pub(crate) mod configure;
pub(crate) mod demo;
pub(crate) mod instance_types;
pub(crate) mod instances;
pub(crate) mod power;
pub(crate) mod run;
pub(crate) mod sim;
pub(crate) mod terminate;

use std::time::Duration;

use cvm_blocking::{Client, WaitOptions, WaitTarget};
use cvm_proto::{is_sensitive, Paginated, Paginator, Params, Waiter, REDACTED};
use serde_json::{json, Map, Value};

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

/// Every page of a listing: the items (repeats dropped) and the last page's `RequestId`.
pub(crate) fn all_pages<R: Paginated>(
    client: &Client,
    mut request: R,
) -> Result<(Vec<R::Item>, String), Failure> {
    let mut paginator = Paginator::for_request(&request);
    let mut items = Vec::new();
    let mut request_id = String::new();
    while let Some(page) = paginator.next_page() {
        request.set_page(page);
        let reply = client.call(&request)?;
        request_id = reply.request_id;
        let (got, total) = R::into_items(reply.output);
        items.extend(paginator.on_page(got, total, R::id));
    }
    Ok((items, request_id))
}

/// The `Instances` field that waiting commands add to their document: each instance's id and
/// the state it reached (`TERMINATED` for one that is gone).
pub(crate) fn final_states(waiter: &Waiter, target: &WaitTarget) -> Value {
    let target = target.to_string();
    Value::Array(
        waiter
            .states()
            .map(|(id, state)| {
                let state = state.map_or(target.clone(), |s| s.as_str().to_owned());
                json!({"InstanceId": id, "InstanceState": state})
            })
            .collect(),
    )
}

/// Waits for `ids` to reach `target`, drawing a status line on stderr when it is a terminal;
/// returns the [`final_states`].
pub(crate) fn wait(
    client: &Client,
    ids: &[String],
    target: WaitTarget,
    timeout: Duration,
    out: &Output,
) -> Result<Value, Failure> {
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
) -> Result<Value, Failure> {
    let mut progress = Progress::new(out.progress);
    let label = format!("waiting for {target}: ");
    progress.update(&format!("{label}{}", ids.join(", ")));
    let result = client.wait_until(ids.iter().cloned(), target.clone(), options, |w| {
        progress.update(&format!("{label}{}", w.progress()));
    });
    progress.finish();
    let waiter = result?;
    Ok(final_states(&waiter, &target))
}

//! `cvm demo`: the walkthrough this project started from, end to end against the embedded emulator
//! (or any `--endpoint`): find the 2 CPU / 4 GiB type in ap-guangzhou-2, create an instance, wait
//! for it, destroy it, and confirm it is gone.

use std::time::{Duration, Instant};

use cvm_blocking::{Client, WaitOptions, WaitTarget};
use cvm_proto::models::{
    DescribeInstancesRequest, InstanceState, RunInstancesRequest, TerminateInstancesRequest,
};
use cvm_proto::{Action, Credentials};
use cvm_sim::{SimConfig, SimServer, Transitions};
use serde::Serialize;
use serde_json::json;

use crate::client::GlobalArgs;
use crate::output::say;
use crate::output::{self, Failure, Output};

use cvm_test_support::walkthrough::{REGION, ZONE};

/// The login password the demo sets on its throwaway instance; it is never printed.
const DEMO_PASSWORD: &str = "Qcloud@TestApi123++";

/// The walkthrough's `RunInstances` request for `instance_type`.
pub(crate) fn run_request(instance_type: &str) -> RunInstancesRequest {
    cvm_test_support::walkthrough::run_instances(instance_type, DEMO_PASSWORD)
}

/// Prints the steps of the walkthrough as text or JSON lines.
struct Steps<'a> {
    out: &'a Output,
    method: String,
    n: usize,
    calls: usize,
}

impl Steps<'_> {
    fn call<A: Action>(
        &mut self,
        client: &Client,
        request: &A,
    ) -> Result<(A::Output, String), Failure>
    where
        A::Output: Serialize,
    {
        self.n += 1;
        self.calls += 1;
        let params =
            cvm_proto::flatten::to_params(request).map_err(|e| Failure::usage(e.to_string()))?;
        let shown = super::redacted(&params);
        if !self.out.json() {
            say!("[{}] {} ({})", self.n, A::NAME, self.method);
            for (k, v) in shown.as_object().into_iter().flatten() {
                say!("      {k} = {}", v.as_str().unwrap_or_default());
            }
        }
        let reply = match client.call(request) {
            Ok(r) => r,
            Err(e) => {
                if self.out.json() {
                    let _ = output::print_json_line(
                        &json!({"step": self.n, "action": A::NAME, "method": self.method, "params": shown, "error": e.to_string()}),
                    );
                }
                return Err(e.into());
            }
        };
        let body =
            serde_json::to_value(&reply.output).map_err(|e| Failure::usage(e.to_string()))?;
        if self.out.json() {
            output::print_json_line(
                &json!({"step": self.n, "action": A::NAME, "method": self.method, "params": shown, "reply": body, "request_id": reply.request_id}),
            )?;
        } else {
            let text = serde_json::to_string_pretty(&body).unwrap_or_default();
            say!("    reply (RequestId {}):", reply.request_id);
            for line in text.lines() {
                say!("      {line}");
            }
        }
        Ok((reply.output, reply.request_id))
    }

    fn wait(&mut self, client: &Client, id: &str, target: WaitTarget) -> Result<Duration, Failure> {
        self.n += 1;
        if !self.out.json() {
            say!(
                "[{}] wait until {id} is {target} (DescribeInstancesStatus)",
                self.n
            );
        }
        let start = Instant::now();
        let options = {
            let mut v = WaitOptions::default();
            v.first_interval = Duration::from_millis(250);
            v.max_interval = Duration::from_secs(2);
            v.timeout = Duration::from_secs(120);
            v
        };
        let mut polls = 0u32;
        let mut progress = output::Progress::new(self.out.progress);
        let result = client.wait_until([id], target.clone(), options, |w| {
            polls = w.polls();
            progress.update(&format!("      {}", w.progress()));
        });
        progress.finish();
        self.calls += polls as usize;
        result?;
        let took = start.elapsed();
        if self.out.json() {
            output::print_json_line(
                &json!({"step": self.n, "action": "wait", "instance_id": id, "target": target.to_string(), "polls": polls, "seconds": took.as_secs_f64()}),
            )?;
        } else {
            say!(
                "    {id} is {target} after {:.1} s ({polls} polls)",
                took.as_secs_f64()
            );
        }
        Ok(took)
    }
}

/// Runs the walkthrough; without `--endpoint` it starts the emulator on loopback first.
pub(crate) fn run(global: &GlobalArgs, out: &Output) -> Result<(), Failure> {
    let started = Instant::now();
    let (_sim, client, target) =
        if global.endpoint.is_some() {
            let mut g = global.clone();
            g.region = g.region.or_else(|| Some(REGION.into()));
            let client = g.client(None, None)?;
            (None, client, global.endpoint.clone().unwrap_or_default())
        } else {
            let transitions = Transitions {
                launch: Duration::from_millis(1500),
                ..Transitions::all(Duration::from_millis(500))
            };
            let sim = SimServer::start(SimConfig::default().with_transitions(transitions))
                .map_err(|e| Failure {
                    status: output::EXIT_TRANSPORT,
                    message: format!("cannot start the emulator: {e}"),
                })?;
            let creds = Credentials::new(cvm_sim::DEFAULT_SECRET_ID, cvm_sim::DEFAULT_SECRET_KEY)
                .map_err(|e| Failure::usage(e.to_string()))?;
            let mut g = global.clone();
            g.region = Some(REGION.into());
            let client = g.client(Some(creds), Some(sim.endpoint()))?;
            let url = sim.endpoint().url();
            (Some(sim), client, format!("{url} (embedded emulator)"))
        };
    if out.json() {
        output::print_json_line(
            &json!({"event": "start", "endpoint": target, "region": REGION, "zone": ZONE}),
        )?;
    } else {
        say!("cvm demo against {target}, region {REGION}, zone {ZONE}\n");
    }
    let mut steps = Steps {
        out,
        method: format!("{} {}", global.http_method, global.signature_method),
        n: 0,
        calls: 0,
    };

    let types_req = cvm_test_support::walkthrough::instance_types();
    let (types, _) = steps.call(&client, &types_req)?;
    let picked = types
        .instance_type_config_set
        .iter()
        .find(|t| t.cpu == Some(2) && t.memory == Some(4))
        .and_then(|t| t.instance_type.clone())
        .ok_or_else(|| Failure {
            status: output::EXIT_API,
            message: format!("no instance type with 2 CPUs and 4 GiB in {ZONE}"),
        })?;
    if !out.json() {
        say!("    picked {picked}: 2 CPUs, 4 GiB\n");
    }

    let (created, _) = steps.call(&client, &run_request(&picked))?;
    let id = match created.instance_id_set.as_slice() {
        [id] => id.clone(),
        other => {
            return Err(Failure {
                status: output::EXIT_API,
                message: format!(
                    "RunInstances returned {} instance ids, expected 1",
                    other.len()
                ),
            })
        }
    };
    let boot = steps.wait(&client, &id, WaitTarget::State(InstanceState::Running))?;

    steps.call(&client, &TerminateInstancesRequest::new([id.clone()]))?;
    steps.wait(&client, &id, WaitTarget::Gone)?;
    let (listed, _) = steps.call(
        &client,
        &DescribeInstancesRequest {
            instance_ids: vec![id.clone()],
            ..DescribeInstancesRequest::default()
        },
    )?;
    if listed.total_count.unwrap_or(0) != 0 || !listed.instance_set.is_empty() {
        return Err(Failure {
            status: output::EXIT_API,
            message: format!("{id} is still listed after termination"),
        });
    }

    let secs = started.elapsed().as_secs_f64();
    let summary = format!(
        "demo ok: created {id} ({picked}) in {ZONE}, RUNNING after {:.1} s, terminated and gone; {} API calls in {secs:.1} s",
        boot.as_secs_f64(),
        steps.calls
    );
    if out.json() {
        output::print_json_line(
            &json!({"event": "summary", "ok": true, "instance_id": id, "instance_type": picked, "calls": steps.calls, "seconds": secs, "summary": summary}),
        )
    } else {
        say!("\n{summary}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_request_is_the_walkthrough() {
        let p = cvm_proto::flatten::to_params(&run_request("S2.MEDIUM4")).unwrap();
        assert_eq!(p.get("Placement.Zone"), Some(ZONE));
        assert_eq!(p.get("DataDisks.0.DiskSize"), Some("100"));
        assert_eq!(p.get("InternetAccessible.PublicIpAssigned"), Some("true"));
        assert_eq!(p.get("InstanceType"), Some("S2.MEDIUM4"));
        let shown = crate::cmd::redacted(&p).to_string();
        assert!(!shown.contains(DEMO_PASSWORD));
        let _: serde_json::Value = serde_json::from_str(&shown).unwrap();
    }
}

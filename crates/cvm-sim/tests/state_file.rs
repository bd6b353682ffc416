//! The HTTP shell's state file: written atomically with mode 0600 before each reply that changed
//! the state, so that what a client was told survives the process; a failed write is a 500.
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cvm_proto::{prepare, Context, HttpMethod, HttpRequest};
use cvm_sim::{HttpConfig, Sim, SimServer};
use serde_json::{json, Value};

static NONCE: AtomicU64 = AtomicU64::new(1);

fn scratch_dir(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("cvm-sim-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn prepared(server: &SimServer, action: &str, params: &Value) -> HttpRequest {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ctx = Context::new(now, NONCE.fetch_add(1, Ordering::SeqCst))
        .region("ap-guangzhou")
        .method(HttpMethod::Post);
    prepare(action, params, &common::creds(), &server.endpoint(), &ctx)
        .unwrap()
        .request
}

/// Sends `req` and returns the status and body.
fn send(req: &HttpRequest) -> (u16, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    let mut resp = agent
        .post(&req.url)
        .header("Content-Type", req.header("Content-Type").unwrap())
        .send(&req.body[..])
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_vec().unwrap())
}

fn saved(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_state_file_is_written_before_each_reply() {
    let dir = scratch_dir("state");
    let path = dir.join("state.json");
    // A temporary file left world-readable by a killed run is replaced, not reused.
    let tmp = dir.join("state.json.tmp");
    std::fs::write(&tmp, "junk").unwrap();
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o644)).unwrap();

    let server = SimServer::serve_sim_with_state(
        Sim::new(common::config()).unwrap(),
        HttpConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
        &path,
    )
    .unwrap();
    assert_eq!(server.state_file(), Some(path.as_path()));
    // Written at once, with mode 0600, and loadable.
    assert_eq!(mode(&path), 0o600);
    assert!(!tmp.exists());
    Sim::new(common::config())
        .unwrap()
        .load_state(saved(&path))
        .unwrap();

    // A RunInstances is in the file by the time its reply arrives.
    let mut params = common::run_params(2);
    params["ClientToken"] = json!("tok-state-file");
    let (status, body) = send(&prepared(&server, "RunInstances", &params));
    assert_eq!(status, 200);
    let reply: Value = serde_json::from_slice(&body).unwrap();
    let ids = reply["Response"]["InstanceIdSet"].clone();
    assert_eq!(ids.as_array().unwrap().len(), 2, "{reply}");
    let state = saved(&path);
    let saved_ids: Vec<&Value> = state["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["model"]["InstanceId"])
        .collect();
    assert_eq!(
        saved_ids,
        ids.as_array().unwrap().iter().collect::<Vec<_>>()
    );
    assert_eq!(state["client_tokens"][0]["token"], "tok-state-file");
    assert_eq!(state["client_tokens"][0]["instance_ids"], ids);
    assert_eq!(mode(&path), 0o600);
    assert!(!tmp.exists());

    // So is the nonce of a read-only request, so that its replay is refused after a restart.
    let describe = prepared(&server, "DescribeZones", &json!({}));
    let before = saved(&path)["nonces"][0]["entries"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(send(&describe).0, 200);
    let state = saved(&path);
    assert_eq!(
        state["nonces"][0]["entries"].as_array().unwrap().len(),
        before + 1
    );
    let mut restarted = Sim::new(common::config()).unwrap();
    restarted.load_state(state).unwrap();
    let replay = SimServer::serve_sim(
        restarted,
        HttpConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let replayed = HttpRequest {
        url: describe
            .url
            .replace(&server.addr().to_string(), &replay.addr().to_string()),
        ..describe.clone()
    };
    let (_, body) = send(&replayed);
    // The signature covers the host, so the moved request fails one way or the other; the
    // replay check comes first.
    let code = serde_json::from_slice::<Value>(&body).unwrap()["Response"]["Error"]["Code"].clone();
    assert_eq!(code, "InvalidRequest.ReplayAttack");
    drop(replay);

    // A change made directly is written by save_state.
    let id = ids[0].as_str().unwrap().to_owned();
    server.with_sim(|sim| sim.set_state(&id, cvm_proto::models::InstanceState::Stopped));
    server.save_state().unwrap();
    assert_eq!(
        saved(&path)["instances"][0]["model"]["InstanceState"],
        "STOPPED"
    );

    // When the file cannot be written, the request is answered 500 and not acknowledged; the
    // next write that succeeds carries its effect.
    std::fs::remove_dir_all(&dir).unwrap();
    let (status, body) = send(&prepared(&server, "RunInstances", &common::run_params(1)));
    assert_eq!(status, 500, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("could not save its state"));
    std::fs::create_dir_all(&dir).unwrap();
    assert_eq!(send(&prepared(&server, "DescribeZones", &json!({}))).0, 200);
    assert_eq!(saved(&path)["instances"].as_array().unwrap().len(), 3);
    assert_eq!(mode(&path), 0o600);
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn concurrent_requests_are_all_saved_before_their_replies() {
    let dir = scratch_dir("batch");
    let path = dir.join("state.json");
    let server = SimServer::serve_sim_with_state(
        Sim::new(common::config().with_max_instances(1000)).unwrap(),
        HttpConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
        &path,
    )
    .unwrap();
    let ids = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for t in 0..8 {
            let (server, ids, path) = (&server, &ids, &path);
            scope.spawn(move || {
                for i in 0..5 {
                    let mut params = common::run_params(1);
                    params["ClientToken"] = json!(format!("tok-{t}-{i}"));
                    let (status, body) = send(&prepared(server, "RunInstances", &params));
                    assert_eq!(status, 200);
                    let reply: Value = serde_json::from_slice(&body).unwrap();
                    let id = reply["Response"]["InstanceIdSet"][0]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    // Everything acknowledged so far is in the file.
                    let state = saved(path);
                    assert!(state["instances"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|inst| inst["model"]["InstanceId"] == id.as_str()));
                    ids.lock().unwrap().push(id);
                }
            });
        }
    });
    let state = saved(&path);
    assert_eq!(state["instances"].as_array().unwrap().len(), 40);
    assert_eq!(state["client_tokens"].as_array().unwrap().len(), 40);
    assert_eq!(ids.lock().unwrap().len(), 40);
    let writes = server.stats().state_writes;
    println!("40 requests from 8 clients at once, {writes} writes (one at start)");
    assert!((2..=41).contains(&writes), "{writes}");
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn key_pairs_images_templates_groups_and_timers_survive_a_restart() {
    let dir = scratch_dir("resources");
    let path = dir.join("state.json");
    let server = SimServer::serve_sim_with_state(
        Sim::new(common::config()).unwrap(),
        HttpConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
        &path,
    )
    .unwrap();
    let call = |server: &SimServer, action: &str, params: Value| -> Value {
        let (status, body) = send(&prepared(server, action, &params));
        assert_eq!(status, 200);
        let reply: Value = serde_json::from_slice(&body).unwrap();
        assert!(reply["Response"]["Error"].is_null(), "{action}: {reply}");
        reply["Response"].clone()
    };
    let key = call(
        &server,
        "CreateKeyPair",
        json!({"KeyName": "kept", "ProjectId": 0}),
    )["KeyPair"]["KeyId"]
        .clone();
    let id = call(&server, "RunInstances", common::run_params(1))["InstanceIdSet"][0].clone();
    call(&server, "DescribeInstances", json!({}));
    let image = call(
        &server,
        "CreateImage",
        json!({"ImageName": "kept", "InstanceId": id}),
    )["ImageId"]
        .clone();
    let template = call(
        &server,
        "CreateLaunchTemplate",
        json!({"LaunchTemplateName": "kept", "Placement": {"Zone": "ap-guangzhou-2"}, "ImageId": "img-pmqg1cw7"}),
    )["LaunchTemplateId"]
        .clone();
    let group = call(
        &server,
        "CreateDisasterRecoverGroup",
        json!({"Name": "kept", "Type": "SW"}),
    )["DisasterRecoverGroupId"]
        .clone();
    let timer = call(
        &server,
        "ImportInstancesActionTimer",
        json!({"InstanceIds": [id], "ActionTimer": {"TimerAction": "TerminateInstances", "ActionTime": "2999-01-01 00:00:00"}}),
    )["ActionTimerIds"][0]
        .clone();
    drop(server);

    let mut sim = Sim::new(common::config()).unwrap();
    sim.load_state(saved(&path)).unwrap();
    let server = SimServer::serve_sim_with_state(
        sim,
        HttpConfig::default(),
        "127.0.0.1:0".parse().unwrap(),
        &path,
    )
    .unwrap();
    let keys = call(&server, "DescribeKeyPairs", json!({}));
    assert_eq!(keys["KeyPairSet"][0]["KeyId"], key);
    let images = call(&server, "DescribeImages", json!({"ImageIds": [image]}));
    assert_eq!(images["ImageSet"][0]["ImageName"], "kept");
    let templates = call(&server, "DescribeLaunchTemplates", json!({}));
    assert_eq!(
        templates["LaunchTemplateSet"][0]["LaunchTemplateId"],
        template
    );
    let groups = call(&server, "DescribeDisasterRecoverGroups", json!({}));
    assert_eq!(
        groups["DisasterRecoverGroupSet"][0]["DisasterRecoverGroupId"],
        group
    );
    let timers = call(&server, "DescribeInstancesActionTimer", json!({}));
    assert_eq!(timers["ActionTimers"][0]["ActionTimerId"], timer);
    // Names stay taken after the restart.
    let (_, body) = send(&prepared(
        &server,
        "CreateKeyPair",
        &json!({"KeyName": "kept", "ProjectId": 0}),
    ));
    let reply: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        reply["Response"]["Error"]["Code"],
        "InvalidKeyPairName.Duplicate"
    );
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

//! The credentials chain against the emulator over real HTTP: each source in the SDKs' order
//! (environment, profile files, CVM instance role, TKE OIDC role), a profile's role, refresh
//! before expiry, one refresh for many concurrent callers, and the fast off-cloud failure.
#![allow(clippy::unwrap_used)]

use std::sync::Barrier;
use std::time::{Duration, Instant};

use cvm_blocking::proto::models::DescribeZonesRequest;
use cvm_blocking::proto::profile::{ChainError, Source};
use cvm_blocking::proto::sts::RoleRequest;
use cvm_blocking::{Client, Error};
use cvm_sim::{SimServer, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use cvm_test_support::prelude::*;

const ENV_KEYS: [(&str, &str); 2] = [
    ("TENCENTCLOUD_SECRET_ID", DEFAULT_SECRET_ID),
    ("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET_KEY),
];

fn profile_file() -> String {
    format!("[default]\nsecret_id = {FILE_SECRET_ID}\nsecret_key = {FILE_SECRET_KEY}\n")
}

fn call_ok(client: &Client) {
    let reply = client.call(&DescribeZonesRequest::default());
    assert!(reply.is_ok(), "{reply:?}");
}

fn oidc_env(home: &TempHome) -> Vec<(&'static str, String)> {
    let token = home.write("tke/token", WEB_TOKEN);
    vec![
        ("TKE_REGION", "ap-guangzhou".to_owned()),
        ("TKE_PROVIDER_ID", PROVIDER_ID.to_owned()),
        (
            "TKE_WEB_IDENTITY_TOKEN_FILE",
            token.to_str().unwrap().to_owned(),
        ),
        ("TKE_ROLE_ARN", ROLE_ARN.to_owned()),
    ]
}

fn build(server: &SimServer, home: &TempHome, env: &[(&str, String)]) -> Client {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    chain_client(server, home, &env).build().unwrap()
}

#[test]
fn env_beats_file_beats_instance_role_beats_oidc() {
    let server = chain_sim(true, 7200);
    let home = TempHome::new();
    home.write(".tencentcloud/credentials", &profile_file());
    let mut env: Vec<(&str, String)> = ENV_KEYS
        .iter()
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect();
    env.extend(oidc_env(&home));

    let c = build(&server, &home, &env);
    assert_eq!(c.core().credentials_source(), Source::Environment);
    call_ok(&c);

    env.drain(..2);
    let c = build(&server, &home, &env);
    assert!(
        matches!(c.core().credentials_source(), Source::File { ref path, .. } if path.ends_with(".tencentcloud/credentials"))
    );
    assert_eq!(c.core().credentials().unwrap().secret_id(), FILE_SECRET_ID);
    call_ok(&c);

    home.remove(".tencentcloud/credentials");
    let c = build(&server, &home, &env);
    assert_eq!(c.core().credentials_source(), Source::Pending);
    call_ok(&c);
    assert_eq!(
        c.core().credentials_source(),
        Source::InstanceRole {
            role: INSTANCE_ROLE.into()
        }
    );
    let hits = server.with_sim(|s| s.sts_counters());
    assert_eq!((hits.metadata_role_list, hits.metadata_credentials), (1, 1));
    assert_eq!(hits.assume_role_with_web_identity, 0);
    assert_eq!(hits.assume_role, 0);

    // Without an instance role the OIDC role answers.
    let server = chain_sim(false, 7200);
    let c = build(&server, &home, &env);
    call_ok(&c);
    assert_eq!(
        c.core().credentials_source(),
        Source::WebIdentity {
            role_arn: ROLE_ARN.into(),
            provider_id: PROVIDER_ID.into()
        }
    );
    let hits = server.with_sim(|s| s.sts_counters());
    assert_eq!(
        (hits.metadata_role_list, hits.assume_role_with_web_identity),
        (1, 1)
    );
}

#[test]
fn a_profile_role_is_assumed_with_the_profiles_keys() {
    let server = chain_sim(false, 7200);
    let home = TempHome::new();
    home.write(
        ".tencentcloud/credentials",
        &format!(
            "{}role_arn = {ROLE_ARN}\nrole_session_name = deploy\n",
            profile_file()
        ),
    );
    let c = build(&server, &home, &[]);
    call_ok(&c);
    call_ok(&c);
    let source = c.core().credentials_source();
    assert!(
        matches!(&source, Source::AssumedRole { role_arn, via } if role_arn == ROLE_ARN && matches!(**via, Source::File { .. })),
        "{source:?}"
    );
    assert!(c
        .core()
        .credentials()
        .unwrap()
        .secret_id()
        .starts_with("AKIDsts"));
    assert_eq!(server.with_sim(|s| s.sts_counters()).assume_role, 1);
    assert_eq!(c.core().credential_refreshes(), 1);
    // Builder::assume_role does the same for keys from anywhere (here the environment).
    let env: Vec<(&str, String)> = ENV_KEYS
        .iter()
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect();
    let envs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let c = chain_client::<Client>(&server, &TempHome::new(), &envs)
        .assume_role(RoleRequest::new(ROLE_ARN))
        .build()
        .unwrap();
    call_ok(&c);
    assert!(
        matches!(c.core().credentials_source(), Source::AssumedRole { ref via, .. } if **via == Source::Environment)
    );
}

/// A home with tccli's credential file for the file keys and `configure` as its configure file.
fn tccli_home(configure: &str) -> TempHome {
    let home = TempHome::new();
    home.write(
        ".tccli/default.credential",
        &format!(r#"{{"secretId": "{FILE_SECRET_ID}", "secretKey": "{FILE_SECRET_KEY}"}}"#),
    );
    home.write(".tccli/default.configure", configure);
    home
}

#[test]
fn tccli_files_give_keys_and_region() {
    let server = chain_sim(false, 7200);
    let home = tccli_home(r#"{"_sys_param": {"region": "ap-beijing", "output": "json"}}"#);
    let c = Client::builder()
        .env(env_map(&[("HOME", &home.as_str())]))
        .endpoint(server.endpoint())
        .build()
        .unwrap();
    assert_eq!(c.config().region.as_deref(), Some("ap-beijing"));
    assert!(
        matches!(c.core().credentials_source(), Source::File { ref path, .. } if path.ends_with(".tccli/default.credential"))
    );
    call_ok(&c);
}

#[test]
fn an_unusable_tccli_configure_file_is_an_error_not_a_missing_region() {
    let server = chain_sim(false, 7200);
    let home =
        tccli_home("{\"_sys_param\": {\"region\": \"ap-beijing\",\n\"region\": \"ap-hongkong\"}}");
    let home_dir = home.as_str();
    let builder = |vars: &[(&str, &str)]| {
        let mut all = vec![("HOME", home_dir.as_str())];
        all.extend_from_slice(vars);
        Client::builder()
            .env(env_map(&all))
            .endpoint(server.endpoint())
    };
    let err = builder(&[]).build().unwrap_err().to_string();
    assert!(
        err.starts_with("cannot read the region: ")
            && err
                .contains(".tccli/default.configure: not a tccli JSON file: a key is given twice"),
        "{err}"
    );
    // The file is not read when the region comes from before it.
    let c = builder(&[("TENCENTCLOUD_REGION", "ap-shanghai")])
        .build()
        .unwrap();
    assert_eq!(c.config().region.as_deref(), Some("ap-shanghai"));
    let c = builder(&[]).region("ap-nanjing").build().unwrap();
    assert_eq!(c.config().region.as_deref(), Some("ap-nanjing"));
}

#[test]
fn temporary_credentials_are_refreshed_before_they_expire() {
    // Credentials live 3 s and are renewed 1 s before: a 5 s run of calls needs 2 or 3 of them.
    let server = chain_sim(true, 3);
    let home = TempHome::new();
    let c = chain_client::<Client>(&server, &home, &[])
        .refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    let start = Instant::now();
    let mut calls = 0;
    while start.elapsed() < Duration::from_secs(5) {
        call_ok(&c);
        calls += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    let refreshes = c.core().credential_refreshes();
    let hits = server.with_sim(|s| s.sts_counters());
    assert!(
        (2..=4).contains(&refreshes),
        "{refreshes} refreshes in {calls} calls"
    );
    assert_eq!(hits.metadata_credentials, refreshes);
    // The role's name was asked for once; later refreshes go straight to its credentials.
    assert_eq!(hits.metadata_role_list, 1);
    // Nothing was refused for an expired token.
    let refused = server.with_sim(|s| {
        s.counters()
            .errors_by_code
            .get("AuthFailure.TokenFailure")
            .copied()
    });
    assert_eq!(refused, None);
}

#[test]
fn concurrent_callers_trigger_exactly_one_refresh() {
    let server = chain_sim(true, 7200);
    let home = TempHome::new();
    let c = chain_client::<Client>(&server, &home, &[]).build().unwrap();
    let barrier = Barrier::new(8);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                barrier.wait();
                call_ok(&c);
            });
        }
    });
    let hits = server.with_sim(|s| s.sts_counters());
    assert_eq!((hits.metadata_role_list, hits.metadata_credentials), (1, 1));
    assert_eq!(c.core().credential_refreshes(), 1);
}

#[test]
fn off_cloud_nothing_found_names_every_place_quickly() {
    let home = TempHome::new();
    let metadata = closed_url();
    let start = Instant::now();
    let c = Client::builder()
        .env(env_map(&[
            ("HOME", &home.as_str()),
            ("TENCENTCLOUD_METADATA_ENDPOINT", &metadata),
        ]))
        .region("ap-guangzhou")
        .build()
        .unwrap();
    let err = c.call(&DescribeZonesRequest::default()).unwrap_err();
    let took = start.elapsed();
    println!("off-cloud chain (blocking): nothing found in {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert!(
        matches!(err, Error::Credentials(ChainError::NotFound { .. })),
        "{err}"
    );
    let text = err.to_string();
    for place in [
        "environment (TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY unset)".to_owned(),
        format!("{}/.tencentcloud/credentials (not found)", home.as_str()),
        "/etc/tencentcloud/credentials (not found)".to_owned(),
        format!("{}/.tccli/default.credential (not found)", home.as_str()),
        format!("CVM instance role at {metadata} (unreachable"),
        "TKE OIDC role (TKE_PROVIDER_ID and TKE_ROLE_ARN unset)".to_owned(),
    ] {
        assert!(text.contains(&place), "{place} is not in: {text}");
    }
}

#[test]
fn a_token_the_service_refuses_is_renewed_once() {
    // The emulator's clock jumps past the credentials' expiry while the client still trusts
    // them: the refused call renews them and goes through.
    let server = chain_sim(true, 100);
    let home = TempHome::new();
    let c = chain_client::<Client>(&server, &home, &[])
        .refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    call_ok(&c);
    server.with_sim(|s| s.set_clock_offset(200));
    call_ok(&c);
    assert_eq!(c.core().credential_refreshes(), 2);
    let refused = server.with_sim(|s| {
        s.counters()
            .errors_by_code
            .get("AuthFailure.TokenFailure")
            .copied()
    });
    assert_eq!(refused, Some(1));
}

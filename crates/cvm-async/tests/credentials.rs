//! The credentials chain of the async client against the emulator: the fetched sources in
//! order, a profile's role, refresh before expiry, one refresh for many concurrent calls (the
//! others wait on an async lock), and the fast off-cloud failure.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use cvm_async::proto::models::DescribeZonesRequest;
use cvm_async::proto::profile::{ChainError, Source};
use cvm_async::{Client, Error};
use cvm_sim::{DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY};
use cvm_test_support::prelude::*;

async fn call_ok(client: &Client) {
    let reply = client.call(&DescribeZonesRequest::default()).await;
    assert!(reply.is_ok(), "{reply:?}");
}

#[tokio::test]
async fn env_beats_file_beats_instance_role_beats_oidc() {
    let server = chain_sim(true, 7200);
    let home = TempHome::new();
    home.write(
        ".tencentcloud/credentials",
        &format!("[default]\nsecret_id = {FILE_SECRET_ID}\nsecret_key = {FILE_SECRET_KEY}\n"),
    );
    let token = home.write("tke/token", WEB_TOKEN);
    let token = token.to_str().unwrap();
    let oidc = [
        ("TKE_REGION", "ap-guangzhou"),
        ("TKE_PROVIDER_ID", PROVIDER_ID),
        ("TKE_WEB_IDENTITY_TOKEN_FILE", token),
        ("TKE_ROLE_ARN", ROLE_ARN),
    ];
    let mut env = vec![
        ("TENCENTCLOUD_SECRET_ID", DEFAULT_SECRET_ID),
        ("TENCENTCLOUD_SECRET_KEY", DEFAULT_SECRET_KEY),
    ];
    env.extend(oidc);
    let c: Client = chain_client(&server, &home, &env).build().unwrap();
    assert_eq!(c.core().credentials_source(), Source::Environment);
    call_ok(&c).await;

    let c: Client = chain_client(&server, &home, &oidc).build().unwrap();
    assert!(matches!(c.core().credentials_source(), Source::File { .. }));
    call_ok(&c).await;

    home.remove(".tencentcloud/credentials");
    let c: Client = chain_client(&server, &home, &oidc).build().unwrap();
    call_ok(&c).await;
    assert_eq!(
        c.core().credentials_source(),
        Source::InstanceRole {
            role: INSTANCE_ROLE.into()
        }
    );
    assert_eq!(
        server
            .with_sim(|s| s.sts_counters())
            .assume_role_with_web_identity,
        0
    );

    let server = chain_sim(false, 7200);
    let c: Client = chain_client(&server, &home, &oidc).build().unwrap();
    call_ok(&c).await;
    assert!(matches!(
        c.core().credentials_source(),
        Source::WebIdentity { .. }
    ));
    assert_eq!(
        server
            .with_sim(|s| s.sts_counters())
            .assume_role_with_web_identity,
        1
    );
}

#[tokio::test]
async fn a_profile_role_is_assumed() {
    let server = chain_sim(false, 7200);
    let home = TempHome::new();
    home.write(
        ".tencentcloud/credentials",
        &format!("[default]\nsecret_id = {FILE_SECRET_ID}\nsecret_key = {FILE_SECRET_KEY}\nrole_arn = {ROLE_ARN}\n"),
    );
    let c: Client = chain_client(&server, &home, &[]).build().unwrap();
    call_ok(&c).await;
    assert!(matches!(
        c.core().credentials_source(),
        Source::AssumedRole { .. }
    ));
    assert_eq!(server.with_sim(|s| s.sts_counters()).assume_role, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_trigger_exactly_one_refresh() {
    let server = chain_sim(true, 7200);
    let home = TempHome::new();
    let c: Client = chain_client(&server, &home, &[]).build().unwrap();
    let calls = (0..16).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.call(&DescribeZonesRequest::default()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        assert!(call.await.unwrap().is_ok());
    }
    let hits = server.with_sim(|s| s.sts_counters());
    assert_eq!((hits.metadata_role_list, hits.metadata_credentials), (1, 1));
    assert_eq!(c.core().credential_refreshes(), 1);
}

#[tokio::test]
async fn temporary_credentials_are_refreshed_before_they_expire() {
    let server = chain_sim(true, 3);
    let home = TempHome::new();
    let c: Client = chain_client(&server, &home, &[])
        .refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        call_ok(&c).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let refreshes = c.core().credential_refreshes();
    assert!((2..=4).contains(&refreshes), "{refreshes}");
    assert_eq!(
        server.with_sim(|s| s.sts_counters()).metadata_credentials,
        refreshes
    );
}

#[tokio::test]
async fn off_cloud_nothing_found_names_every_place_quickly() {
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
    let err = c.call(&DescribeZonesRequest::default()).await.unwrap_err();
    let took = start.elapsed();
    println!("off-cloud chain (async): nothing found in {took:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert!(
        matches!(err, Error::Credentials(ChainError::NotFound { .. })),
        "{err}"
    );
    let text = err.to_string();
    for place in [
        "environment".to_owned(),
        format!("{}/.tencentcloud/credentials (not found)", home.as_str()),
        "/etc/tencentcloud/credentials (not found)".to_owned(),
        format!("{}/.tccli/default.credential (not found)", home.as_str()),
        format!("CVM instance role at {metadata} (unreachable"),
        "TKE OIDC role".to_owned(),
    ] {
        assert!(text.contains(&place), "{place} is not in: {text}");
    }
}

#[tokio::test]
async fn a_token_the_service_refuses_is_renewed_once() {
    let server = chain_sim(true, 100);
    let home = TempHome::new();
    let c: Client = chain_client(&server, &home, &[])
        .refresh_margin(Duration::from_secs(1))
        .build()
        .unwrap();
    call_ok(&c).await;
    server.with_sim(|s| s.set_clock_offset(200));
    call_ok(&c).await;
    assert_eq!(c.core().credential_refreshes(), 2);
}

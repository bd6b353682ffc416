//! Tests of contracts that span the submodules (strict requests, tolerant replies, action names,
//! redacted passwords), and the `RunInstances` request of the walkthrough that tests share.

use super::*;
use crate::action::Action;
use serde_json::json;

pub(super) fn walkthrough() -> RunInstancesRequest {
    RunInstancesRequest {
        placement: Some(Placement::new("ap-guangzhou-2")),
        instance_charge_type: Some("POSTPAID_BY_HOUR".into()),
        image_id: Some("img-pmqg1cw7".into()),
        instance_type: Some("S1.SMALL1".into()),
        system_disk: Some(SystemDisk {
            disk_type: Some("LOCAL_BASIC".into()),
            disk_size: Some(50),
            ..Default::default()
        }),
        data_disks: vec![DataDisk::new(100).with_disk_type("LOCAL_BASIC")],
        internet_accessible: Some(InternetAccessible {
            internet_charge_type: Some("TRAFFIC_POSTPAID_BY_HOUR".into()),
            internet_max_bandwidth_out: Some(10),
            public_ip_assigned: Some(true),
            ..Default::default()
        }),
        instance_count: Some(1),
        instance_name: Some("QCLOUD-TEST".into()),
        login_settings: Some(LoginSettings {
            password: Some("Qcloud@TestApi123++".into()),
            ..Default::default()
        }),
        enhanced_service: Some(EnhancedService {
            security_service: Some(RunSecurityServiceEnabled {
                enabled: Some(true),
            }),
            monitor_service: Some(RunMonitorServiceEnabled {
                enabled: Some(true),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[test]
fn passwords_never_in_debug() {
    let request = walkthrough();
    let debug = format!("{request:?}");
    assert!(!debug.contains("Qcloud@TestApi123++"), "{debug}");
    assert!(!format!("{request:#?}").contains("Qcloud@TestApi123++"));
    assert!(debug.contains("<redacted>"));
    assert!(debug.contains("QCLOUD-TEST"));

    let info = LoginSettings {
        password: Some("hunter2-secret".into()),
        ..Default::default()
    };
    let instance = Instance {
        login_settings: Some(info),
        ..Default::default()
    };
    assert!(!format!("{instance:?}").contains("hunter2-secret"));
}

#[test]
fn unknown_request_fields_are_rejected() {
    assert!(serde_json::from_value::<RunInstancesRequest>(json!({"Bogus": 1})).is_err());
    // A data type that replies carry too reads leniently; the spec's check refuses the key.
    let nested = json!({"Placement": {"Zone": "ap-guangzhou-2", "Bogus": 1}});
    assert!(serde_json::from_value::<RunInstancesRequest>(nested.clone()).is_ok());
    let spec = crate::validate::action("RunInstances").expect("known");
    let err = crate::validate::check_json(spec, crate::validate::CVM_OBJECTS, &nested);
    assert_eq!(err.map_err(|v| v.path), Err("Placement.Bogus".to_owned()));
    assert!(serde_json::from_value::<DescribeZonesRequest>(json!({"Bogus": 1})).is_err());
    assert!(serde_json::from_value::<DescribeInstancesRequest>(
        json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"], "X": 1}]})
    )
    .is_err());
    // Wire names only: the snake_case Rust name is unknown on the wire.
    assert!(serde_json::from_value::<RunInstancesRequest>(json!({"image_id": "x"})).is_err());
}

#[test]
fn required_request_fields_are_required() {
    assert!(serde_json::from_value::<TerminateInstancesRequest>(json!({})).is_err());
    assert!(serde_json::from_value::<Filter>(json!({"Name": "zone"})).is_err());
    // Placement is read leniently (replies carry it too); the spec's check wants its zone.
    let spec = crate::validate::action("RunInstances").expect("known");
    let empty = json!({"Placement": {}});
    let err = crate::validate::check_json(spec, crate::validate::CVM_OBJECTS, &empty);
    assert_eq!(err.map_err(|v| v.path), Err("Placement.Zone".to_owned()));
    let ok: TerminateInstancesRequest =
        serde_json::from_value(json!({"InstanceIds": ["ins-1"]})).expect("parses");
    assert_eq!(ok, TerminateInstancesRequest::new(["ins-1"]));
}

#[test]
fn empty_requests_serialize_to_nothing() {
    assert_eq!(
        serde_json::to_value(DescribeZonesRequest {}).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(DescribeRegionsRequest {}).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(DescribeInstancesRequest::default()).expect("serializes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(RunInstancesRequest::default()).expect("serializes"),
        json!({})
    );
}

#[test]
fn filter_and_id_constructors() {
    let request = DescribeInstancesRequest {
        filters: vec![Filter::new("zone", ["ap-guangzhou-2"])],
        limit: Some(100),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(request).expect("serializes"),
        json!({"Filters": [{"Name": "zone", "Values": ["ap-guangzhou-2"]}], "Limit": 100})
    );
    assert_eq!(
        serde_json::to_value(StopInstancesRequest::new(vec!["ins-1".to_owned()]))
            .expect("serializes"),
        json!({"InstanceIds": ["ins-1"]})
    );
    assert_eq!(
        StartInstancesRequest::new(["a", "b"]).instance_ids,
        vec!["a".to_owned(), "b".to_owned()]
    );
    assert_eq!(RebootInstancesRequest::new(["a"]).instance_ids.len(), 1);
    assert_eq!(Tag::new("k", "v").value.as_deref(), Some("v"));
}

#[test]
fn action_names_and_idempotency() {
    assert_eq!(RunInstancesRequest::NAME, "RunInstances");
    assert_eq!(
        DescribeInstanceTypeConfigsRequest::NAME,
        "DescribeInstanceTypeConfigs"
    );
    assert_eq!(TerminateInstancesRequest::NAME, "TerminateInstances");
    assert_eq!(DescribeInstancesRequest::NAME, "DescribeInstances");
    assert_eq!(
        DescribeInstancesStatusRequest::NAME,
        "DescribeInstancesStatus"
    );
    assert_eq!(StartInstancesRequest::NAME, "StartInstances");
    assert_eq!(StopInstancesRequest::NAME, "StopInstances");
    assert_eq!(RebootInstancesRequest::NAME, "RebootInstances");
    assert_eq!(DescribeZonesRequest::NAME, "DescribeZones");
    assert_eq!(DescribeRegionsRequest::NAME, "DescribeRegions");
    assert_eq!(DescribeImagesRequest::NAME, "DescribeImages");

    assert!(!walkthrough().is_idempotent());
    let with_token = RunInstancesRequest {
        client_token: Some("7d2b5e3c-token".into()),
        ..walkthrough()
    };
    assert!(with_token.is_idempotent());
    let dry_run = RunInstancesRequest {
        dry_run: Some(true),
        ..walkthrough()
    };
    assert!(dry_run.is_idempotent());
    assert!(DescribeInstancesRequest::default().is_idempotent());
    assert!(DescribeZonesRequest {}.is_idempotent());
    // Terminating twice is terminating once (issue: zero leaked instances); stopping is not declared so.
    assert!(TerminateInstancesRequest::new(["ins-1"]).is_idempotent());
    assert!(!StopInstancesRequest::new(["ins-1"]).is_idempotent());
}

#[test]
fn other_replies_parse() {
    let zones: DescribeZonesResponse = serde_json::from_value(json!({
        "TotalCount": 2,
        "ZoneSet": [
            {"Zone": "ap-guangzhou-2", "ZoneName": "Guangzhou Zone 2", "ZoneId": "100002", "ZoneState": "AVAILABLE"},
            {"Zone": "ap-guangzhou-3", "ZoneName": "Guangzhou Zone 3", "ZoneId": "100003", "ZoneState": "UNAVAILABLE", "Extra": 1}
        ],
        "RequestId": "r-1"
    }))
    .expect("zones parse");
    assert_eq!(zones.total_count, Some(2));
    assert_eq!(zones.zone_set[0].zone_id.as_deref(), Some("100002"));

    let regions: DescribeRegionsResponse = serde_json::from_value(json!({
        "TotalCount": 1,
        "RegionSet": [{"Region": "ap-guangzhou", "RegionName": "South China (Guangzhou)", "RegionState": "AVAILABLE"}],
        "RequestId": "r-2"
    }))
    .expect("regions parse");
    assert_eq!(
        regions.region_set[0].region.as_deref(),
        Some("ap-guangzhou")
    );

    let images: DescribeImagesResponse = serde_json::from_value(json!({
        "ImageSet": [{
            "ImageId": "img-pmqg1cw7", "OsName": "CentOS 7.8 64bit", "ImageType": "PUBLIC_IMAGE",
            "CreatedTime": "2020-09-22T00:00:00+00:00", "ImageSize": 50, "Architecture": "x86_64",
            "ImageState": "NORMAL", "Platform": "CentOS", "ImageSource": "OFFICIAL",
            "SyncPercent": null, "IsSupportCloudinit": true,
            "SnapshotSet": [{"SnapshotId": "snap-1", "DiskUsage": "SYSTEM_DISK", "DiskSize": 50}],
            "Tags": null, "ImageDeprecated": false
        }],
        "TotalCount": 1,
        "RequestId": "r-3"
    }))
    .expect("images parse");
    assert_eq!(images.total_count, Some(1));
    assert_eq!(images.image_set[0].sync_percent, None);
    assert!(images.image_set[0].tags.is_empty());
    assert_eq!(images.image_set[0].snapshot_set[0].disk_size, Some(50));

    let types: DescribeInstanceTypeConfigsResponse = serde_json::from_value(json!({
        "InstanceTypeConfigSet": [{
            "Zone": "ap-guangzhou-2", "InstanceType": "S1.SMALL1", "InstanceFamily": "S1",
            "GPU": 0, "CPU": 1, "Memory": 1, "FPGA": 0, "GpuCount": 0.5, "GpuType": null, "GpuMemory": 0
        }],
        "RequestId": "r-4"
    }))
    .expect("types parse");
    let config = &types.instance_type_config_set[0];
    assert_eq!(
        (config.cpu, config.gpu, config.fpga),
        (Some(1), Some(0), Some(0))
    );
    assert_eq!(config.gpu_count, Some(0.5));
    assert_eq!(config.gpu_memory, Some(0.0));

    let status: DescribeInstancesStatusResponse = serde_json::from_value(json!({
        "TotalCount": 1,
        "InstanceStatusSet": [{"InstanceId": "ins-1", "InstanceState": "STOPPING"}],
        "RequestId": "r-5"
    }))
    .expect("status parses");
    assert_eq!(
        status.instance_status_set[0].instance_state,
        Some(InstanceState::Stopping)
    );

    let run: RunInstancesResponse =
        serde_json::from_value(json!({"InstanceIdSet": ["ins-1", "ins-2"], "RequestID": "r-6"}))
            .expect("run parses");
    assert_eq!(run.instance_id_set.len(), 2);

    let empty: DescribeInstancesResponse =
        serde_json::from_value(json!({"InstanceSet": null, "RequestId": "r-7"}))
            .expect("null set parses");
    assert_eq!(empty, DescribeInstancesResponse::default());
    assert_eq!(
        serde_json::to_value(&empty).expect("serializes"),
        json!({"InstanceSet": []})
    );

    let ack = json!({"RequestId": "r-8"});
    serde_json::from_value::<TerminateInstancesResponse>(ack.clone()).expect("parses");
    serde_json::from_value::<StartInstancesResponse>(ack.clone()).expect("parses");
    serde_json::from_value::<StopInstancesResponse>(ack.clone()).expect("parses");
    serde_json::from_value::<RebootInstancesResponse>(ack).expect("parses");
}

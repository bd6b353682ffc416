//! The walkthrough's `RunInstances`, built with the generated type, flattens to exactly the
//! parameters of the hand-written model's.

use cvm_proto::api::cvm::{
    DataDisk, EnhancedService, InternetAccessible, LoginSettings, Placement, RunInstancesRequest,
    RunMonitorServiceEnabled, RunSecurityServiceEnabled, SystemDisk,
};
use cvm_proto::flatten::to_params;
use cvm_test_support::walkthrough::{run_instances, IMAGE, ZONE};

fn generated(instance_type: &str, password: &str) -> RunInstancesRequest {
    RunInstancesRequest::default()
        .with_instance_charge_type("POSTPAID_BY_HOUR")
        .with_placement(Placement::default().with_zone(ZONE))
        .with_instance_type(instance_type)
        .with_image_id(IMAGE)
        .with_system_disk(
            SystemDisk::default()
                .with_disk_type("LOCAL_BASIC")
                .with_disk_size(50),
        )
        .with_data_disks([DataDisk::default()
            .with_disk_type("LOCAL_BASIC")
            .with_disk_size(100)])
        .with_internet_accessible(
            InternetAccessible::default()
                .with_internet_charge_type("TRAFFIC_POSTPAID_BY_HOUR")
                .with_internet_max_bandwidth_out(10)
                .with_public_ip_assigned(true),
        )
        .with_instance_count(1)
        .with_instance_name("QCLOUD-TEST")
        .with_login_settings(LoginSettings::default().with_password(password))
        .with_enhanced_service(
            EnhancedService::default()
                .with_security_service(RunSecurityServiceEnabled::default().with_enabled(true))
                .with_monitor_service(RunMonitorServiceEnabled::default().with_enabled(true)),
        )
}

#[test]
fn generated_run_instances_flattens_like_the_hand_written_one() {
    let hand = to_params(&run_instances("S1.SMALL1", "Qcloud@TestApi123++")).expect("flattens");
    let generated = to_params(&generated("S1.SMALL1", "Qcloud@TestApi123++")).expect("flattens");
    let hand: Vec<(&str, &str)> = hand.iter().collect();
    let generated: Vec<(&str, &str)> = generated.iter().collect();
    assert_eq!(generated, hand);
    // And the JSON of TC3 is the same too.
    assert_eq!(
        serde_json::to_value(self::generated("S1.SMALL1", "p")).expect("serializes"),
        serde_json::to_value(run_instances("S1.SMALL1", "p")).expect("serializes"),
    );
}

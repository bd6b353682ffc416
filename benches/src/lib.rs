//! Shared inputs for the criterion benchmarks in `benches/benches/`.

use cvm_proto::request::{Context, HttpMethod};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::{Credentials, Endpoint};
use serde_json::{json, Value};

/// The walkthrough's `RunInstances` parameters.
pub fn run_instances_params() -> Value {
    json!({
        "InstanceChargeType": "POSTPAID_BY_HOUR",
        "Placement": {"Zone": "ap-guangzhou-2"},
        "InstanceType": "S1.SMALL1",
        "ImageId": "img-pmqg1cw7",
        "SystemDisk": {"DiskType": "LOCAL_BASIC", "DiskSize": 50},
        "DataDisks": [{"DiskSize": 100, "DiskType": "LOCAL_BASIC"}],
        "InternetAccessible": {
            "InternetChargeType": "TRAFFIC_POSTPAID_BY_HOUR",
            "InternetMaxBandwidthOut": 10,
            "PublicIpAssigned": true
        },
        "InstanceCount": 1,
        "InstanceName": "QCLOUD-TEST",
        "LoginSettings": {"Password": "Qcloud@TestApi123++"},
        "EnhancedService": {
            "SecurityService": {"Enabled": true},
            "MonitorService": {"Enabled": true}
        }
    })
}

/// The documentation's example credentials.
pub fn credentials() -> Credentials {
    match Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
    ) {
        Ok(c) => c,
        Err(e) => unreachable!("constant credentials are valid: {e}"),
    }
}

/// The global endpoint.
pub fn endpoint() -> Endpoint {
    Endpoint::global()
}

/// A fixed context for `method` and `signature_method`.
pub fn context(method: HttpMethod, signature_method: SignatureMethod) -> Context<'static> {
    Context::new(1465185768, 11886)
        .region("ap-guangzhou")
        .method(method)
        .signature_method(signature_method)
}

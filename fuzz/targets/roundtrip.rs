//! Flattening then unflattening an arbitrary request (a structured input) gives it back exactly,
//! directly and after the parameters are encoded and decoded as a body.
//!
//! The request mirrors the shape of `RunInstances`: nested structs, lists of structs and of
//! scalars, options, booleans, integers, floats, strings and a unit enum. The flattener omits
//! `None` and empty lists, so every optional struct here has a required member: a `Some` always
//! produces at least one parameter and the round trip is exact without normalizing.

use arbitrary::{Arbitrary, Unstructured};
use cvm_proto::{encode, flatten};
use serde::{Deserialize, Serialize};

/// A RunInstances-like request.
#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Request {
    placement: Placement,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instance_type: Option<String>,
    image_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    system_disk: Option<Disk>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    data_disks: Vec<Disk>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    login_settings: Option<LoginSettings>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    security_group_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instance_count: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dry_run: Option<bool>,
    disable_api_termination: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tag_specification: Vec<TagSpecification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    charge_type: Option<ChargeType>,
    ipv6_address_count: u64,
    partition_number: i32,
}

#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Placement {
    zone: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    project_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    host_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Disk {
    disk_size: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disk_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delete_with_instance: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct LoginSettings {
    password: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    key_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagSpecification {
    resource_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Tag {
    key: String,
    value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Arbitrary, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum ChargeType {
    Prepaid,
    PostpaidByHour,
    Spotpaid,
}

/// Runs the target on one input, read as a [`Request`] by `arbitrary`.
pub(crate) fn run(data: &[u8]) {
    let Ok(request) = Request::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let flat = match flatten::to_params(&request) {
        Ok(flat) => flat,
        Err(flatten::FlattenError::NonFinite { key }) => {
            assert_eq!(key, "MaxPrice");
            assert!(request.max_price.is_some_and(|p| !p.is_finite()));
            return;
        }
        Err(e) => panic!("{request:?} does not flatten: {e}"),
    };
    let back: Request = flatten::from_params(&flat).expect("flattened parameters read back");
    assert_eq!(back, request);
    let body = encode::encode(&flat);
    let decoded = encode::decode(body.as_bytes()).expect("an encoded body decodes");
    assert_eq!(decoded, flat);
    let back: Request = flatten::from_params(&decoded).expect("decoded parameters read back");
    assert_eq!(back, request);
}

//! Property tests for `cvm_proto::flatten`: flattening then reading back is the identity, and
//! reading arbitrary parameters never panics.

use std::collections::BTreeMap;

use cvm_proto::flatten::{from_params, to_params, FlattenError, UnflattenError};
use cvm_proto::Params;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Disk {
    disk_type: String,
    disk_size: Option<u64>,
    delete_with_instance: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Filter {
    name: String,
    #[serde(default)]
    values: Vec<String>,
    ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    #[serde(rename = "SMALL")]
    Small,
    Large,
    Custom(String),
    Sized {
        width: u32,
        height: Option<i64>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Request {
    zone: Option<String>,
    count: Option<i64>,
    limit: Option<u64>,
    price: Option<f64>,
    dry_run: Option<bool>,
    flag: bool,
    #[serde(default)]
    instance_ids: Vec<String>,
    #[serde(default)]
    data_disks: Vec<Disk>,
    placement: Option<Filter>,
    #[serde(default)]
    filters: Vec<Filter>,
    #[serde(default)]
    matrix: Vec<Vec<i64>>,
    kind: Option<Kind>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
}

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        Just(0.1),
        Just(1e20),
        Just(1.5e-7),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        any::<String>(),
        "[a-z0-9 &=+%.测试-]{0,12}"
    ]
}

fn disk() -> impl Strategy<Value = Disk> {
    (text(), any::<Option<u64>>(), any::<Option<bool>>()).prop_map(
        |(disk_type, disk_size, delete_with_instance)| Disk {
            disk_type,
            disk_size,
            delete_with_instance,
        },
    )
}

fn filter() -> impl Strategy<Value = Filter> {
    (
        text(),
        prop::collection::vec(text(), 0..4),
        prop::option::of(finite()),
    )
        .prop_map(|(name, values, ratio)| Filter {
            name,
            values,
            ratio,
        })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Small),
        Just(Kind::Large),
        text().prop_map(Kind::Custom),
        (any::<u32>(), any::<Option<i64>>())
            .prop_map(|(width, height)| Kind::Sized { width, height }),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    (
        (
            prop::option::of(text()),
            any::<Option<i64>>(),
            any::<Option<u64>>(),
            prop::option::of(finite()),
            any::<Option<bool>>(),
            any::<bool>(),
        ),
        (
            prop::collection::vec(text(), 0..13),
            prop::collection::vec(disk(), 0..3),
            prop::option::of(filter()),
            prop::collection::vec(filter(), 0..3),
            prop::collection::vec(prop::collection::vec(any::<i64>(), 1..3), 0..3),
            prop::option::of(kind()),
            prop::collection::btree_map("[A-Za-z][A-Za-z0-9_-]{0,6}", text(), 0..3),
        ),
    )
        .prop_map(
            |(
                (zone, count, limit, price, dry_run, flag),
                (instance_ids, data_disks, placement, filters, matrix, kind, tags),
            )| Request {
                zone,
                count,
                limit,
                price,
                dry_run,
                flag,
                instance_ids,
                data_disks,
                placement,
                filters,
                matrix,
                kind,
                tags,
            },
        )
}

fn arbitrary_params() -> impl Strategy<Value = Params> {
    let key = prop_oneof![
        "[A-Za-z0-9.]{0,12}",
        "(Zone|Count|Limit|Price|DryRun|Flag|InstanceIds|DataDisks|Placement|Filters|Matrix|Kind|Tags)(\\.(0|1|2|01|x|Name|Values|Ratio|DiskType|DiskSize|Custom|Sized|Width|SMALL|Large|)){0,4}",
        any::<String>(),
    ];
    let value = prop_oneof![
        any::<String>(),
        "(true|TRUE|1|-1|0|1e3|NaN|inf|\\+1|SMALL|Large|)",
    ];
    prop::collection::vec((key, value), 0..16).prop_map(|pairs| {
        let mut params = Params::new();
        for (k, v) in pairs {
            // Malformed and repeated keys are simply left out.
            let _ = params.insert(k, v);
        }
        params
    })
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        finite().prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("[A-Za-z0-9.]{0,4}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn flatten_then_unflatten_is_identity(req in request()) {
        let params = to_params(&req).expect("flattens");
        let keys: Vec<&str> = params.iter().map(|(k, _)| k).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        prop_assert_eq!(&keys, &sorted);
        prop_assert!(keys.iter().all(|k| !k.contains('_') || k.starts_with("Tags.")));
        let back: Request = from_params(&params).expect("reads back");
        prop_assert_eq!(back, req);
    }

    #[test]
    fn reading_arbitrary_params_never_panics(params in arbitrary_params()) {
        let _ = from_params::<Request>(&params);
        let _ = from_params::<Option<Request>>(&params);
        let _ = from_params::<Vec<String>>(&params);
        let _ = from_params::<BTreeMap<String, serde_json::Value>>(&params);
        let _ = from_params::<BTreeMap<u8, Kind>>(&params);
        let value = from_params::<serde_json::Value>(&params);
        // JSON has no type requirements: only structural problems can fail.
        if let Err(e) = value {
            let structural = matches!(
                e,
                UnflattenError::LeafAndParent { .. }
                    | UnflattenError::EmptySegment { .. }
                    | UnflattenError::TooDeep { .. }
            );
            prop_assert!(structural, "{e:?}");
        }
    }

    #[test]
    fn flattening_json_never_panics_and_reads_back(value in arbitrary_json()) {
        match to_params(&value) {
            Ok(params) => {
                let _ = from_params::<serde_json::Value>(&params);
            }
            Err(e) => {
                let expected = matches!(
                    e,
                    FlattenError::NotAnObject { .. }
                        | FlattenError::EmptySegment { .. }
                        | FlattenError::Duplicate { .. }
                );
                prop_assert!(expected, "{e:?}");
            }
        }
    }
}

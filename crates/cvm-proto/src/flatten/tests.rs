//! Tests that go through both halves: values flattened and read back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::*;
use crate::flatten::fixtures::*;

#[test]
fn s6_empty_list_omitted_and_empty_string_kept() {
    let req = DescribeInstances {
        instance_ids: vec![],
        filters: vec![Filter {
            name: "instance-name".into(),
            values: vec![String::new()],
        }],
        offset: Some(0),
        limit: None,
    };
    let p = to_params(&req).unwrap();
    assert_eq!(
        pairs(&p),
        [
            ("Filters.0.Name", "instance-name"),
            ("Filters.0.Values.0", ""),
            ("Offset", "0"),
        ]
    );
    assert_eq!(from_params::<DescribeInstances>(&p).unwrap(), req);
}

#[test]
fn nested_lists_are_indexed_from_zero() {
    let req = DescribeInstances {
        instance_ids: vec!["ins-a".into(), "ins-b".into()],
        filters: vec![
            Filter {
                name: "zone".into(),
                values: vec!["ap-guangzhou-1".into(), "ap-guangzhou-2".into()],
            },
            Filter {
                name: "instance-state".into(),
                values: vec![],
            },
        ],
        offset: None,
        limit: Some(20),
    };
    let p = to_params(&req).unwrap();
    assert_eq!(
        pairs(&p),
        [
            ("Filters.0.Name", "zone"),
            ("Filters.0.Values.0", "ap-guangzhou-1"),
            ("Filters.0.Values.1", "ap-guangzhou-2"),
            ("Filters.1.Name", "instance-state"),
            ("InstanceIds.0", "ins-a"),
            ("InstanceIds.1", "ins-b"),
            ("Limit", "20"),
        ]
    );
    assert_eq!(from_params::<DescribeInstances>(&p).unwrap(), req);
}

#[test]
fn lists_of_eleven_and_more_keep_numeric_order_on_reading() {
    let ids: Vec<String> = (0..12).map(|i| format!("ins-{i}")).collect();
    let req = DescribeInstances {
        instance_ids: ids.clone(),
        filters: vec![],
        offset: None,
        limit: None,
    };
    let p = to_params(&req).unwrap();
    assert_eq!(p.get("InstanceIds.11"), Some("ins-11"));
    assert_eq!(
        from_params::<DescribeInstances>(&p).unwrap().instance_ids,
        ids
    );
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Shapes {
    stop_type: StopType,
    other: Option<StopType>,
    id: Id,
    pair: Pair,
    tuple: (bool, i32),
    letter: char,
    wrapped: Option<Option<u8>>,
}

#[test]
fn enums_newtypes_and_tuples() {
    let v = Shapes {
        stop_type: StopType::Soft,
        other: Some(StopType::SoftFirst),
        id: Id("ins-1".into()),
        pair: Pair(7, "x".into()),
        tuple: (false, -3),
        letter: 'é',
        wrapped: Some(Some(4)),
    };
    let p = to_params(&v).unwrap();
    assert_eq!(
        pairs(&p),
        [
            ("Id", "ins-1"),
            ("Letter", "é"),
            ("Other", "SoftFirst"),
            ("Pair.0", "7"),
            ("Pair.1", "x"),
            ("StopType", "SOFT"),
            ("Tuple.0", "false"),
            ("Tuple.1", "-3"),
            ("Wrapped", "4"),
        ]
    );
    assert_eq!(from_params::<Shapes>(&p).unwrap(), v);
    let hard = params(&[
        ("Id", "i"),
        ("Letter", "l"),
        ("Pair.0", "1"),
        ("Pair.1", ""),
        ("StopType", "HARD"),
        ("Tuple.0", "TRUE"),
        ("Tuple.1", "0"),
    ]);
    let back: Shapes = from_params(&hard).unwrap();
    assert_eq!(back.stop_type, StopType::Hard);
    assert_eq!(back.other, None);
    assert_eq!(back.wrapped, None);
}

#[test]
fn enum_variants_with_content_are_externally_tagged() {
    let v = Drawing {
        shapes: vec![
            Shape::Point,
            Shape::Circle(0.5),
            Shape::Rect(2, 3),
            Shape::Named {
                name: "n".into(),
                tags: vec!["a".into()],
            },
        ],
        main: Shape::Circle(2.0),
    };
    let p = to_params(&v).unwrap();
    assert_eq!(
        pairs(&p),
        [
            ("Main.Circle", "2"),
            ("Shapes.0", "Point"),
            ("Shapes.1.Circle", "0.5"),
            ("Shapes.2.Rect.0", "2"),
            ("Shapes.2.Rect.1", "3"),
            ("Shapes.3.Named.name", "n"),
            ("Shapes.3.Named.tags.0", "a"),
        ]
    );
    assert_eq!(from_params::<Drawing>(&p).unwrap(), v);
    // At the top level a variant with content is an object.
    assert_eq!(flat(&Shape::Circle(1.0)), owned(&[("Circle", "1")]));
    assert_eq!(
        to_params(&Shape::Point),
        Err(FlattenError::NotAnObject {
            found: "an enum variant"
        })
    );
}

#[test]
fn map_keys_may_be_strings_chars_integers_and_unit_variants() {
    let by_int: BTreeMap<i32, &str> = [(-1, "m"), (10, "t")].into_iter().collect();
    assert_eq!(
        flat(&One { v: by_int }),
        owned(&[("v.-1", "m"), ("v.10", "t")])
    );
    let by_u128: BTreeMap<u128, &str> = [(u128::MAX, "m")].into_iter().collect();
    let key = format!("v.{}", u128::MAX);
    assert_eq!(flat(&One { v: by_u128 }), owned(&[(key.as_str(), "m")]));
    let by_char: BTreeMap<char, u8> = [('a', 1), ('é', 2)].into_iter().collect();
    assert_eq!(flat(&by_char), owned(&[("a", "1"), ("é", "2")]));
    let by_newtype: BTreeMap<String, BTreeMap<u8, Id>> =
        [("K".to_owned(), [(3, Id("x".into()))].into_iter().collect())]
            .into_iter()
            .collect();
    assert_eq!(flat(&by_newtype), owned(&[("K.3", "x")]));
    let by_variant: BTreeMap<Kind, u8> = [(Kind::Big, 1)].into_iter().collect();
    assert_eq!(flat(&by_variant), owned(&[("BIG", "1")]));
    let back: BTreeMap<Kind, u8> = from_params(&params(&[("BIG", "1")])).unwrap();
    assert_eq!(back, by_variant);
}

fn nested_json(levels: usize, leaf: serde_json::Value) -> serde_json::Value {
    (0..levels).fold(leaf, |v, _| json!({ "a": v }))
}

#[test]
fn depth_is_limited() {
    let ok = nested_json(MAX_DEPTH, json!("x"));
    let p = to_params(&ok).unwrap();
    let key = vec!["a"; MAX_DEPTH].join(".");
    assert_eq!(pairs(&p), [(key.as_str(), "x")]);
    let back: serde_json::Value = from_params(&p).unwrap();
    assert_eq!(back, ok);

    let deep = nested_json(MAX_DEPTH + 1, json!("x"));
    let key = vec!["a"; MAX_DEPTH + 1].join(".");
    assert_eq!(
        to_params(&deep),
        Err(FlattenError::TooDeep { key: key.clone() })
    );
    // Deeper than the limit without any value below is still too deep.
    let deep = nested_json(MAX_DEPTH + 1, json!({}));
    assert_eq!(to_params(&deep), Err(FlattenError::TooDeep { key }));
    // A dotted map key counts as several segments.
    let dotted = json!({ "b.c": nested_json(MAX_DEPTH - 1, json!(1)) });
    assert!(matches!(
        to_params(&dotted),
        Err(FlattenError::TooDeep { key }) if key == format!("b.c.{}", vec!["a"; MAX_DEPTH - 1].join("."))
    ));
    // Lists count like objects.
    let list = (0..MAX_DEPTH + 1).fold(json!(1), |v, _| json!([v]));
    assert!(matches!(
        to_params(&json!({ "L": list })),
        Err(FlattenError::TooDeep { .. })
    ));
}

#[test]
fn json_values_flatten() {
    let v = json!({
        "Placement": {"Zone": "z"},
        "Ids": ["a", ""],
        "Ratio": 0.25,
        "Big": 1e20,
        "Count": 3,
        "Neg": -4,
        "Flag": true,
        "Null": null,
        "Empty": [],
        "EmptyObj": {},
        "Nested": [[1, 2], [3]],
    });
    let p = to_params(&v).unwrap();
    assert_eq!(
        pairs(&p),
        [
            ("Big", "100000000000000000000"),
            ("Count", "3"),
            ("Flag", "true"),
            ("Ids.0", "a"),
            ("Ids.1", ""),
            ("Neg", "-4"),
            ("Nested.0.0", "1"),
            ("Nested.0.1", "2"),
            ("Nested.1.0", "3"),
            ("Placement.Zone", "z"),
            ("Ratio", "0.25"),
        ]
    );
    // Read back as JSON, every leaf is a string.
    let back: serde_json::Value = from_params(&p).unwrap();
    assert_eq!(
        back,
        json!({
            "Big": "100000000000000000000",
            "Count": "3",
            "Flag": "true",
            "Ids": ["a", ""],
            "Neg": "-4",
            "Nested": [["1", "2"], ["3"]],
            "Placement": {"Zone": "z"},
            "Ratio": "0.25",
        })
    );
}

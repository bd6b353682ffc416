//! The generated direct flattening of every request type gives exactly the parameters of the
//! serde flattener (the oracle), for random values built from the spec, including lists long
//! enough (over ten elements) that their indices do not come out in byte order. The same values
//! check a call's JSON form (a TC3 POST's body): the request's JSON, with a drawn `ClientToken`
//! added where the action takes one and the request has none, and its signed v1 request: the
//! same from `prepare_action` (which writes the common parameters in their places while
//! flattening) as from `prepare` (the serde flattener, then the common parameters). Built with
//! the `vpc` and `cbs` features, the same checks visit those APIs' requests too.
#![allow(clippy::unwrap_used)]

use std::fmt::Debug;

use cvm_proto::api::spec::{object, ActionSpec, FieldSpec, FieldType, ObjectSpec, RequestVisitor};
use cvm_proto::flatten::{flatten_direct, to_params};
use cvm_proto::sign::SignatureMethod;
use cvm_proto::{Action, Call, ClientConfig, Context, Credentials, Endpoint, HttpMethod, Params};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A small deterministic generator (xorshift64*), so that proptest's seed drives every choice.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const STRINGS: [&str; 8] = [
    "",
    "ap-guangzhou-3",
    "a b&c=d%e+f",
    "Qcloud@TestApi123++",
    "ü中文",
    "line\nbreak",
    "ins-00000001",
    "~-_.",
];

fn scalar(member: &str, rng: &mut Rng) -> Value {
    match member {
        "int64" => {
            let magnitude = rng.below(1 << 40) as i64;
            Value::from(if rng.chance(30) {
                -magnitude
            } else {
                magnitude
            })
        }
        "uint64" => Value::from(if rng.chance(10) {
            u64::MAX - rng.below(1000)
        } else {
            rng.below(100_000)
        }),
        "float" => {
            let choices = [0.0, -0.0, 1.5, -2.25, 1e-7, 123_456_789.125, 0.1];
            let pick = rng.below(choices.len() as u64 + 1) as usize;
            Value::from(
                choices
                    .get(pick)
                    .copied()
                    .unwrap_or_else(|| (rng.next() >> 11) as f64 / 1024.0),
            )
        }
        "bool" => Value::from(rng.chance(50)),
        _ => Value::from(STRINGS[rng.below(STRINGS.len() as u64) as usize]),
    }
}

fn member(objects: &'static [ObjectSpec], field: &FieldSpec, rng: &mut Rng, depth: usize) -> Value {
    match object(objects, field.member) {
        Some(o) => value_of(objects, o.fields, rng, depth + 1),
        None => scalar(field.member, rng),
    }
}

fn value_of(
    objects: &'static [ObjectSpec],
    fields: &'static [FieldSpec],
    rng: &mut Rng,
    depth: usize,
) -> Value {
    let mut map = Map::new();
    for f in fields {
        if !f.required && (depth > 3 || !rng.chance(50)) {
            continue;
        }
        let v = if f.ty == FieldType::List {
            // Mostly short lists, sometimes past ten elements.
            let n = if rng.chance(15) {
                11 + rng.below(4)
            } else {
                rng.below(3)
            };
            Value::Array((0..n).map(|_| member(objects, f, rng, depth)).collect())
        } else {
            member(objects, f, rng, depth)
        };
        map.insert(f.name.to_owned(), v);
    }
    Value::Object(map)
}

struct Check {
    seed: u64,
    /// The objects of the API being visited, which its requests' members name.
    objects: &'static [ObjectSpec],
    checked: usize,
    params: usize,
}

impl RequestVisitor for Check {
    fn visit<A>(&mut self, spec: &'static ActionSpec)
    where
        A: Action
            + cvm_proto::flatten::Flatten
            + DeserializeOwned
            + Debug
            + Clone
            + PartialEq
            + Default,
    {
        let mut rng = Rng(self.seed ^ (spec.name.len() as u64) << 32 | 1);
        let json = value_of(self.objects, spec.fields, &mut rng, 0);
        let request: A = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{}: {e}: {json}", spec.name));
        let oracle = to_params(&request).unwrap();
        let mut direct = Params::new();
        flatten_direct(&request, &mut direct).unwrap();
        assert_eq!(direct, oracle, "{}: {json}", spec.name);
        let mut through_action = Params::new();
        request.flatten_into(&mut through_action).unwrap();
        assert_eq!(through_action, oracle, "{}", spec.name);
        check_call_json(&request, spec.name);
        check_prepare(&request, spec.name);
        self.checked += 1;
        self.params += oracle.len();
    }
}

/// The body of a TC3 POST of `Call::typed(request)` is the request's JSON, plus the drawn token
/// when the call drew one (it writes that member itself, after the request's own).
fn check_call_json<A: Action>(request: &A, name: &str) {
    const DRAWN: &str = "tok-drawn";
    let call = Call::typed(request, || DRAWN.to_owned()).unwrap();
    let mut config = ClientConfig::default();
    config.region = Some("ap-guangzhou".into());
    config.signature_method = SignatureMethod::Tc3HmacSha256;
    config.http_method = HttpMethod::Post;
    let credentials = Credentials::new("AKIDtest", "secret").unwrap();
    let prepared = call
        .request(&config, &credentials, 1_700_000_000, 1)
        .unwrap();
    let sent: Value =
        serde_json::from_slice(&prepared.request.body).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut expected = serde_json::to_value(request).unwrap();
    if call.client_token() == Some(DRAWN) {
        assert!(expected.get("ClientToken").is_none(), "{name}");
        expected["ClientToken"] = Value::from(DRAWN);
        // Parsing keeps the last of two equal members, so count them in the text as well.
        let text = String::from_utf8_lossy(&prepared.request.body);
        assert_eq!(
            text.matches("\"ClientToken\":").count(),
            1,
            "{name}: {text}"
        );
    }
    assert_eq!(sent, expected, "{name}");
}

/// `prepare_action` and `prepare` sign the same v1 request, GET and POST, with every optional
/// common parameter set (a token among them), so that they fall among the request's own keys.
fn check_prepare<A: Action>(request: &A, name: &str) {
    let credentials = Credentials::new("AKIDtest", "secret")
        .unwrap()
        .with_token("tok/en+1")
        .unwrap();
    let endpoint = Endpoint::global();
    for (method, algorithm) in [
        (HttpMethod::Get, SignatureMethod::HmacSha1),
        (HttpMethod::Post, SignatureMethod::HmacSha256),
    ] {
        let mut ctx = Context::new(1_700_000_000, 4_294_967_297);
        ctx.region = Some("ap-guangzhou");
        ctx.method = method;
        ctx.signature_method = algorithm;
        ctx.request_client = Some("SDK_TEST_1.0");
        let direct = cvm_proto::prepare_action(request, &credentials, &endpoint, &ctx);
        let serde = cvm_proto::prepare(A::NAME, request, &credentials, &endpoint, &ctx);
        match (direct, serde) {
            (Ok(direct), Ok(serde)) => {
                assert!(direct.request == serde.request, "{name} {method:?}");
                assert_eq!(direct.params(), serde.params(), "{name} {method:?}");
            }
            (Err(direct), Err(serde)) => {
                assert_eq!(direct.to_string(), serde.to_string(), "{name} {method:?}");
            }
            (direct, serde) => panic!(
                "{name} {method:?}: prepare_action {:?}, prepare {:?}",
                direct.err(),
                serde.err()
            ),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn direct_flattening_matches_serde(seed in 1u64..) {
        use cvm_proto::api::cvm;
        let mut check = Check { seed, objects: cvm::OBJECTS, checked: 0, params: 0 };
        cvm::visit_requests(&mut check);
        prop_assert_eq!(check.checked, cvm::SPEC.len());
    }

    #[cfg(feature = "vpc")]
    #[test]
    fn direct_flattening_matches_serde_for_vpc(seed in 1u64..) {
        use cvm_proto::api::vpc;
        let mut check = Check { seed, objects: vpc::OBJECTS, checked: 0, params: 0 };
        vpc::visit_requests(&mut check);
        prop_assert_eq!(check.checked, vpc::SPEC.len());
    }

    #[cfg(feature = "cbs")]
    #[test]
    fn direct_flattening_matches_serde_for_cbs(seed in 1u64..) {
        use cvm_proto::api::cbs;
        let mut check = Check { seed, objects: cbs::OBJECTS, checked: 0, params: 0 };
        cbs::visit_requests(&mut check);
        prop_assert_eq!(check.checked, cbs::SPEC.len());
    }
}

#[test]
fn long_lists_are_sorted_like_the_oracle() {
    // Fifteen filters: `Filters.10` must sort between `Filters.1` and `Filters.2`.
    let request = cvm_proto::api::cvm::DescribeInstancesRequest::new().with_filters(
        (0..15).map(|i| cvm_proto::api::cvm::Filter::new(format!("f{i}"), [format!("v{i}")])),
    );
    let mut direct = Params::new();
    flatten_direct(&request, &mut direct).unwrap();
    assert_eq!(direct, to_params(&request).unwrap());
    let keys: Vec<&str> = direct.iter().map(|(k, _)| k).collect();
    assert_eq!(keys[0], "Filters.0.Name");
    assert_eq!(keys[2], "Filters.1.Name");
    assert_eq!(keys[4], "Filters.10.Name");
    assert_eq!(direct.get("Filters.14.Values.0"), Some("v14"));
}

//! Property tests: signing, encoding and parsing invariants over generated inputs.
#![allow(clippy::unwrap_used)]

use cvm_proto::encode;
use cvm_proto::envelope;
use cvm_proto::sign::{self, SignatureMethod};
use cvm_proto::HttpMethod;
use cvm_proto::Params;
use proptest::prelude::*;

/// Keys as the flattener produces them: dotted PascalCase segments and indices.
fn key() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof!["[A-Z][A-Za-z]{0,12}", "[0-9]{1,2}"], 1..4)
        .prop_map(|segments| segments.join("."))
}

fn params() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::btree_map(key(), any::<String>(), 0..16).prop_map(|m| m.into_iter().collect())
}

fn method() -> impl Strategy<Value = HttpMethod> {
    prop_oneof![Just(HttpMethod::Get), Just(HttpMethod::Post)]
}

fn algorithm() -> impl Strategy<Value = SignatureMethod> {
    prop_oneof![
        Just(SignatureMethod::HmacSha1),
        Just(SignatureMethod::HmacSha256)
    ]
}

proptest! {
    #[test]
    fn sign_then_verify_and_any_change_breaks_it(
        pairs in params(),
        secret in "[A-Za-z0-9]{8,40}",
        m in method(),
        alg in algorithm(),
        pick in any::<prop::sample::Index>(),
        flip in 1u8..=255,
        in_key in any::<bool>(),
    ) {
        let p = Params::from_pairs(pairs.clone()).unwrap();
        let sts = sign::string_to_sign(m, "cvm.tencentcloudapi.com", "/", &p).unwrap();
        let sig = sign::signature(alg, secret.as_bytes(), &sts);
        prop_assert!(sign::verify(alg, secret.as_bytes(), &sts, &sig));
        prop_assume!(!pairs.is_empty());

        // Change one byte of one key or value; the service would rebuild a different string.
        let (k, v) = pairs[pick.index(pairs.len())].clone();
        let target = if in_key { k.clone() } else { v.clone() };
        prop_assume!(!target.is_empty());
        let mut bytes = target.clone().into_bytes();
        let at = pick.index(bytes.len());
        bytes[at] ^= flip;
        let Ok(changed) = String::from_utf8(bytes) else { return Ok(()) };
        // `_` signs as `.` by the protocol's own rule, so `A.B` -> `A_B` is not a change the signature sees.
        prop_assume!(!(in_key && changed.contains('_')));
        let mut q = p.clone();
        q.remove(&k);
        let inserted = if in_key { q.insert(changed, v) } else { q.insert(k, changed) };
        if inserted.is_err() { return Ok(()) } // the change made the key invalid or a duplicate
        let Ok(sts2) = sign::string_to_sign(m, "cvm.tencentcloudapi.com", "/", &q) else { return Ok(()) };
        prop_assert_ne!(&sts2, &sts);
        prop_assert!(!sign::verify(alg, secret.as_bytes(), &sts2, &sig));
    }

    #[test]
    fn string_to_sign_ignores_insertion_order(pairs in params(), seed in any::<u64>()) {
        let forward = Params::from_pairs(pairs.clone()).unwrap();
        let mut shuffled = pairs;
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let backward = Params::from_pairs(shuffled).unwrap();
        prop_assert_eq!(
            sign::string_to_sign(HttpMethod::Get, "h", "/", &forward).unwrap(),
            sign::string_to_sign(HttpMethod::Get, "h", "/", &backward).unwrap()
        );
    }

    #[test]
    fn encode_then_decode_is_identity(pairs in prop::collection::btree_map("[^=&%\\s\\p{Cc}]{1,10}", any::<String>(), 0..12)) {
        let p = Params::from_pairs(pairs).unwrap();
        let wire = encode::encode(&p);
        prop_assert!(wire.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%=&".contains(&b)));
        prop_assert_eq!(encode::decode(wire.as_bytes()).unwrap(), p);
    }

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = encode::decode(&bytes);
    }

    #[test]
    fn envelope_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256), status in 100u16..600) {
        let _ = envelope::parse_json(status, &bytes, 1 << 20);
        let _ = envelope::parse::<cvm_proto::models::DescribeInstancesResponse>(status, &bytes, 1 << 20);
    }

    #[test]
    fn envelope_never_panics_on_json_like_text(text in r#"\{"Response":\{("RequestId":"[a-z0-9-]{0,8}",?|"Error":\{"Code":"[A-Za-z.]{0,12}","Message":"[^"\\]{0,20}"\},?|"TotalCount":-?[0-9]{0,12},?|"InstanceSet":\[\{"InstanceId":"x"\}\],?)*\}\}"#) {
        let _ = envelope::parse_json(200, text.as_bytes(), 1 << 20);
        let _ = envelope::parse::<cvm_proto::models::DescribeInstancesResponse>(200, text.as_bytes(), 1 << 20);
    }
}

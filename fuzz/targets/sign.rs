//! Signing over arbitrary parameter sets (a structured input): a signature verifies against the
//! string to sign it was made from, also after the parameters travel encoded and are decoded as
//! the service does; a changed value or the other algorithm never verifies.

use arbitrary::{Arbitrary, Unstructured};
use cvm_proto::sign::{self, SignatureMethod, SIGNATURE};
use cvm_proto::HttpMethod;
use cvm_proto::{encode, Params};

/// Where the request is sent: the real endpoints' hosts and paths, or anything.
#[derive(Debug, Arbitrary)]
enum Place {
    Global,
    Legacy,
    Local(u16),
    Other(String, String),
}

/// One signing scenario.
#[derive(Debug, Arbitrary)]
pub(crate) struct Input {
    get: bool,
    sha256: bool,
    place: Place,
    key: Vec<u8>,
    params: Vec<(String, String)>,
    tamper_at: usize,
    tamper_with: char,
}

/// Runs the target on one input, read as an [`Input`] by `arbitrary`.
pub(crate) fn run(data: &[u8]) {
    if let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) {
        check(&input);
    }
}

fn check(input: &Input) {
    let method = if input.get {
        HttpMethod::Get
    } else {
        HttpMethod::Post
    };
    let (alg, other) = if input.sha256 {
        (SignatureMethod::HmacSha256, SignatureMethod::HmacSha1)
    } else {
        (SignatureMethod::HmacSha1, SignatureMethod::HmacSha256)
    };
    let (host, path) = match &input.place {
        Place::Global => ("cvm.tencentcloudapi.com".to_owned(), "/".to_owned()),
        Place::Legacy => ("cvm.api.qcloud.com".to_owned(), "/v2/index.php".to_owned()),
        Place::Local(port) => (format!("127.0.0.1:{port}"), "/".to_owned()),
        Place::Other(h, p) => (h.clone(), p.clone()),
    };
    let mut params = Params::new();
    for (k, v) in &input.params {
        let _ = params.insert(k.as_str(), v.as_str());
    }
    let Ok(sts) = sign::string_to_sign(method, &host, &path, &params) else {
        return;
    };
    assert!(
        sts.starts_with(&format!("{method}{host}{path}?")),
        "{sts:?}"
    );
    let signature = sign::signature(alg, &input.key, &sts);
    assert!(sign::verify(alg, &input.key, &sts, &signature));
    assert!(!sign::verify(other, &input.key, &sts, &signature));

    // What the service sees: the encoded parameters with `Signature`, decoded again.
    let mut sent = params.clone();
    sent.set(SIGNATURE, signature.as_str())
        .expect("Signature is a valid key");
    let received =
        encode::decode(encode::encode(&sent).as_bytes()).expect("encoded parameters decode");
    let received_sts =
        sign::string_to_sign(method, &host, &path, &received).expect("still signable");
    assert_eq!(received_sts, sts);
    let claimed = received.get(SIGNATURE).expect("Signature was sent");
    assert!(sign::verify(alg, &input.key, &received_sts, claimed));

    // A changed value changes the string to sign and no longer verifies.
    let signed: Vec<&str> = params
        .iter()
        .map(|(k, _)| k)
        .filter(|k| *k != SIGNATURE)
        .collect();
    if signed.is_empty() {
        return;
    }
    let key = signed[input.tamper_at % signed.len()];
    let mut value = params.get(key).expect("listed key").to_owned();
    value.push(input.tamper_with);
    let mut tampered = params.clone();
    tampered.set(key, value).expect("existing key");
    let tampered_sts =
        sign::string_to_sign(method, &host, &path, &tampered).expect("still signable");
    assert_ne!(tampered_sts, sts);
    assert!(!sign::verify(alg, &input.key, &tampered_sts, &signature));
}

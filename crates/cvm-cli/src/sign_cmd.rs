//! `cvm sign`: the string to sign, the signature and the encoded parameters for given flat parameters.

use clap::Args;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use cvm_proto::encode;
use cvm_proto::sign::{self, SignatureMethod, SIGNATURE};
use cvm_proto::HttpMethod;
use cvm_proto::Params;

use crate::input;

/// Options of `cvm sign`.
#[derive(Args, Debug)]
pub(crate) struct SignArgs {
    /// HTTP method the request is sent with: GET or POST.
    #[arg(long, value_parser = parse_method)]
    method: HttpMethod,
    /// Host exactly as sent in the Host header, e.g. cvm.tencentcloudapi.com or 127.0.0.1:8080.
    #[arg(long)]
    host: String,
    /// Path, e.g. / or /v2/index.php.
    #[arg(long, default_value = "/")]
    path: String,
}

fn parse_method(s: &str) -> Result<HttpMethod, String> {
    s.parse()
        .map_err(|e: cvm_proto::UnknownHttpMethod| e.to_string())
}

/// Flat parameters from a JSON object whose values are strings (numbers and booleans are taken as written).
pub(crate) fn params_from_json(bytes: &[u8]) -> Result<Params, String> {
    let object = input::object(bytes)?;
    let mut params = Params::with_capacity(object.len());
    for (key, value) in object {
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => {
                return Err(format!(
                    "parameter {key:?} must be a string, number or boolean, not {other}; run `cvm flatten` first"
                ))
            }
        };
        if key == SIGNATURE {
            return Err("the input must not contain Signature; it is computed".into());
        }
        params.insert(key, text).map_err(|e| e.to_string())?;
    }
    Ok(params)
}

/// The parameters as sent, in the order of the string to sign (`_` read as `.`).
pub(crate) fn signing_order(params: &Params) -> Result<Vec<(&str, &str)>, String> {
    let order = sign::signing_order(params).map_err(|e| e.to_string())?;
    Ok(order.into_iter().map(|p| (p.sent, p.value)).collect())
}

/// Runs `cvm sign` over stdin bytes with the secret key from the environment.
pub(crate) fn run(
    args: &SignArgs,
    key: Option<Zeroizing<String>>,
    stdin: &[u8],
) -> Result<Value, String> {
    let key = key
        .filter(|k| !k.is_empty())
        .ok_or("TENCENTCLOUD_SECRET_KEY is not set")?;
    let params = params_from_json(stdin)?;
    let sts = sign::string_to_sign(args.method, &args.host, &args.path, &params)
        .map_err(|e| e.to_string())?;
    let algorithm = SignatureMethod::from_param(params.get("SignatureMethod"));
    let signature = sign::signature(algorithm, key.as_bytes(), &sts);
    let mut encoded = String::new();
    encode::encode_pairs(
        params.iter().chain([(SIGNATURE, signature.as_str())]),
        &mut encoded,
    );
    Ok(json!({
        "string_to_sign": sts,
        "signature": signature,
        "encoded": encoded,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(method: HttpMethod, host: &str, path: &str) -> SignArgs {
        SignArgs {
            method,
            host: host.into(),
            path: path.into(),
        }
    }

    #[test]
    fn signs_doc_vector_d4() {
        let input = br#"{"Action":"DescribeInstances","InstanceIds.0":"ins-09dx96dg","Nonce":11886,"Region":"ap-guangzhou","SecretId":"AKIDz8krbsJ5yKBZQpn74WFkmLPx3gnPhESA","SignatureMethod":"HmacSHA256","Timestamp":"1465185768"}"#;
        let out = run(
            &args(HttpMethod::Get, "cvm.api.qcloud.com", "/v2/index.php"),
            Some(Zeroizing::new("Gu5t9xGARNpq86cd98joQYCN3Cozk1qA".into())),
            input,
        )
        .unwrap();
        assert_eq!(
            out["signature"],
            "0EEm/HtGRr/VJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s="
        );
        assert!(out["encoded"]
            .as_str()
            .unwrap()
            .ends_with("&Signature=0EEm%2FHtGRr%2FVJXTAD9tYMth1Bzm3lLHz5RCDv1GdM8s%3D"));
    }

    #[test]
    fn bad_inputs() {
        let a = args(HttpMethod::Get, "h", "/");
        let key = || Some(Zeroizing::new("k".to_string()));
        assert!(run(&a, None, b"{}")
            .unwrap_err()
            .contains("TENCENTCLOUD_SECRET_KEY"));
        assert!(run(&a, key(), br#"{"a":{"b":1}}"#)
            .unwrap_err()
            .contains("cvm flatten"));
        assert!(run(&a, key(), br#"{"Signature":"x"}"#).is_err());
        assert!(run(&a, key(), br#"{"a b":"x"}"#).is_err());
        assert!(run(&a, key(), br#"{"A_B":"1","A.B":"2"}"#).is_err());
        assert!(run(&args(HttpMethod::Get, "", "/"), key(), b"{}").is_err());
    }
}

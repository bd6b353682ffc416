//! `cvm sign`: the string to sign, the signature and the encoded parameters for given flat parameters.

use clap::Args;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use cvm_proto::encode;
use cvm_proto::sign::{self, SignatureMethod, SIGNATURE};
use cvm_proto::tc3;
use cvm_proto::HttpMethod;
use cvm_proto::Params;

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
    /// Sign with TC3-HMAC-SHA256: stdin is the exact POST body or GET query string, and the
    /// output is the canonical request, string to sign, signature and Authorization header.
    #[arg(long)]
    tc3: bool,
    /// With --tc3: the X-TC-Timestamp (Unix seconds).
    #[arg(long, requires = "tc3")]
    timestamp: Option<u64>,
    /// With --tc3: the SecretId of the credential scope (default: TENCENTCLOUD_SECRET_ID).
    #[arg(
        long,
        requires = "tc3",
        env = "TENCENTCLOUD_SECRET_ID",
        hide_env_values = true
    )]
    secret_id: Option<String>,
    /// With --tc3: the Content-Type as sent (default: application/json for POST, application/x-www-form-urlencoded for GET).
    #[arg(long, requires = "tc3")]
    content_type: Option<String>,
    /// With --tc3: the service of the credential scope.
    #[arg(long, requires = "tc3", default_value = "cvm")]
    service: String,
}

fn parse_method(s: &str) -> Result<HttpMethod, String> {
    s.parse()
        .map_err(|e: cvm_proto::UnknownHttpMethod| e.to_string())
}

/// Flat parameters from a JSON object whose values are strings (numbers and booleans are taken as written).
pub(crate) fn params_from_json(bytes: &[u8]) -> Result<Params, String> {
    let object = cvm_proto::json::parse_object(bytes).map_err(|e| e.to_string())?;
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
    if args.tc3 {
        return run_tc3(args, &key, stdin);
    }
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

/// `cvm sign --tc3`: every intermediate of a TC3 signature over the exact bytes on stdin.
fn run_tc3(args: &SignArgs, key: &str, stdin: &[u8]) -> Result<Value, String> {
    let timestamp = args.timestamp.ok_or("--tc3 needs --timestamp")?;
    let secret_id = args
        .secret_id
        .as_deref()
        .filter(|s| !s.is_empty())
        .ok_or("--tc3 needs --secret-id or TENCENTCLOUD_SECRET_ID")?;
    let content_type = args.content_type.as_deref().unwrap_or(match args.method {
        HttpMethod::Get => cvm_proto::FORM_CONTENT_TYPE,
        HttpMethod::Post => tc3::JSON_CONTENT_TYPE,
    });
    let (query, body) = match args.method {
        HttpMethod::Get => {
            let query =
                std::str::from_utf8(stdin).map_err(|_| "the query on stdin is not UTF-8")?;
            (query.trim_end_matches(['\n', '\r']), &b""[..])
        }
        HttpMethod::Post => ("", stdin),
    };
    let date = tc3::date_of(timestamp);
    let canonical = tc3::canonical_request(
        args.method.as_str(),
        &args.path,
        query,
        &[("content-type", content_type), ("host", &args.host)],
        tc3::DEFAULT_SIGNED_HEADERS,
        &tc3::sha256_hex(body),
    );
    let sts = tc3::string_to_sign(timestamp, &date, &args.service, &canonical);
    let signature = tc3::SigningKey::derive(key.as_bytes(), &date, &args.service).sign(&sts);
    let authorization = tc3::authorization(
        secret_id,
        &date,
        &args.service,
        tc3::DEFAULT_SIGNED_HEADERS,
        &signature,
    );
    Ok(json!({
        "canonical_request": canonical,
        "string_to_sign": sts,
        "signature": signature,
        "authorization": authorization,
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
            tc3: false,
            timestamp: None,
            secret_id: None,
            content_type: None,
            service: "cvm".into(),
        }
    }

    #[test]
    fn signs_the_tc3_documented_example() {
        let mut a = args(HttpMethod::Post, "cvm.tencentcloudapi.com", "/");
        a.tc3 = true;
        a.timestamp = Some(1551113065);
        a.secret_id = Some("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE".into());
        a.content_type = Some("application/json; charset=utf-8".into());
        let body = br#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let out = run(
            &a,
            Some(Zeroizing::new("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE".into())),
            body,
        )
        .unwrap();
        assert_eq!(
            out["signature"],
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert!(out["canonical_request"].as_str().unwrap().starts_with("POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n"));
        assert!(out["authorization"]
            .as_str()
            .unwrap()
            .starts_with("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e4"));
        a.timestamp = None;
        assert!(run(&a, Some(Zeroizing::new("k".into())), b"{}")
            .unwrap_err()
            .contains("--timestamp"));
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

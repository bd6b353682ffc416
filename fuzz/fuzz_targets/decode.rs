#![no_main]
//! Query/form decoding never panics, and whatever decodes re-encodes and decodes to the same parameters.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(params) = cvm_proto::encode::decode(data) {
        let again = cvm_proto::encode::decode(cvm_proto::encode::encode(&params).as_bytes());
        assert_eq!(again.as_ref(), Ok(&params));
    }
});

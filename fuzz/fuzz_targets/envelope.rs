#![no_main]
//! Envelope parsing never panics on arbitrary bodies, into JSON or into a typed reply.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cvm_proto::envelope::parse_json(200, data, 1 << 20);
    let _ = cvm_proto::envelope::parse::<cvm_proto::models::DescribeInstancesResponse>(200, data, 1 << 20);
});

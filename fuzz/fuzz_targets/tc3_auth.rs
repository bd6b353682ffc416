#![no_main]
//! The `tc3_auth` target; its body is `targets/tc3_auth.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/tc3_auth/`.

#[path = "../targets/tc3_auth.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

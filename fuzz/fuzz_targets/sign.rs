#![no_main]
//! The `sign` target; its body is `targets/sign.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/sign/`.

#[path = "../targets/sign.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

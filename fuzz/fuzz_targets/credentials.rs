#![no_main]
//! The `credentials` target; its body is `targets/credentials.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/credentials/`.

#[path = "../targets/credentials.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

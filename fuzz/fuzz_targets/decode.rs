#![no_main]
//! The `decode` target; its body is `targets/decode.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/decode/`.

#[path = "../targets/decode.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

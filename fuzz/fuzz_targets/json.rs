#![no_main]
//! The `json` target; its body is `targets/json.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/json/`.

#[path = "../targets/json.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

#![no_main]
//! The `unflatten` target; its body is `targets/unflatten.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/unflatten/`.

#[path = "../targets/unflatten.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

#![no_main]
//! The `envelope` target; its body is `targets/envelope.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/envelope/`.

#[path = "../targets/envelope.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

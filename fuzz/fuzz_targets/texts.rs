#![no_main]
//! The `texts` target; its body is `targets/texts.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/texts/`.

#[path = "../targets/texts.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

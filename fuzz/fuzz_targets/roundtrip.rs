#![no_main]
//! The `roundtrip` target; its body is `targets/roundtrip.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/roundtrip/`.

#[path = "../targets/roundtrip.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

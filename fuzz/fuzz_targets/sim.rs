#![no_main]
//! The `sim` target; its body is `targets/sim.rs`, which the workspace test
//! `benches/tests/fuzz_corpus.rs` also replays over `corpus/sim/`.

#[path = "../targets/sim.rs"]
mod target;

libfuzzer_sys::fuzz_target!(|data: &[u8]| target::run(data));

//! Replays every committed fuzz corpus file (`fuzz/corpus/<target>/*`) through the same target
//! body the fuzzer runs (`fuzz/targets/<target>.rs`), under plain `cargo test` on stable.
//! A target that panics on any file fails the test, and so does a corpus directory without a
//! target here or a target without corpus files.
#![allow(clippy::unwrap_used)]

use std::panic;
use std::path::{Path, PathBuf};

#[path = "../../fuzz/targets/credentials.rs"]
mod credentials;
#[path = "../../fuzz/targets/decode.rs"]
mod decode;
#[path = "../../fuzz/targets/envelope.rs"]
mod envelope;
#[path = "../../fuzz/targets/json.rs"]
mod json;
#[path = "../../fuzz/targets/roundtrip.rs"]
mod roundtrip;
#[path = "../../fuzz/targets/sign.rs"]
mod sign;
#[path = "../../fuzz/targets/sim.rs"]
mod sim;
#[path = "../../fuzz/targets/tc3_auth.rs"]
mod tc3_auth;
#[path = "../../fuzz/targets/texts.rs"]
mod texts;
#[path = "../../fuzz/targets/unflatten.rs"]
mod unflatten;

/// A fuzz target's body.
type Target = fn(&[u8]);

/// Every fuzz target by name, as `cargo fuzz run <name>` knows it.
const TARGETS: &[(&str, Target)] = &[
    ("credentials", credentials::run),
    ("decode", decode::run),
    ("envelope", envelope::run),
    ("json", json::run),
    ("roundtrip", roundtrip::run),
    ("sign", sign::run),
    ("sim", sim::run),
    ("tc3_auth", tc3_auth::run),
    ("texts", texts::run),
    ("unflatten", unflatten::run),
];

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_directory_has_a_target() {
    for entry in std::fs::read_dir(corpus_root()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "fuzz/corpus/{name} has no target in benches/tests/fuzz_corpus.rs"
        );
    }
}

#[test]
fn every_corpus_file_passes_its_target() {
    let mut failures = Vec::new();
    for (name, run) in TARGETS {
        let inputs = files(&corpus_root().join(name));
        assert!(!inputs.is_empty(), "fuzz/corpus/{name} has no seed files");
        for path in inputs {
            let data = std::fs::read(&path).unwrap();
            if panic::catch_unwind(|| run(&data)).is_err() {
                failures.push(format!("{name}: {}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "targets panicked on:\n{}",
        failures.join("\n")
    );
}

//! The committed generated modules are exactly what the generator writes from the committed spec.

use std::path::Path;

#[test]
fn generated_files_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let outputs = cvm_codegen::outputs(&root).expect("the spec renders");
    let stale = cvm_codegen::stale(&root, &outputs);
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo run -p cvm-codegen`"
    );
}

#[test]
fn rendering_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let first = cvm_codegen::outputs(&root).expect("the spec renders");
    let second = cvm_codegen::outputs(&root).expect("the spec renders");
    assert_eq!(first, second);
    // A module per service, the api module, and the typed methods of the two clients.
    assert_eq!(first.len(), cvm_codegen::SERVICES.len() + 3);
}

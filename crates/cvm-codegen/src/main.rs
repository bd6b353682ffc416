//! `cargo run -p cvm-codegen` writes cvm-proto's generated API modules; with `--check` it only
//! compares them with the files on disk and exits with status 1 when any differs.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut check = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("usage: cvm-codegen [--check]");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("cvm-codegen: unknown argument {other:?} (usage: cvm-codegen [--check])");
                return ExitCode::from(2);
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let outputs = match cvm_codegen::outputs(&root) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("cvm-codegen: {e}");
            return ExitCode::from(2);
        }
    };
    if check {
        let stale = cvm_codegen::stale(&root, &outputs);
        if stale.is_empty() {
            return ExitCode::SUCCESS;
        }
        for path in stale {
            eprintln!(
                "cvm-codegen: {} is not what the generator writes; run `cargo run -p cvm-codegen`",
                path.display()
            );
        }
        return ExitCode::from(1);
    }
    for output in &outputs {
        let path = root.join(&output.path);
        if let Some(dir) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("cvm-codegen: {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
        if let Err(e) = std::fs::write(&path, &output.text) {
            eprintln!("cvm-codegen: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

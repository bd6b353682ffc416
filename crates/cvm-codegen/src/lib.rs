//! The generator of cvm-proto's typed API modules.
//!
//! It reads the facts in `spec/<service>.json` (see `spec/README.md`) and renders
//! `crates/cvm-proto/src/api/generated/<service>.rs` for each of [`SERVICES`], plus the
//! `crates/cvm-proto/src/api/mod.rs` that declares them, and the typed methods of the clients
//! (`crates/cvm-blocking/src/api.rs`, `crates/cvm-async/src/api.rs`). Rendering is a pure function of the
//! spec, so the same input always gives the same bytes; the generated files are marked
//! `rustfmt_skip`, so `cargo fmt` leaves them as written.

mod actions;
mod client;
mod flatten;
mod model;
mod module;
mod names;
mod readers;
mod spec;
mod structs;

use std::path::{Path, PathBuf};

pub use actions::{is_read_only, REPEATABLE};
pub use client::{render_client, Flavour};
pub use module::{render, render_mod};
pub use names::snake_case;
pub use spec::{ActionDef, FieldDef, ObjectDef, Spec, TYPED_FIELDS};

use spec::type_fields;

/// The services generated, each with the cvm-proto feature that enables it (`None`: always on).
pub const SERVICES: &[(&str, Option<&str>)] =
    &[("cvm", None), ("vpc", Some("vpc")), ("cbs", Some("cbs"))];

/// Why the generator could not render a service.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A spec file could not be read.
    #[error("{path}: {err}", path = .0.display(), err = .1)]
    Io(PathBuf, std::io::Error),
    /// A spec file is not valid JSON of the expected shape.
    #[error("{path}: {err}", path = .0.display(), err = .1)]
    Json(PathBuf, serde_json::Error),
    /// The spec holds something the generator does not handle.
    #[error("{0}")]
    Spec(String),
}

/// One file the generator writes: its path relative to the workspace root and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The path relative to the workspace root.
    pub path: PathBuf,
    /// The complete text.
    pub text: String,
}

/// The directory of the generated modules, relative to the workspace root.
pub const API_DIR: &str = "crates/cvm-proto/src/api";

/// Every file the generator writes, rendered from the spec files under `root` (the workspace root).
pub fn outputs(root: &Path) -> Result<Vec<Output>, Error> {
    let mut out = Vec::new();
    let mut cvm = None;
    for (service, _) in SERVICES {
        let path = root.join("spec").join(format!("{service}.json"));
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Io(path.clone(), e))?;
        let mut spec: Spec =
            serde_json::from_str(&text).map_err(|e| Error::Json(path.clone(), e))?;
        if *service == "cvm" {
            // The clients' methods are rendered from the spec as written, before typing.
            cvm = Some(spec.clone());
        }
        type_fields(&mut spec);
        if spec.service != *service {
            return Err(Error::Spec(format!(
                "{}: service is {:?}",
                path.display(),
                spec.service
            )));
        }
        out.push(Output {
            path: Path::new(API_DIR)
                .join("generated")
                .join(format!("{service}.rs")),
            text: render(&spec)?,
        });
    }
    out.push(Output {
        path: Path::new(API_DIR).join("mod.rs"),
        text: render_mod(),
    });
    let cvm = cvm.ok_or_else(|| Error::Spec("no cvm service in SERVICES".into()))?;
    for (krate, flavour) in [
        ("cvm-blocking", Flavour::Blocking),
        ("cvm-async", Flavour::Async),
    ] {
        out.push(Output {
            path: Path::new("crates").join(krate).join("src").join("api.rs"),
            text: render_client(&cvm, flavour),
        });
    }
    Ok(out)
}

/// The outputs whose file under `root` is missing or differs.
pub fn stale(root: &Path, outputs: &[Output]) -> Vec<PathBuf> {
    outputs
        .iter()
        .filter(|o| {
            std::fs::read_to_string(root.join(&o.path)).ok().as_deref() != Some(o.text.as_str())
        })
        .map(|o| o.path.clone())
        .collect()
}

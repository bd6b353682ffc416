//! `cvm sim`: run the local emulator in the foreground.

use std::net::SocketAddr;
use std::path::PathBuf;

use cvm_sim::SimConfig;

use crate::output::Failure;

/// Options of `cvm sim`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A JSON configuration (accounts, regions, catalog, quotas, rate limits, transitions, faults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// A JSON state file loaded at start, then written (atomically, mode 0600) before every reply
    /// that changed the state, so that a kill loses nothing acknowledged.
    #[arg(long)]
    state: Option<PathBuf>,
}

/// Runs the emulator until Ctrl-C.
pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            SimConfig::from_json(&text)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?
        }
        None => SimConfig::default(),
    };
    cvm_sim::serve_forever(config, args.listen, args.state.clone()).map_err(|e| Failure {
        status: crate::output::EXIT_TRANSPORT,
        message: e.to_string(),
    })
}

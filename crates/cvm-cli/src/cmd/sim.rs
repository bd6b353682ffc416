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
    /// The seed of the emulator's random numbers (RequestIds, ids, addresses, faults); taken from
    /// the clock unless given here or in --config, so that two runs do not repeat each other.
    #[arg(long)]
    seed: Option<u64>,
}

/// A seed from the clock and the process id.
fn clock_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Folding the 128-bit count keeps its fast-changing low bits.
    (nanos as u64) ^ ((nanos >> 64) as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

/// Runs the emulator until Ctrl-C.
pub(crate) fn run(args: &Args) -> Result<(), Failure> {
    let (config, configured_seed) = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            let config = SimConfig::from_json(&text)
                .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
            let has_seed = serde_json::from_str::<serde_json::Value>(&text)
                .is_ok_and(|v| v.get("seed").is_some());
            (config, has_seed.then_some(()))
        }
        None => (SimConfig::default(), None),
    };
    let config = match (args.seed, configured_seed) {
        (Some(seed), _) => config.with_seed(seed),
        (None, Some(())) => config,
        (None, None) => config.with_seed(clock_seed()),
    };
    eprintln!(
        "seed {} (repeat this run with --seed {})",
        config.seed, config.seed
    );
    cvm_sim::serve_forever(config, args.listen, args.state.clone()).map_err(|e| Failure {
        status: crate::output::EXIT_TRANSPORT,
        message: e.to_string(),
    })
}

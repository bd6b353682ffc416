//! Helpers for the credentials chain's tests: a throw-away home directory, an environment map,
//! an emulator with STS and a metadata service, and a port where nothing listens.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use cvm_client::{BuildClient, Builder};
use cvm_sim::{
    AccountConfig, SimConfig, SimServer, StsConfig, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY,
};

/// A second long-term account of the chain emulator, written into profile files.
pub const FILE_SECRET_ID: &str = "AKIDfileEXAMPLE1234567890abcdefghijkl";
/// Its secret key.
pub const FILE_SECRET_KEY: &str = "filesecretEXAMPLE1234567890abcdef";
/// The instance role the chain emulator's metadata service reports.
pub const INSTANCE_ROLE: &str = "CVM_QcsRole";
/// The OIDC provider the chain emulator accepts.
pub const PROVIDER_ID: &str = "tke-oidc-provider";
/// The web identity token it accepts.
pub const WEB_TOKEN: &str = "eyJhbGciOi.web-identity.token";
/// A role ARN of the right shape.
pub const ROLE_ARN: &str = "qcs::cam::uin/100000000001:roleName/ops";

/// An emulator with the default and the file account, the instance role (when `instance_role`),
/// the OIDC provider and credentials living `lifetime_secs`.
pub fn chain_sim(instance_role: bool, lifetime_secs: u64) -> SimServer {
    let config = SimConfig::default()
        .with_accounts(vec![
            AccountConfig::new(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY),
            AccountConfig::new(FILE_SECRET_ID, FILE_SECRET_KEY).with_owner(DEFAULT_SECRET_ID),
        ])
        .with_rate_limit(None)
        .with_sts(StsConfig {
            lifetime_secs,
            instance_role: instance_role.then(|| INSTANCE_ROLE.to_owned()),
            oidc_providers: vec![cvm_sim::OidcProvider {
                provider_id: PROVIDER_ID.into(),
                token: WEB_TOKEN.into(),
            }],
            owner: None,
        });
    SimServer::start(config).unwrap()
}

/// A temporary directory standing in for `$HOME`, removed when dropped.
#[derive(Debug)]
pub struct TempHome {
    path: PathBuf,
}

impl TempHome {
    /// A fresh, empty directory.
    pub fn new() -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "cvm-chain-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempHome { path }
    }

    /// Writes `text` to `relative` below the home, creating directories.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let file = self.path.join(relative);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    }

    /// Removes `relative` below the home.
    pub fn remove(&self, relative: &str) {
        std::fs::remove_file(self.path.join(relative)).unwrap();
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory as a string.
    pub fn as_str(&self) -> String {
        self.path.to_str().unwrap().to_owned()
    }
}

impl Default for TempHome {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// An environment holding exactly `pairs`.
pub fn env_map(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |k| map.get(k).cloned()
}

/// `http://127.0.0.1:PORT/` where nothing listens (the port was just bound and released).
pub fn closed_url() -> String {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    format!("http://{addr}/")
}

/// A builder of either client with no explicit credentials: the chain runs over `env` (plus
/// `HOME`), with the emulator as CVM endpoint, metadata service and STS.
pub fn chain_client<C: BuildClient>(
    server: &SimServer,
    home: &TempHome,
    env: &[(&str, &str)],
) -> Builder<C> {
    let home = home.as_str();
    let mut pairs: Vec<(&str, &str)> = vec![("HOME", &home)];
    pairs.extend_from_slice(env);
    Builder::default()
        .env(env_map(&pairs))
        .region("ap-guangzhou")
        .endpoint(server.endpoint())
        .metadata_endpoint(server.endpoint())
        .sts_endpoint(server.endpoint())
        .retry(crate::setup::fast_retry(2))
        .timeout(Duration::from_secs(5))
}

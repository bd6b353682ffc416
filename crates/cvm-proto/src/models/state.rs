//! The state of an instance: the open enum [`InstanceState`].

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The state of an instance (`Instance.InstanceState`, `InstanceStatus.InstanceState`), open to
/// values this crate does not know yet.
///
/// Always build it with [`str::parse`] or `From<&str>`, which map the documented values to their
/// variants; it (de)serializes as the plain wire string, and unknown values round-trip unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InstanceState {
    /// `PENDING`: being created.
    Pending,
    /// `LAUNCH_FAILED`: creation failed (terminal).
    LaunchFailed,
    /// `RUNNING`: running.
    Running,
    /// `STOPPED`: stopped.
    Stopped,
    /// `STARTING`: being started.
    Starting,
    /// `STOPPING`: being stopped.
    Stopping,
    /// `REBOOTING`: being rebooted.
    Rebooting,
    /// `SHUTDOWN`: stopped and awaiting destruction (e.g. a prepaid instance in the recycle bin).
    Shutdown,
    /// `TERMINATING`: being destroyed.
    Terminating,
    /// `ENTER_RESCUE_MODE`: entering rescue mode.
    EnterRescueMode,
    /// `RESCUE_MODE`: in rescue mode.
    RescueMode,
    /// `EXIT_RESCUE_MODE`: leaving rescue mode.
    ExitRescueMode,
    /// `ENTER_SERVICE_LIVE_MIGRATE`: entering a service live migration.
    EnterServiceLiveMigrate,
    /// `SERVICE_LIVE_MIGRATE`: in a service live migration.
    ServiceLiveMigrate,
    /// `EXIT_SERVICE_LIVE_MIGRATE`: leaving a service live migration.
    ExitServiceLiveMigrate,
    /// A value not documented when this crate was written, kept verbatim.
    Other(String),
}

impl InstanceState {
    /// The 15 documented states, in the order of the API documentation.
    pub const KNOWN: [InstanceState; 15] = [
        InstanceState::Pending,
        InstanceState::LaunchFailed,
        InstanceState::Running,
        InstanceState::Stopped,
        InstanceState::Starting,
        InstanceState::Stopping,
        InstanceState::Rebooting,
        InstanceState::Shutdown,
        InstanceState::Terminating,
        InstanceState::EnterRescueMode,
        InstanceState::RescueMode,
        InstanceState::ExitRescueMode,
        InstanceState::EnterServiceLiveMigrate,
        InstanceState::ServiceLiveMigrate,
        InstanceState::ExitServiceLiveMigrate,
    ];

    /// The wire spelling, e.g. `RUNNING`; an unknown state gives back its original text.
    pub fn as_str(&self) -> &str {
        match self {
            InstanceState::Pending => "PENDING",
            InstanceState::LaunchFailed => "LAUNCH_FAILED",
            InstanceState::Running => "RUNNING",
            InstanceState::Stopped => "STOPPED",
            InstanceState::Starting => "STARTING",
            InstanceState::Stopping => "STOPPING",
            InstanceState::Rebooting => "REBOOTING",
            InstanceState::Shutdown => "SHUTDOWN",
            InstanceState::Terminating => "TERMINATING",
            InstanceState::EnterRescueMode => "ENTER_RESCUE_MODE",
            InstanceState::RescueMode => "RESCUE_MODE",
            InstanceState::ExitRescueMode => "EXIT_RESCUE_MODE",
            InstanceState::EnterServiceLiveMigrate => "ENTER_SERVICE_LIVE_MIGRATE",
            InstanceState::ServiceLiveMigrate => "SERVICE_LIVE_MIGRATE",
            InstanceState::ExitServiceLiveMigrate => "EXIT_SERVICE_LIVE_MIGRATE",
            InstanceState::Other(other) => other,
        }
    }

    /// Whether the instance is moving between states on its own and should be polled again:
    /// `PENDING`, `STARTING`, `STOPPING`, `REBOOTING`, `TERMINATING` and the `ENTER_*`/`EXIT_*` states.
    ///
    /// `SHUTDOWN` (a recycle-bin state that lasts until a second terminate or expiry), the rescue and
    /// live-migration modes themselves, and unknown states are not transitional.
    pub fn is_transitional(&self) -> bool {
        matches!(
            self,
            InstanceState::Pending
                | InstanceState::Starting
                | InstanceState::Stopping
                | InstanceState::Rebooting
                | InstanceState::Terminating
                | InstanceState::EnterRescueMode
                | InstanceState::ExitRescueMode
                | InstanceState::EnterServiceLiveMigrate
                | InstanceState::ExitServiceLiveMigrate
        )
    }

    /// Whether this is one of the 15 documented states rather than [`InstanceState::Other`].
    pub fn is_known(&self) -> bool {
        !matches!(self, InstanceState::Other(_))
    }
}

impl From<&str> for InstanceState {
    fn from(s: &str) -> Self {
        InstanceState::KNOWN
            .iter()
            .find(|known| known.as_str() == s)
            .cloned()
            .unwrap_or_else(|| InstanceState::Other(s.to_owned()))
    }
}

impl From<String> for InstanceState {
    fn from(s: String) -> Self {
        match InstanceState::from(s.as_str()) {
            InstanceState::Other(_) => InstanceState::Other(s),
            known => known,
        }
    }
}

impl FromStr for InstanceState {
    type Err = Infallible;

    /// Maps a wire value (case-sensitive) to its state; never fails, unknown values become `Other`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(InstanceState::from(s))
    }
}

impl fmt::Display for InstanceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for InstanceState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for InstanceState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(InstanceState::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::InstanceStatus;
    use serde_json::json;

    #[test]
    fn unknown_instance_state_round_trips() {
        let status: InstanceStatus = serde_json::from_value(
            json!({"InstanceId": "ins-1", "InstanceState": "FREEZING_SOLID"}),
        )
        .expect("parses");
        assert_eq!(
            status.instance_state,
            Some(InstanceState::Other("FREEZING_SOLID".into()))
        );
        assert_eq!(
            serde_json::to_value(&status).expect("serializes"),
            json!({"InstanceId": "ins-1", "InstanceState": "FREEZING_SOLID"})
        );
        let null_state: InstanceStatus =
            serde_json::from_value(json!({"InstanceState": null})).expect("parses");
        assert_eq!(null_state.instance_state, None);
    }

    #[test]
    fn instance_state_strings() {
        let mut seen = std::collections::HashSet::new();
        for state in InstanceState::KNOWN {
            assert!(state.is_known());
            assert!(seen.insert(state.as_str().to_owned()), "duplicate {state}");
            let parsed: InstanceState = state.as_str().parse().expect("infallible");
            assert_eq!(parsed, state);
            assert_eq!(state.to_string(), state.as_str());
            assert_eq!(InstanceState::from(state.as_str().to_owned()), state);
            let json = serde_json::to_value(&state).expect("serializes");
            assert_eq!(json, json!(state.as_str()));
            assert_eq!(
                serde_json::from_value::<InstanceState>(json).expect("parses"),
                state
            );
        }
        let other: InstanceState = "running".parse().expect("infallible");
        assert_eq!(other, InstanceState::Other("running".into()));
        assert!(!other.is_known());
        assert_eq!(other.as_str(), "running");
    }

    #[test]
    fn transitional_states() {
        let transitional: Vec<&str> = InstanceState::KNOWN
            .iter()
            .filter(|s| s.is_transitional())
            .map(InstanceState::as_str)
            .collect();
        assert_eq!(
            transitional,
            [
                "PENDING",
                "STARTING",
                "STOPPING",
                "REBOOTING",
                "TERMINATING",
                "ENTER_RESCUE_MODE",
                "EXIT_RESCUE_MODE",
                "ENTER_SERVICE_LIVE_MIGRATE",
                "EXIT_SERVICE_LIVE_MIGRATE",
            ]
        );
        assert!(!InstanceState::Other("NEW".into()).is_transitional());
    }
}

//! Waiting for instances to reach a state: a pure step function over `DescribeInstancesStatus` replies.
//!
//! The transport sends [`Waiter::request`], feeds the reply to [`Waiter::on_reply`], and sleeps for
//! as long as it answers [`WaitStep::PollAfter`].

use std::fmt;
use std::time::Duration;

use thiserror::Error;

use crate::call::CallError;
use crate::models::{
    DescribeInstancesStatusRequest, DescribeInstancesStatusResponse, InstanceState,
};

/// The most instances one `DescribeInstancesStatus` call can report on.
pub const MAX_IDS: usize = 100;

/// What the instances should become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitTarget {
    /// Every instance is in this state.
    State(InstanceState),
    /// Every instance is gone from the listing, as terminated instances are.
    Gone,
}

impl fmt::Display for WaitTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitTarget::State(s) => f.write_str(s.as_str()),
            WaitTarget::Gone => f.write_str("TERMINATED"),
        }
    }
}

impl std::str::FromStr for WaitTarget {
    type Err = String;

    /// `TERMINATED` (or `GONE`) means [`WaitTarget::Gone`]; any documented state name its state.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.to_ascii_uppercase();
        match upper.as_str() {
            "TERMINATED" | "GONE" => Ok(WaitTarget::Gone),
            _ => {
                let state = InstanceState::from(upper.as_str());
                if state.is_known() {
                    Ok(WaitTarget::State(state))
                } else {
                    Err(format!("unknown instance state {s:?}"))
                }
            }
        }
    }
}

/// How often to poll and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// The pause after the first poll; doubled after each poll up to `max_interval`.
    pub first_interval: Duration,
    /// The longest pause between polls.
    pub max_interval: Duration,
    /// Give up once this much time has passed since the wait began.
    pub timeout: Duration,
}

impl Default for WaitOptions {
    /// 1 s doubling to 10 s, for at most 10 minutes.
    fn default() -> Self {
        Self {
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
            timeout: Duration::from_secs(600),
        }
    }
}

impl WaitOptions {
    /// Polls after `first`, doubling up to `max`, for at most `timeout`.
    pub fn new(first: Duration, max: Duration, timeout: Duration) -> Self {
        Self {
            first_interval: first,
            max_interval: max,
            timeout,
        }
    }

    /// The same options with another overall timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Why a wait ended without success.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum WaitError {
    /// No instance ids were given, or more than [`MAX_IDS`].
    #[error("wait needs 1 to {MAX_IDS} instance ids, got {0}")]
    BadIds(usize),
    /// An instance reached a state it cannot leave for the target, such as `LAUNCH_FAILED`.
    #[error("instance {id} is {state}, so it will not become {target}")]
    Failed {
        /// The instance.
        id: String,
        /// Its state.
        state: String,
        /// What was awaited.
        target: String,
    },
    /// An instance disappeared from the listing while a state was awaited.
    #[error("instance {id} no longer exists, so it will not become {target}")]
    Vanished {
        /// The instance.
        id: String,
        /// What was awaited.
        target: String,
    },
    /// The deadline passed first.
    #[error("timed out after {waited:?} waiting for {pending} to become {target}")]
    TimedOut {
        /// How long the wait ran.
        waited: Duration,
        /// Instances not yet there, with their last known state.
        pending: String,
        /// What was awaited.
        target: String,
    },
}

/// What the transport does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitStep {
    /// Sleep this long, then poll again.
    PollAfter(Duration),
    /// Every instance has reached the target.
    Done,
    /// The wait cannot succeed.
    Failed(WaitError),
}

/// The state of one wait: the instances, the target, the last states seen and the polling rhythm.
#[derive(Debug, Clone)]
pub struct Waiter {
    ids: Vec<String>,
    target: WaitTarget,
    options: WaitOptions,
    last: Vec<Option<InstanceState>>,
    polls: u32,
}

impl Waiter {
    /// A wait for `ids` (1 to 100) to reach `target`.
    pub fn new(
        ids: Vec<String>,
        target: WaitTarget,
        options: WaitOptions,
    ) -> Result<Self, WaitError> {
        if ids.is_empty() || ids.len() > MAX_IDS {
            return Err(WaitError::BadIds(ids.len()));
        }
        let n = ids.len();
        Ok(Self {
            ids,
            target,
            options,
            last: vec![None; n],
            polls: 0,
        })
    }

    /// The request to send for the next poll.
    pub fn request(&self) -> DescribeInstancesStatusRequest {
        DescribeInstancesStatusRequest {
            instance_ids: self.ids.clone(),
            offset: None,
            limit: Some(MAX_IDS as i64),
        }
    }

    /// The last state seen of each instance (`None`: not seen yet, or gone).
    pub fn states(&self) -> impl Iterator<Item = (&str, Option<&InstanceState>)> {
        self.ids
            .iter()
            .map(String::as_str)
            .zip(self.last.iter().map(Option::as_ref))
    }

    /// How many polls have been answered.
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// A one-line summary such as `ins-1 PENDING, ins-2 RUNNING`.
    pub fn progress(&self) -> String {
        self.states()
            .map(|(id, s)| format!("{id} {}", s.map_or("-", |s| s.as_str())))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Takes one poll's reply, `elapsed` since the wait began, and answers what comes next.
    pub fn on_reply(
        &mut self,
        reply: &DescribeInstancesStatusResponse,
        elapsed: Duration,
    ) -> WaitStep {
        self.polls += 1;
        let target = self.target.to_string();
        let mut all_there = true;
        for (i, id) in self.ids.iter().enumerate() {
            let state = reply
                .instance_status_set
                .iter()
                .find(|s| s.instance_id.as_deref() == Some(id.as_str()))
                .and_then(|s| s.instance_state.clone());
            self.last[i] = state.clone();
            match (&self.target, state) {
                (WaitTarget::Gone, None) => {}
                (WaitTarget::Gone, Some(_)) => all_there = false,
                (WaitTarget::State(_), None) => {
                    return WaitStep::Failed(WaitError::Vanished {
                        id: id.clone(),
                        target,
                    })
                }
                (WaitTarget::State(want), Some(have)) if *want == have => {}
                (WaitTarget::State(want), Some(have)) => {
                    if is_dead_end(want, &have) {
                        return WaitStep::Failed(WaitError::Failed {
                            id: id.clone(),
                            state: have.as_str().to_owned(),
                            target,
                        });
                    }
                    all_there = false;
                }
            }
        }
        if all_there {
            return WaitStep::Done;
        }
        match self.next_poll(elapsed) {
            Some(after) => WaitStep::PollAfter(after),
            None => WaitStep::Failed(self.timed_out(elapsed)),
        }
    }

    /// Takes a poll that failed after its own retries: `Some(pause)` to poll again (the failure
    /// was transient and time is left), `None` to end the wait with that error.
    pub fn on_poll_error(&mut self, error: &CallError, elapsed: Duration) -> Option<Duration> {
        if !error.is_transient() {
            return None;
        }
        self.polls += 1;
        self.next_poll(elapsed)
    }

    /// The pause before the next poll, cut short so that the last poll falls on the deadline;
    /// `None` once the deadline has passed. A wait thus uses all of its time.
    fn next_poll(&self, elapsed: Duration) -> Option<Duration> {
        let left = self.options.timeout.checked_sub(elapsed)?;
        if left.is_zero() {
            return None;
        }
        Some(self.interval().min(left))
    }

    /// The error to report when polling itself keeps failing until the deadline.
    pub fn timed_out(&self, elapsed: Duration) -> WaitError {
        let pending = self
            .states()
            .filter(|(_, s)| match (&self.target, s) {
                (WaitTarget::Gone, s) => s.is_some(),
                (WaitTarget::State(want), Some(have)) => want != *have,
                (WaitTarget::State(_), None) => true,
            })
            .map(|(id, s)| format!("{id} ({})", s.map_or("unknown", |s| s.as_str())))
            .collect::<Vec<_>>()
            .join(", ");
        WaitError::TimedOut {
            waited: elapsed,
            pending,
            target: self.target.to_string(),
        }
    }

    fn interval(&self) -> Duration {
        let exp = self.polls.saturating_sub(1).min(16);
        self.options
            .first_interval
            .saturating_mul(1 << exp)
            .min(self.options.max_interval)
    }
}

/// Whether an instance in state `have` can never reach `want`: it failed to launch or is being destroyed.
///
/// `STOPPED` while awaiting `RUNNING` is not a dead end: right after `StartInstances` the service
/// may still report the old state for a moment, so only the deadline ends such a wait.
fn is_dead_end(want: &InstanceState, have: &InstanceState) -> bool {
    use InstanceState::*;
    want != have && matches!(have, LaunchFailed | Shutdown | Terminating)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::InstanceStatus;

    fn reply(states: &[(&str, &str)]) -> DescribeInstancesStatusResponse {
        DescribeInstancesStatusResponse {
            total_count: Some(states.len() as i64),
            instance_status_set: states
                .iter()
                .map(|(id, s)| InstanceStatus {
                    instance_id: Some((*id).into()),
                    instance_state: Some(InstanceState::from(*s)),
                })
                .collect(),
        }
    }

    fn opts() -> WaitOptions {
        WaitOptions {
            first_interval: Duration::from_millis(100),
            max_interval: Duration::from_millis(400),
            timeout: Duration::from_secs(2),
        }
    }

    #[test]
    fn polls_with_backoff_until_running() {
        let mut w = Waiter::new(
            vec!["ins-1".into(), "ins-2".into()],
            WaitTarget::State(InstanceState::Running),
            opts(),
        )
        .unwrap();
        assert_eq!(w.request().instance_ids, ["ins-1", "ins-2"]);
        let pending = reply(&[("ins-1", "PENDING"), ("ins-2", "RUNNING")]);
        assert_eq!(
            w.on_reply(&pending, Duration::ZERO),
            WaitStep::PollAfter(Duration::from_millis(100))
        );
        assert_eq!(
            w.on_reply(&pending, Duration::ZERO),
            WaitStep::PollAfter(Duration::from_millis(200))
        );
        assert_eq!(
            w.on_reply(&pending, Duration::ZERO),
            WaitStep::PollAfter(Duration::from_millis(400))
        );
        assert_eq!(
            w.on_reply(&pending, Duration::ZERO),
            WaitStep::PollAfter(Duration::from_millis(400))
        );
        assert_eq!(w.progress(), "ins-1 PENDING, ins-2 RUNNING");
        assert_eq!(
            w.on_reply(
                &reply(&[("ins-2", "RUNNING"), ("ins-1", "RUNNING")]),
                Duration::ZERO
            ),
            WaitStep::Done
        );
    }

    #[test]
    fn launch_failed_is_a_clear_failure() {
        let mut w = Waiter::new(
            vec!["ins-1".into()],
            WaitTarget::State(InstanceState::Running),
            opts(),
        )
        .unwrap();
        let step = w.on_reply(&reply(&[("ins-1", "LAUNCH_FAILED")]), Duration::ZERO);
        let WaitStep::Failed(err) = step else {
            panic!("{step:?}")
        };
        assert_eq!(
            err.to_string(),
            "instance ins-1 is LAUNCH_FAILED, so it will not become RUNNING"
        );
    }

    #[test]
    fn vanishing_is_success_only_when_waiting_for_termination() {
        let mut gone = Waiter::new(vec!["ins-1".into()], WaitTarget::Gone, opts()).unwrap();
        assert!(matches!(
            gone.on_reply(&reply(&[("ins-1", "TERMINATING")]), Duration::ZERO),
            WaitStep::PollAfter(_)
        ));
        assert_eq!(gone.on_reply(&reply(&[]), Duration::ZERO), WaitStep::Done);
        let mut run = Waiter::new(
            vec!["ins-1".into()],
            WaitTarget::State(InstanceState::Running),
            opts(),
        )
        .unwrap();
        assert!(matches!(
            run.on_reply(&reply(&[]), Duration::ZERO),
            WaitStep::Failed(WaitError::Vanished { .. })
        ));
    }

    #[test]
    fn times_out_naming_the_laggards() {
        let mut w = Waiter::new(
            vec!["ins-1".into(), "ins-2".into()],
            WaitTarget::State(InstanceState::Stopped),
            opts(),
        )
        .unwrap();
        let step = w.on_reply(
            &reply(&[("ins-1", "STOPPING"), ("ins-2", "STOPPED")]),
            Duration::from_secs(2),
        );
        let WaitStep::Failed(WaitError::TimedOut { pending, .. }) = step else {
            panic!("{step:?}")
        };
        assert_eq!(pending, "ins-1 (STOPPING)");
    }

    #[test]
    fn dead_ends_and_bad_ids() {
        let mut w = Waiter::new(
            vec!["ins-1".into()],
            WaitTarget::State(InstanceState::Running),
            opts(),
        )
        .unwrap();
        assert!(matches!(
            w.on_reply(&reply(&[("ins-1", "STOPPED")]), Duration::ZERO),
            WaitStep::PollAfter(_)
        ));
        assert!(matches!(
            w.on_reply(&reply(&[("ins-1", "TERMINATING")]), Duration::ZERO),
            WaitStep::Failed(WaitError::Failed { .. })
        ));
        assert_eq!(
            Waiter::new(vec![], WaitTarget::Gone, opts()).unwrap_err(),
            WaitError::BadIds(0)
        );
        assert_eq!(
            Waiter::new(vec!["i".into(); 101], WaitTarget::Gone, opts()).unwrap_err(),
            WaitError::BadIds(101)
        );
        assert_eq!(
            "terminated".parse::<WaitTarget>().unwrap(),
            WaitTarget::Gone
        );
        assert_eq!(
            "running".parse::<WaitTarget>().unwrap(),
            WaitTarget::State(InstanceState::Running)
        );
        assert!("BOGUS".parse::<WaitTarget>().is_err());
        // An unknown state from a newer service is waited through, not treated as failure.
        assert!(matches!(
            w.on_reply(&reply(&[("ins-1", "NEW_STATE")]), Duration::ZERO),
            WaitStep::PollAfter(_)
        ));
    }
}

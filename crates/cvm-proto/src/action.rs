//! The link between a typed request, its action name and its typed reply.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A typed request for one API action: its parameters serialize (through [`crate::flatten`]) to the action's flat parameters.
pub trait Action: Serialize {
    /// The action name sent as the `Action` parameter, e.g. `RunInstances`.
    const NAME: &'static str;

    /// The typed content of the reply's `Response` object (without `RequestId`).
    type Output: DeserializeOwned;

    /// Whether sending this request twice has the same effect as sending it once, so that a
    /// transport failure may be retried. `Describe*` actions are; others are when they carry a `ClientToken`.
    fn is_idempotent(&self) -> bool {
        is_read_only(Self::NAME)
    }
}

/// Whether an action name only reads state (`Describe*`, `Inquiry*`), so retrying it is always safe.
pub fn is_read_only(action: &str) -> bool {
    action.starts_with("Describe") || action.starts_with("Inquiry")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_actions() {
        assert!(is_read_only("DescribeInstances"));
        assert!(is_read_only("InquiryPriceRunInstances"));
        assert!(!is_read_only("RunInstances"));
        assert!(!is_read_only("TerminateInstances"));
    }
}

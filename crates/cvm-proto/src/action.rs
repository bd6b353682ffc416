//! The link between a typed request, its action name, its typed reply, and the facts about the
//! action that decide how it may be retried.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A typed request for one API action: its parameters serialize (through [`crate::flatten`]) to the action's flat parameters.
pub trait Action: Serialize {
    /// The action name sent as the `Action` parameter, e.g. `RunInstances`.
    const NAME: &'static str;

    /// Whether the action only reads state (`Describe*`, `Inquiry*`), so that resending it is always safe.
    const READ_ONLY: bool;

    /// The request field that makes the action idempotent (`ClientToken`), if it has one; a call
    /// gets a fresh token in that field when the caller set none.
    const CLIENT_TOKEN: Option<&'static str> = None;

    /// Whether repeating the action has the effect of doing it once (e.g. terminating), so that
    /// an attempt that may have reached the service can be sent again.
    const IDEMPOTENT: bool = Self::READ_ONLY;

    /// Error codes with which a repeated request says that its effect is already in place (e.g.
    /// `UnsupportedOperation.InstanceStateTerminating` for a second TerminateInstances): after an
    /// attempt that may have taken effect, such an answer is the call's success.
    const ALREADY_DONE: &'static [&'static str] = &[];

    /// The typed content of the reply's `Response` object (without `RequestId`).
    type Output: DeserializeOwned;

    /// Writes the request's flat parameters into `params`, leaving it unchanged on error: the
    /// generated types write them field by field, others go through the serde flattener.
    fn flatten_into(&self, params: &mut crate::Params) -> Result<(), crate::flatten::FlattenError> {
        crate::flatten::flatten_into(self, params)
    }

    /// [`flatten_into`](Self::flatten_into) with `common` merged in: parameters that every
    /// request carries, in ascending byte order of their keys, none of them a key this request
    /// writes. The generated types write them in their places while flattening, so that the set
    /// comes out in key order in one pass.
    fn flatten_with_common(
        &self,
        params: &mut crate::Params,
        common: &[(&'static str, &str)],
    ) -> Result<(), crate::PrepareError> {
        self.flatten_into(params)?;
        Ok(params.insert_sorted_known(common)?)
    }

    /// Checks that the request holds no NaN or infinite number, which a JSON body cannot carry:
    /// the one check a TC3 POST needs instead of flattening. By default it flattens the request
    /// and throws the parameters away; the generated types look only at their float fields.
    fn check_finite(&self) -> Result<(), crate::flatten::FlattenError> {
        self.flatten_into(&mut crate::Params::new())
    }

    /// Whether sending this request twice has the same effect as sending it once, so that a
    /// transport failure may be retried: [`IDEMPOTENT`](Self::IDEMPOTENT) actions are; others
    /// may say so for some values.
    fn is_idempotent(&self) -> bool {
        Self::IDEMPOTENT
    }
}

/// The facts of one action, for calls made by name (`cvm call`, `call_json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionInfo {
    /// The action name.
    pub name: &'static str,
    /// Whether it only reads state.
    pub read_only: bool,
    /// The field of its idempotency token, if it has one.
    pub client_token: Option<&'static str>,
    /// Whether repeating it has the effect of doing it once.
    pub idempotent: bool,
    /// Error codes that, after an attempt that may have taken effect, mean it did.
    pub already_done: &'static [&'static str],
}

impl ActionInfo {
    /// The facts of the typed action `A`.
    pub const fn of<A: Action>() -> Self {
        Self {
            name: A::NAME,
            read_only: A::READ_ONLY,
            client_token: A::CLIENT_TOKEN,
            idempotent: A::IDEMPOTENT,
            already_done: A::ALREADY_DONE,
        }
    }
}

/// The facts of the action called `name`: those of its typed model when there is one.
///
/// An action without a model is taken as read-only when its name says so (`Describe*`,
/// `Inquiry*`: the service's naming rule for actions that change nothing) and as having no
/// idempotency token; every other action is not retried after a transport failure.
pub fn info(name: &str) -> ActionInfo {
    match crate::models::ACTIONS.iter().find(|a| a.name == name) {
        Some(info) => *info,
        None => {
            let read_only = name.starts_with("Describe") || name.starts_with("Inquiry");
            ActionInfo {
                name: "",
                read_only,
                client_token: None,
                idempotent: read_only,
                already_done: &[],
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_actions() {
        assert!(info("DescribeInstances").read_only);
        assert!(info("InquiryPriceRunInstances").read_only);
        assert!(!info("RunInstances").read_only);
        assert!(!info("TerminateInstances").read_only);
        assert_eq!(info("RunInstances").client_token, Some("ClientToken"));
        assert_eq!(info("DescribeInstances").name, "DescribeInstances");
        assert_eq!(info("DescribeKeyPairs").name, "");
        assert!(info("DescribeKeyPairs").read_only);
        assert!(!info("CreateKeyPair").read_only);
        let terminate = info("TerminateInstances");
        assert!(terminate.idempotent && !terminate.read_only);
        assert!(terminate
            .already_done
            .contains(&"InvalidInstanceId.NotFound"));
        assert!(!info("RunInstances").idempotent);
    }

    #[test]
    fn the_registry_agrees_with_the_models() {
        for a in crate::models::ACTIONS {
            assert_eq!(
                a.read_only,
                a.name.starts_with("Describe") || a.name.starts_with("Inquiry"),
                "{}",
                a.name
            );
        }
        assert_eq!(crate::models::ACTIONS.len(), 11);
    }
}

//! The generated `Action` of each request: its name, whether it only reads, and when it is safe to
//! resend.

use std::fmt::Write as _;

use crate::spec::{ActionDef, ObjectDef};

/// Actions that are safe to repeat although they change state (repeating one has the effect of
/// doing it once), each with the error codes by which a repeat says that its effect is in place.
/// Read-only actions are repeatable anyway; every other action is not, unless it takes a
/// `ClientToken`. Knowledge of the service, not of the spec, so it is kept here by hand.
pub const REPEATABLE: &[(&str, &[&str])] = &[(
    "TerminateInstances",
    &[
        "UnsupportedOperation.InstanceStateShuttingDown",
        "UnsupportedOperation.InstanceStateTerminating",
        "UnsupportedOperation.InstanceStateTerminated",
        "InvalidInstanceId.NotFound",
    ],
)];

/// Whether an action only reads: the service's naming, `Describe*` and `Inquiry*` (prices).
pub fn is_read_only(action: &str) -> bool {
    action.starts_with("Describe") || action.starts_with("Inquiry")
}

/// The `Action` impl of one request.
pub(crate) fn render_action(s: &mut String, a: &ActionDef, input: &ObjectDef) {
    let read_only = is_read_only(&a.name);
    let _ = writeln!(s, "\nimpl crate::Action for {} {{", a.input);
    let _ = writeln!(s, "    const NAME: &'static str = \"{}\";", a.name);
    let _ = writeln!(s, "    const READ_ONLY: bool = {read_only};");
    if input.fields.iter().any(|f| f.name == "ClientToken") {
        s.push_str("    const CLIENT_TOKEN: Option<&'static str> = Some(\"ClientToken\");\n");
    }
    if let Some((_, codes)) = REPEATABLE.iter().find(|(name, _)| *name == a.name) {
        s.push_str("    const IDEMPOTENT: bool = true;\n");
        let codes: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
        let _ = writeln!(
            s,
            "    const ALREADY_DONE: &'static [&'static str] = &[{}];",
            codes.join(", ")
        );
    }
    let _ = writeln!(s, "    type Output = {};", a.output);
    s.push_str("\n    fn flatten_into(&self, params: &mut crate::Params) -> Result<(), crate::flatten::FlattenError> {\n        crate::flatten::flatten_direct(self, params)\n    }\n");
    s.push_str("\n    fn flatten_with_common(&self, params: &mut crate::Params, common: &[(&'static str, &str)]) -> Result<(), crate::PrepareError> {\n        crate::flatten::flatten_with_common(self, params, common)\n    }\n");
    s.push_str("\n    fn check_finite(&self) -> Result<(), crate::flatten::FlattenError> {\n        crate::flatten::check_finite(self)\n    }\n");
    // A request with a token, or a dry run that creates nothing, is safe to send again.
    let optional = |name: &str, ty: &str| {
        input
            .fields
            .iter()
            .any(|f| f.name == name && f.ty == ty && !f.required)
    };
    let mut safe = Vec::new();
    if optional("ClientToken", "string") {
        safe.push("self.client_token.is_some()");
    }
    if optional("DryRun", "bool") {
        safe.push("self.dry_run == Some(true)");
    }
    if !safe.is_empty() {
        s.push_str("\n    /// Safe to resend when it carries a `ClientToken` or is a dry run that changes nothing.\n");
        let _ = writeln!(
            s,
            "    fn is_idempotent(&self) -> bool {{\n        Self::IDEMPOTENT || {}\n    }}",
            safe.join(" || ")
        );
    }
    s.push_str("}\n");
}

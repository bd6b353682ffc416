//! What the newer resource groups share: new ids and times, the caller's instances by id, and
//! the conversions between the hand-written instance model and the generated reply types.

use cvm_proto::api::cvm;
use cvm_proto::models::{Filter, InstanceState};
use rand::Rng as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{check_filters, has_id_form, Call};
use crate::error::{ApiFailure, ApiResult};
use crate::sim::{Sim, SimInstance};
use crate::time;

/// The standard base64 alphabet, for generated keys.
const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl Sim {
    /// A fresh id: `prefix` and 8 random lower-case letters or digits.
    pub(super) fn new_id(&mut self, prefix: &str) -> String {
        format!("{prefix}{}", self.random_suffix())
    }

    /// The emulator's time of `call` in the API's ISO form, `2024-01-28T00:00:00Z`.
    pub(super) fn iso_now(&self, call: &Call<'_>) -> String {
        time::format_utc(self.server_time(call.now))
    }

    /// The caller's instances `ids` (checked and found), in the order given.
    pub(super) fn owned_instances(&self, call: &Call<'_>, ids: &[String]) -> ApiResult<Vec<u64>> {
        if ids.is_empty() {
            return Err(ApiFailure::missing("InstanceIds"));
        }
        self.targets(call.owner, &call.region, ids)
    }

    /// The caller's instance `id`.
    pub(super) fn owned_instance(&self, call: &Call<'_>, id: &str) -> ApiResult<u64> {
        let seqs = self.targets(call.owner, &call.region, &[id.to_owned()])?;
        seqs.first()
            .copied()
            .ok_or_else(|| ApiFailure::missing("InstanceId"))
    }

    /// The instance kept under `seq`; it exists for every `seq` the lookups above return.
    pub(super) fn at(&self, seq: u64) -> ApiResult<&SimInstance> {
        self.instances.get(&seq).ok_or_else(internal)
    }

    /// The instance kept under `seq`, for changing.
    pub(super) fn at_mut(&mut self, seq: u64) -> ApiResult<&mut SimInstance> {
        self.instances.get_mut(&seq).ok_or_else(internal)
    }

    /// `UnsupportedOperation.InstanceState*` unless the instance is `STOPPED`, or `RUNNING` with `force`.
    pub(super) fn require_stopped(&self, seqs: &[u64], force: bool) -> ApiResult<()> {
        let mut allowed = vec![InstanceState::Stopped];
        if force {
            allowed.push(InstanceState::Running);
        }
        self.require_state(seqs, &allowed)
    }

    /// Whether an instance runs Windows, from its image or its OS name.
    pub(super) fn is_windows(&self, inst: &SimInstance) -> bool {
        let image = inst.model.image_id.as_deref();
        let platform = self
            .config
            .images
            .iter()
            .find(|i| i.image_id.as_deref() == image && image.is_some())
            .and_then(|i| i.platform.clone())
            .or_else(|| {
                self.resources
                    .images
                    .iter()
                    .find(|i| i.model.image_id.as_deref() == image && image.is_some())
                    .and_then(|i| i.model.platform.clone())
            });
        match platform {
            Some(p) => p == "Windows",
            None => inst
                .model
                .os_name
                .as_deref()
                .is_some_and(|o| o.contains("Windows")),
        }
    }

    /// Marks the instance's latest operation `name` as done by this call.
    pub(super) fn note_operation(&mut self, seq: u64, name: &str, call: &Call<'_>) {
        if let Some(inst) = self.instances.get_mut(&seq) {
            inst.model.latest_operation = Some(name.to_owned());
            inst.model.latest_operation_state = Some("SUCCESS".to_owned());
            inst.model.latest_operation_request_id = Some(call.cx.request_id.clone());
        }
    }

    /// `len` random bytes as base64, for generated key material.
    pub(super) fn random_base64(&mut self, len: usize) -> String {
        let mut bytes = vec![0u8; len];
        self.rng.fill_bytes(&mut bytes);
        base64(&bytes)
    }
}

/// Standard base64 with padding.
pub(super) fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The reply's `InternalError` for state that should exist and does not.
pub(super) fn internal() -> ApiFailure {
    ApiFailure::new("InternalError", "An internal error has occurred.")
}

/// One model as another with the same wire form (hand-written to generated and back).
pub(super) fn convert<T: Serialize, U: DeserializeOwned>(value: &T) -> ApiResult<U> {
    serde_json::to_value(value)
        .and_then(serde_json::from_value)
        .map_err(|_| internal())
}

/// Checks generated filters like the hand-written ones: how many, and values per filter.
pub(super) fn check_generated_filters(filters: &[cvm::Filter], max_values: usize) -> ApiResult<()> {
    let plain: Vec<Filter> = filters
        .iter()
        .map(|f| Filter {
            name: f.name.clone(),
            values: f.values.clone(),
        })
        .collect();
    check_filters(&plain, max_values)
}

/// Checks the form of ids starting with `prefix` (`skey-`, `img-`, ...), with `code` for a bad one.
pub(super) fn check_ids(ids: &[String], prefix: &str, code: &'static str) -> ApiResult<()> {
    if let Some(id) = ids.iter().find(|id| !has_id_form(id, prefix)) {
        return Err(ApiFailure::new(
            code,
            format!("The ID `{id}` is malformed; it looks like `{prefix}xxxxxxxx`."),
        ));
    }
    Ok(())
}

/// The tags of `resource_type` among tag specifications.
pub(super) fn tags_for(specs: &[cvm::TagSpecification], resource_type: &str) -> Vec<cvm::Tag> {
    specs
        .iter()
        .filter(|s| s.resource_type.as_deref() == Some(resource_type))
        .flat_map(|s| s.tags.iter().cloned())
        .collect()
}

/// Whether tags satisfy a `tag-key`, `tag-value` or `tag:<key>` filter; `None` for other names.
pub(super) fn tag_filter(tags: &[cvm::Tag], filter: &cvm::Filter) -> Option<bool> {
    let any = |v: Option<&str>| filter.values.iter().any(|x| v == Some(x.as_str()));
    match filter.name.as_str() {
        "tag-key" => Some(tags.iter().any(|t| any(t.key.as_deref()))),
        "tag-value" => Some(tags.iter().any(|t| any(t.value.as_deref()))),
        name => name.strip_prefix("tag:").map(|key| {
            tags.iter()
                .any(|t| t.key.as_deref() == Some(key) && any(t.value.as_deref()))
        }),
    }
}
/// `2024-01-28T00:00:00Z` as `2024-01-28 00:00:00`, the form of the spec's `datetime` fields.
pub(super) fn plain_time(iso: &str) -> String {
    iso.replace('T', " ").trim_end_matches('Z').to_owned()
}

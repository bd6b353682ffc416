//! Key pairs: `CreateKeyPair`, `ImportKeyPair`, `DescribeKeyPairs`, `ModifyKeyPairAttribute`,
//! `DeleteKeyPairs`, and binding them to instances with `AssociateInstancesKeyPairs` and
//! `DisassociateInstancesKeyPairs`.
//!
//! A key pair's `AssociatedInstanceIds` are read from the instances' login settings, so that
//! they stay right when instances go away. Binding and unbinding need a `STOPPED` Linux
//! instance, or a `RUNNING` one with `ForceStop`, which is then stopped.

use cvm_proto::api::cvm::{
    AssociateInstancesKeyPairsRequest, AssociateInstancesKeyPairsResponse, CreateKeyPairRequest,
    CreateKeyPairResponse, DeleteKeyPairsRequest, DeleteKeyPairsResponse, DescribeKeyPairsRequest,
    DescribeKeyPairsResponse, DisassociateInstancesKeyPairsRequest,
    DisassociateInstancesKeyPairsResponse, Filter, ImportKeyPairRequest, ImportKeyPairResponse,
    KeyPair, ModifyKeyPairAttributeRequest, ModifyKeyPairAttributeResponse,
};
use cvm_proto::models::{InstanceState, LoginSettings};
use cvm_proto::Action;

use super::instances::Operation;
use super::owned::{check_generated_filters, check_ids, tag_filter, tags_for};
use super::{invalid_filter, object, page, Call, Reply};
use crate::error::{ApiFailure, ApiResult};
use crate::resources::SimKeyPair;
use crate::sim::Sim;

/// Key pairs one account may hold in one region.
const MAX_KEY_PAIRS: usize = 100;

impl Sim {
    /// `CreateKeyPair`: a new key pair whose private key is returned once, in this reply.
    pub(super) fn create_key_pair(
        &mut self,
        call: &Call<'_>,
        req: CreateKeyPairRequest,
    ) -> ApiResult<Reply> {
        self.check_new_key_pair(call, &req.key_name, req.project_id)?;
        let body = self.random_base64(270);
        let public_key = format!("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{body}");
        let mut private_key = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
        let secret = self.random_base64(1190);
        for line in secret.as_bytes().chunks(64) {
            private_key.push_str(&String::from_utf8_lossy(line));
            private_key.push('\n');
        }
        private_key.push_str("-----END RSA PRIVATE KEY-----\n");
        let mut model = self.add_key_pair(call, &req.key_name, req.project_id, public_key);
        model.tags = tags_for(&req.tag_specification, "keypair");
        if let Some(kp) = self.resources.key_pairs.last_mut() {
            kp.model.tags = model.tags.clone();
        }
        model.private_key = Some(private_key);
        object(&CreateKeyPairResponse {
            key_pair: Some(model),
        })
    }

    /// `ImportKeyPair`: a key pair from an OpenSSH public key.
    pub(super) fn import_key_pair(
        &mut self,
        call: &Call<'_>,
        req: ImportKeyPairRequest,
    ) -> ApiResult<Reply> {
        self.check_new_key_pair(call, &req.key_name, req.project_id)?;
        let key = req.public_key.trim().to_owned();
        check_public_key(&key)?;
        let same = |k: &&SimKeyPair| {
            k.owner == call.owner
                && k.region == call.region
                && k.model.public_key.as_deref() == Some(key.as_str())
        };
        if self.resources.key_pairs.iter().any(|k| same(&k)) {
            return Err(ApiFailure::new(
                "InvalidPublicKey.Duplicate",
                "This public key is already imported as another key pair.",
            ));
        }
        let model = self.add_key_pair(call, &req.key_name, req.project_id, key);
        if let Some(kp) = self.resources.key_pairs.last_mut() {
            kp.model.tags = tags_for(&req.tag_specification, "keypair");
        }
        object(&ImportKeyPairResponse {
            key_id: model.key_id,
        })
    }

    /// `DescribeKeyPairs`: the caller's key pairs in the region, by id or filters, one page of them.
    pub(super) fn describe_key_pairs(
        &self,
        call: &Call<'_>,
        req: DescribeKeyPairsRequest,
    ) -> ApiResult<Reply> {
        check_ids(&req.key_ids, "skey-", "InvalidKeyPairId.Malformed")?;
        check_generated_filters(&req.filters, 5)?;
        let (offset, limit) = page(req.offset, req.limit)?;
        let mut matching = Vec::new();
        for kp in self.key_pairs_of(call) {
            let id = kp.model.key_id.as_deref().unwrap_or_default();
            if !req.key_ids.is_empty() && !req.key_ids.iter().any(|k| k == id) {
                continue;
            }
            let mut keep = true;
            for f in &req.filters {
                keep &= key_pair_matches(&kp.model, f)?;
            }
            if keep {
                matching.push(self.key_pair_view(kp));
            }
        }
        let total = matching.len();
        object(&DescribeKeyPairsResponse {
            total_count: Some(total as i64),
            key_pair_set: matching.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// `ModifyKeyPairAttribute`: a new name or description.
    pub(super) fn modify_key_pair_attribute(
        &mut self,
        call: &Call<'_>,
        req: ModifyKeyPairAttributeRequest,
    ) -> ApiResult<Reply> {
        let index = self.key_pair_index(call, &req.key_id)?;
        if let Some(name) = &req.key_name {
            check_key_name(name)?;
            self.check_key_name_free(call, name, Some(&req.key_id))?;
        }
        if let Some(kp) = self.resources.key_pairs.get_mut(index) {
            if let Some(name) = req.key_name {
                kp.model.key_name = Some(name);
            }
            if let Some(d) = req.description {
                kp.model.description = Some(d);
            }
        }
        object(&ModifyKeyPairAttributeResponse {})
    }

    /// `DeleteKeyPairs`: refused while a key pair is bound to an instance.
    pub(super) fn delete_key_pairs(
        &mut self,
        call: &Call<'_>,
        req: DeleteKeyPairsRequest,
    ) -> ApiResult<Reply> {
        if req.key_ids.is_empty() {
            return Err(ApiFailure::missing("KeyIds"));
        }
        for id in &req.key_ids {
            self.key_pair_index(call, id)?;
            if let Some(inst) = self.bound_to(call, id).first() {
                return Err(ApiFailure::new(
                    "InvalidParameterValue.KeyPairNotSupported",
                    format!("The key pair `{id}` is bound to instance `{inst}`; unbind it first."),
                ));
            }
        }
        let (owner, region) = (call.owner, call.region.as_str());
        self.resources.key_pairs.retain(|k| {
            !(k.owner == owner
                && k.region == region
                && req
                    .key_ids
                    .iter()
                    .any(|id| k.model.key_id.as_deref() == Some(id)))
        });
        object(&DeleteKeyPairsResponse {})
    }

    /// `AssociateInstancesKeyPairs`: binds key pairs to stopped Linux instances.
    pub(super) fn associate_instances_key_pairs(
        &mut self,
        call: &Call<'_>,
        req: AssociateInstancesKeyPairsRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.check_binding(call, &req.instance_ids, &req.key_ids, req.force_stop)?;
        for &seq in &seqs {
            let inst = self.at_mut(seq)?;
            let login = inst
                .model
                .login_settings
                .get_or_insert_with(LoginSettings::default);
            for k in &req.key_ids {
                if !login.key_ids.contains(k) {
                    login.key_ids.push(k.clone());
                }
            }
            login.password = None;
            login.keep_image_login = None;
        }
        self.stop_forced(&seqs, AssociateInstancesKeyPairsRequest::NAME, call);
        object(&AssociateInstancesKeyPairsResponse {})
    }

    /// `DisassociateInstancesKeyPairs`: unbinds key pairs bound to stopped Linux instances.
    pub(super) fn disassociate_instances_key_pairs(
        &mut self,
        call: &Call<'_>,
        req: DisassociateInstancesKeyPairsRequest,
    ) -> ApiResult<Reply> {
        let seqs = self.check_binding(call, &req.instance_ids, &req.key_ids, req.force_stop)?;
        for &seq in &seqs {
            let inst = self.at(seq)?;
            let bound = inst
                .model
                .login_settings
                .as_ref()
                .map(|l| l.key_ids.clone())
                .unwrap_or_default();
            if let Some(k) = req.key_ids.iter().find(|k| !bound.contains(k)) {
                return Err(ApiFailure::new(
                    "FailedOperation.DisassociateKeyPairFailed",
                    format!(
                        "The key pair `{k}` is not bound to instance `{}`.",
                        inst.id()
                    ),
                ));
            }
        }
        for &seq in &seqs {
            let inst = self.at_mut(seq)?;
            if let Some(login) = inst.model.login_settings.as_mut() {
                login.key_ids.retain(|k| !req.key_ids.contains(k));
            }
        }
        self.stop_forced(&seqs, DisassociateInstancesKeyPairsRequest::NAME, call);
        object(&DisassociateInstancesKeyPairsResponse {})
    }

    /// The checks binding and unbinding share: existing keys, Linux instances, the right state.
    fn check_binding(
        &self,
        call: &Call<'_>,
        instance_ids: &[String],
        key_ids: &[String],
        force_stop: Option<bool>,
    ) -> ApiResult<Vec<u64>> {
        if key_ids.is_empty() {
            return Err(ApiFailure::missing("KeyIds"));
        }
        let seqs = self.owned_instances(call, instance_ids)?;
        for k in key_ids {
            self.key_pair_index(call, k)?;
        }
        for &seq in &seqs {
            if self.is_windows(self.at(seq)?) {
                return Err(ApiFailure::new(
                    "UnsupportedOperation.KeyPairUnsupportedWindows",
                    "Key pairs cannot log in to Windows instances.",
                ));
            }
        }
        self.require_stopped(&seqs, force_stop == Some(true))?;
        Ok(seqs)
    }

    /// Stops the instances among `seqs` that are running (the effect of `ForceStop`).
    pub(super) fn stop_forced(&mut self, seqs: &[u64], name: &'static str, call: &Call<'_>) {
        let stop = Operation {
            name,
            during: InstanceState::Stopping,
            to: InstanceState::Stopped,
            after: self.config.transitions.stop,
            remove: false,
        };
        for &seq in seqs {
            let running = self
                .instances
                .get(&seq)
                .is_some_and(|i| i.state() == InstanceState::Running);
            if running {
                self.begin(seq, &stop, call);
            } else {
                self.note_operation(seq, name, call);
            }
        }
    }

    /// The caller's key pairs in the region, oldest first.
    fn key_pairs_of<'a>(&'a self, call: &'a Call<'_>) -> impl Iterator<Item = &'a SimKeyPair> {
        self.resources
            .key_pairs
            .iter()
            .filter(move |k| k.owner == call.owner && k.region == call.region)
    }

    /// The position of the caller's key pair `id`, or `InvalidKeyPairId.*`.
    pub(super) fn key_pair_index(&self, call: &Call<'_>, id: &str) -> ApiResult<usize> {
        check_ids(&[id.to_owned()], "skey-", "InvalidKeyPairId.Malformed")?;
        self.resources
            .key_pairs
            .iter()
            .position(|k| {
                k.owner == call.owner
                    && k.region == call.region
                    && k.model.key_id.as_deref() == Some(id)
            })
            .ok_or_else(|| {
                ApiFailure::new(
                    "InvalidKeyPairId.NotFound",
                    format!("The key pair `{id}` is not found."),
                )
            })
    }

    /// The caller's instances in the region the key pair `id` is bound to.
    fn bound_to(&self, call: &Call<'_>, id: &str) -> Vec<String> {
        self.owned(call.owner, &call.region)
            .filter(|i| {
                i.model
                    .login_settings
                    .as_ref()
                    .is_some_and(|l| l.key_ids.iter().any(|k| k == id))
            })
            .map(|i| i.id().to_owned())
            .collect()
    }

    /// A key pair as `DescribeKeyPairs` shows it, with the instances it is bound to.
    fn key_pair_view(&self, kp: &SimKeyPair) -> KeyPair {
        let id = kp.model.key_id.as_deref().unwrap_or_default();
        let mut model = kp.model.clone();
        model.private_key = None;
        model.associated_instance_ids = self
            .owned(&kp.owner, &kp.region)
            .filter(|i| {
                i.model
                    .login_settings
                    .as_ref()
                    .is_some_and(|l| l.key_ids.iter().any(|k| k == id))
            })
            .map(|i| i.id().to_owned())
            .collect();
        model
    }

    /// Checks a new key pair's name (well-formed, unused), project and the quota.
    fn check_new_key_pair(&self, call: &Call<'_>, name: &str, project_id: i64) -> ApiResult<()> {
        check_key_name(name)?;
        if project_id < 0 {
            return Err(ApiFailure::new(
                "InvalidProjectId.NotFound",
                format!("The project `{project_id}` is not found."),
            ));
        }
        self.check_key_name_free(call, name, None)?;
        if self.key_pairs_of(call).count() >= MAX_KEY_PAIRS {
            return Err(ApiFailure::new(
                "InvalidKeyPair.LimitExceeded",
                format!("At most {MAX_KEY_PAIRS} key pairs may be held in one region."),
            ));
        }
        Ok(())
    }

    /// `InvalidKeyPairName.Duplicate` if another of the caller's key pairs has `name`.
    fn check_key_name_free(
        &self,
        call: &Call<'_>,
        name: &str,
        except: Option<&str>,
    ) -> ApiResult<()> {
        let taken = self.key_pairs_of(call).any(|k| {
            k.model.key_name.as_deref() == Some(name) && k.model.key_id.as_deref() != except
        });
        if taken {
            return Err(ApiFailure::new(
                "InvalidKeyPairName.Duplicate",
                format!("A key pair named `{name}` already exists."),
            ));
        }
        Ok(())
    }

    /// Keeps a new key pair and returns its model.
    fn add_key_pair(
        &mut self,
        call: &Call<'_>,
        name: &str,
        project_id: i64,
        public_key: String,
    ) -> KeyPair {
        let model = KeyPair {
            key_id: Some(self.new_id("skey-")),
            key_name: Some(name.to_owned()),
            project_id: Some(project_id),
            description: Some(String::new()),
            public_key: Some(public_key),
            private_key: None,
            associated_instance_ids: Vec::new(),
            created_time: Some(self.iso_now(call)),
            tags: Vec::new(),
        };
        self.resources.key_pairs.push(SimKeyPair {
            owner: call.owner.to_owned(),
            region: call.region.clone(),
            model: model.clone(),
        });
        model
    }
}

/// A key pair name: 1-25 letters, digits and underscores.
fn check_key_name(name: &str) -> ApiResult<()> {
    if name.is_empty() {
        return Err(ApiFailure::new(
            "InvalidKeyPairNameEmpty",
            "The key pair name is empty.",
        ));
    }
    if name.chars().count() > 25 {
        return Err(ApiFailure::new(
            "InvalidKeyPairNameTooLong",
            "The key pair name is longer than 25 characters.",
        ));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ApiFailure::new(
            "InvalidKeyPairNameIncludeIllegalChar",
            "A key pair name holds only letters, digits and underscores.",
        ));
    }
    Ok(())
}

/// An OpenSSH public key: a known algorithm, then base64.
fn check_public_key(key: &str) -> ApiResult<()> {
    let mut parts = key.split_whitespace();
    let algorithm = parts.next().unwrap_or_default();
    let body = parts.next().unwrap_or_default();
    let known = matches!(
        algorithm,
        "ssh-rsa"
            | "ssh-ed25519"
            | "ecdsa-sha2-nistp256"
            | "ecdsa-sha2-nistp384"
            | "ecdsa-sha2-nistp521"
    );
    let base64 = body.len() >= 16
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    if !known || !base64 {
        return Err(ApiFailure::new(
            "InvalidPublicKey.Malformed",
            "The public key is not in OpenSSH format (`ssh-rsa AAAA...`).",
        ));
    }
    Ok(())
}

/// Whether a key pair satisfies one `DescribeKeyPairs` filter.
fn key_pair_matches(model: &KeyPair, filter: &Filter) -> ApiResult<bool> {
    let any = |v: Option<&str>| filter.values.iter().any(|x| v == Some(x.as_str()));
    Ok(match filter.name.as_str() {
        "project-id" => any(model.project_id.map(|p| p.to_string()).as_deref()),
        "key-name" => any(model.key_name.as_deref()),
        "key-id" => any(model.key_id.as_deref()),
        name => match tag_filter(&model.tags, filter) {
            Some(ok) => ok,
            None => return Err(invalid_filter(name)),
        },
    })
}

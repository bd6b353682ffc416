//! Credentials that may have to be fetched and refreshed: a role assumed with STS, the CVM
//! instance role, the TKE OIDC role, or "whichever of the last two answers" when the static part
//! of the chain found nothing.
//!
//! The [`Core`](crate::Core) holds a [`Provider`]. Before each attempt a client asks
//! [`Core::credentials_step`](crate::Core::credentials_step): either the current credentials, or a
//! [`Refresh`] to drive. A refresh is a small step machine like the call's: it yields the
//! [`HttpRequest`]s to send (each with the timeout to send it within) and takes their outcomes;
//! requests are built and replies parsed by [`cvm_proto::sts`] and [`cvm_proto::metadata`]. The
//! client holds a lock while it refreshes and asks again once it has it, so that concurrent
//! callers wait for one refresh instead of each making their own.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use cvm_proto::metadata::{self, MetadataError};
use cvm_proto::profile::{self, ChainError, Source, WebIdentityConfig};
use cvm_proto::sts::{self, RoleRequest, StsError, TemporaryCredentials};
use cvm_proto::{Credentials, Endpoint, HttpRequest, HttpResponse, TransportError};
use zeroize::{Zeroize, Zeroizing};

/// Where credentials are fetched from and how eagerly they are refreshed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSettings {
    /// The metadata service (`http://metadata.tencentyun.com/` on a CVM).
    pub metadata_endpoint: Endpoint,
    /// How long one metadata request may take in all, connection included; off-cloud it fails within this.
    pub metadata_timeout: Duration,
    /// The STS endpoint (`https://sts.tencentcloudapi.com/`).
    pub sts_endpoint: Endpoint,
    /// How long one STS request may take in all.
    pub sts_timeout: Duration,
    /// The region `AssumeRole` is sent with.
    pub sts_region: String,
    /// Credentials are refreshed when less than this remains before they expire.
    pub refresh_margin: Duration,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            metadata_endpoint: metadata::default_endpoint(),
            metadata_timeout: Duration::from_secs(1),
            sts_endpoint: sts::default_endpoint(),
            sts_timeout: Duration::from_secs(10),
            sts_region: sts::STS_DEFAULT_REGION.to_owned(),
            refresh_margin: sts::DEFAULT_REFRESH_MARGIN,
        }
    }
}

/// How credentials are obtained again.
#[derive(Clone)]
pub(crate) enum Kind {
    /// Never: they do not expire.
    Static,
    /// `AssumeRole` of `role` signed with `keys`, which came from `via`.
    AssumeRole {
        keys: Credentials,
        role: RoleRequest,
        via: Source,
    },
    /// The instance role from the metadata service (its name learnt on the first fetch).
    InstanceRole { role: Option<String> },
    /// The TKE OIDC role.
    WebIdentity(WebIdentityConfig),
    /// The instance role, then the OIDC role if configured; `looked` are the places the static chain tried.
    Probe {
        looked: Vec<String>,
        web_identity: Option<WebIdentityConfig>,
    },
}

struct Current {
    credentials: Credentials,
    expires_at: Option<i64>,
}

struct State {
    kind: Kind,
    source: Source,
    current: Option<Current>,
    refreshes: u64,
}

/// A client's credentials and how to renew them. `Debug` shows no secret.
pub(crate) struct Provider {
    settings: FetchSettings,
    state: Mutex<State>,
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Provider")
            .field("source", &state.source)
            .field(
                "credentials",
                &state.current.as_ref().map(|c| &c.credentials),
            )
            .field(
                "expires_at",
                &state.current.as_ref().and_then(|c| c.expires_at),
            )
            .finish_non_exhaustive()
    }
}

/// What a client does before an attempt: sign with these credentials, or renew them first.
#[derive(Debug)]
pub enum CredentialStep {
    /// Sign with these.
    Ready(Credentials),
    /// Drive this refresh (holding the client's refresh lock), then hand it to [`Core::finish_refresh`](crate::Core::finish_refresh).
    Refresh(Box<Refresh>),
}

impl Provider {
    pub(crate) fn new(
        kind: Kind,
        source: Source,
        current: Option<Credentials>,
        settings: FetchSettings,
    ) -> Self {
        Provider {
            settings,
            state: Mutex::new(State {
                kind,
                source,
                current: current.map(|credentials| Current {
                    credentials,
                    expires_at: None,
                }),
                refreshes: 0,
            }),
        }
    }

    #[cfg(test)]
    pub(crate) fn fixed(credentials: Credentials, source: Source) -> Self {
        Self::new(
            Kind::Static,
            source,
            Some(credentials),
            FetchSettings::default(),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn current(&self) -> Option<Credentials> {
        self.lock().current.as_ref().map(|c| c.credentials.clone())
    }

    pub(crate) fn source(&self) -> Source {
        self.lock().source.clone()
    }

    pub(crate) fn refreshes(&self) -> u64 {
        self.lock().refreshes
    }

    /// Marks fetched credentials with this secret id as expired, so the next attempt renews them;
    /// answers whether it did (long-term credentials are never dropped).
    pub(crate) fn expire(&self, secret_id: &str) -> bool {
        let mut state = self.lock();
        if matches!(state.kind, Kind::Static) {
            return false;
        }
        match &mut state.current {
            Some(c) if c.credentials.secret_id() == secret_id && c.expires_at.is_some() => {
                c.expires_at = Some(i64::MIN);
                true
            }
            _ => false,
        }
    }

    pub(crate) fn settings(&self) -> &FetchSettings {
        &self.settings
    }

    /// The credentials to sign with at Unix time `now`, or the refresh that must come first.
    pub(crate) fn step(&self, now: u64) -> CredentialStep {
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        let state = self.lock();
        if let Some(c) = &state.current {
            if !sts::needs_refresh(c.expires_at, now, self.settings.refresh_margin) {
                return CredentialStep::Ready(c.credentials.clone());
            }
        }
        let candidates = match &state.kind {
            Kind::Static => match &state.current {
                Some(c) => return CredentialStep::Ready(c.credentials.clone()),
                None => Vec::new(),
            },
            Kind::AssumeRole { keys, role, via } => vec![Candidate::Assume {
                keys: keys.clone(),
                role: role.clone(),
                via: via.clone(),
            }],
            Kind::InstanceRole { role } => vec![Candidate::Instance { role: role.clone() }],
            Kind::WebIdentity(w) => vec![Candidate::Web(w.clone())],
            Kind::Probe { web_identity, .. } => {
                let mut c = vec![Candidate::Instance { role: None }];
                c.extend(web_identity.clone().map(Candidate::Web));
                c
            }
        };
        let looked = match &state.kind {
            Kind::Probe { looked, .. } => Some(looked.clone()),
            _ => None,
        };
        CredentialStep::Refresh(Box::new(Refresh {
            settings: self.settings.clone(),
            now,
            candidates: candidates.into_iter().rev().collect(),
            looked,
            stage: Stage::Next,
            outcome: None,
            tried_web: false,
        }))
    }

    /// Stores what `refresh` obtained; a failed refresh keeps credentials that have not expired yet.
    pub(crate) fn finish(
        &self,
        refresh: Box<Refresh>,
        now: u64,
    ) -> Result<Credentials, ChainError> {
        let now = i64::try_from(now).unwrap_or(i64::MAX);
        let mut state = self.lock();
        match refresh.outcome {
            Some(Ok(won)) => {
                state.refreshes += 1;
                let credentials = won.temporary.credentials.clone();
                state.current = Some(Current {
                    credentials: won.temporary.credentials,
                    expires_at: Some(won.temporary.expires_at),
                });
                state.source = won.source;
                // Once a source of the probe has answered, only it is asked again.
                if let Some(kind) = won.kind {
                    state.kind = kind;
                }
                Ok(credentials)
            }
            Some(Err(e)) => match &state.current {
                Some(c) if sts::still_valid(c.expires_at, now) => Ok(c.credentials.clone()),
                _ => Err(e),
            },
            None => Err(ChainError::Fetch {
                source_name: "credentials refresh".into(),
                reason: "the refresh was not driven to its end".into(),
            }),
        }
    }
}

#[derive(Clone)]
enum Candidate {
    Assume {
        keys: Credentials,
        role: RoleRequest,
        via: Source,
    },
    Instance {
        role: Option<String>,
    },
    Web(WebIdentityConfig),
}

enum Stage {
    /// Start the next candidate, or finish.
    Next,
    /// The role list was asked for.
    RoleList,
    /// The credentials of `role` were asked for.
    RoleCredentials { role: String },
    /// An STS request of this candidate was sent.
    Sts(Candidate),
    /// Over; the outcome is set.
    Done,
}

struct Won {
    temporary: TemporaryCredentials,
    source: Source,
    /// The kind to use from now on, when it changes (a probe's winner).
    kind: Option<Kind>,
}

/// One renewal of credentials across the requests it takes (e.g. the metadata role list, then the
/// role's credentials). `Debug` shows no secret.
pub struct Refresh {
    settings: FetchSettings,
    now: i64,
    /// Candidates still to try, the next one last.
    candidates: Vec<Candidate>,
    /// For a probe: the places looked at so far (the whole chain's, for the final error).
    looked: Option<Vec<String>>,
    stage: Stage,
    outcome: Option<Result<Won, ChainError>>,
    /// Whether the OIDC role was tried (else the final error says it is not configured).
    tried_web: bool,
}

impl fmt::Debug for Refresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refresh")
            .field("now", &self.now)
            .field("candidates", &self.candidates.len())
            .field("done", &self.outcome.is_some())
            .finish_non_exhaustive()
    }
}

/// What a client does next while refreshing.
#[derive(Debug)]
pub enum RefreshStep {
    /// Send `request`, giving up after `timeout` in all, and hand the outcome to [`Refresh::step`].
    Send {
        /// The request.
        request: HttpRequest,
        /// The most the exchange may take, connection included.
        timeout: Duration,
    },
    /// The refresh is over; hand it to [`Core::finish_refresh`](crate::Core::finish_refresh).
    Done,
}

fn metadata_place(endpoint: &Endpoint) -> String {
    format!("CVM instance role at {}", endpoint.url())
}

impl Refresh {
    /// Takes the outcome of the request sent last (`None` at the start) and says what comes next.
    pub fn step(&mut self, outcome: Option<Result<HttpResponse, TransportError>>) -> RefreshStep {
        let mut outcome = outcome;
        loop {
            let stage = std::mem::replace(&mut self.stage, Stage::Done);
            match stage {
                Stage::Done => return RefreshStep::Done,
                Stage::Next => match self.candidates.pop() {
                    None => {
                        let mut looked = self.looked.take().unwrap_or_default();
                        if !self.tried_web {
                            looked.push(format!(
                                "TKE OIDC role ({} and {} unset)",
                                profile::ENV_TKE_PROVIDER_ID,
                                profile::ENV_TKE_ROLE_ARN
                            ));
                        }
                        self.outcome = Some(Err(ChainError::NotFound { looked }));
                        return RefreshStep::Done;
                    }
                    Some(candidate) => {
                        self.tried_web |= matches!(candidate, Candidate::Web(_));
                        if let Some(send) = self.start(candidate) {
                            return send;
                        }
                    }
                },
                Stage::RoleList => {
                    let endpoint = self.settings.metadata_endpoint.clone();
                    let result = match outcome.take() {
                        Some(Ok(r)) => {
                            metadata::parse_role_list(r.status, &r.body).map_err(|e| e.to_string())
                        }
                        Some(Err(t)) => Err(unreachable(&t)),
                        None => Err("no reply".into()),
                    };
                    match result {
                        Ok(role) => match metadata::role_credentials_request(&endpoint, &role) {
                            Ok(request) => {
                                self.stage = Stage::RoleCredentials { role };
                                return RefreshStep::Send {
                                    request,
                                    timeout: self.settings.metadata_timeout,
                                };
                            }
                            Err(e) => self.fail(metadata_place(&endpoint), e.to_string()),
                        },
                        Err(reason) => self.fail(metadata_place(&endpoint), reason),
                    }
                }
                Stage::RoleCredentials { role } => {
                    let endpoint = self.settings.metadata_endpoint.clone();
                    let result = match outcome.take() {
                        Some(Ok(mut r)) => {
                            let parsed = metadata::parse_role_credentials(r.status, &r.body)
                                .map_err(|e: MetadataError| e.to_string());
                            // The reply held the secret key and token in plain bytes.
                            r.body.zeroize();
                            parsed
                        }
                        Some(Err(t)) => Err(unreachable(&t)),
                        None => Err("no reply".into()),
                    };
                    match result {
                        Ok(temporary) => {
                            self.win(Won {
                                temporary,
                                source: Source::InstanceRole { role: role.clone() },
                                kind: Some(Kind::InstanceRole { role: Some(role) }),
                            });
                            return RefreshStep::Done;
                        }
                        Err(reason) => {
                            self.fail(format!("{} role {role}", metadata_place(&endpoint)), reason)
                        }
                    }
                }
                Stage::Sts(candidate) => {
                    let place = sts_place(&candidate, &self.settings.sts_endpoint);
                    let result = match outcome.take() {
                        Some(Ok(mut r)) => {
                            let parsed = sts::parse_reply(r.status, &r.body)
                                .map_err(|e: StsError| e.to_string());
                            r.body.zeroize();
                            parsed
                        }
                        Some(Err(t)) => Err(unreachable(&t)),
                        None => Err("no reply".into()),
                    };
                    match result {
                        Ok(temporary) => {
                            let (source, kind) = match candidate {
                                Candidate::Assume { role, via, .. } => (
                                    Source::AssumedRole {
                                        role_arn: role.role_arn,
                                        via: Box::new(via),
                                    },
                                    None,
                                ),
                                Candidate::Web(w) => (
                                    Source::WebIdentity {
                                        role_arn: w.role.role_arn.clone(),
                                        provider_id: w.provider_id.clone(),
                                    },
                                    Some(Kind::WebIdentity(w)),
                                ),
                                Candidate::Instance { .. } => (Source::Pending, None),
                            };
                            self.win(Won {
                                temporary,
                                source,
                                kind,
                            });
                            return RefreshStep::Done;
                        }
                        Err(reason) => self.fail(place, reason),
                    }
                }
            }
        }
    }

    /// The first request of `candidate`, or `None` when it failed before sending (recorded).
    fn start(&mut self, candidate: Candidate) -> Option<RefreshStep> {
        let timestamp = u64::try_from(self.now).unwrap_or_default();
        let s = &self.settings;
        let built = match &candidate {
            Candidate::Instance { role: Some(role) } => {
                match metadata::role_credentials_request(&s.metadata_endpoint, role) {
                    Ok(request) => {
                        self.stage = Stage::RoleCredentials { role: role.clone() };
                        return Some(RefreshStep::Send {
                            request,
                            timeout: s.metadata_timeout,
                        });
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Candidate::Instance { role: None } => {
                self.stage = Stage::RoleList;
                return Some(RefreshStep::Send {
                    request: metadata::role_list_request(&s.metadata_endpoint),
                    timeout: s.metadata_timeout,
                });
            }
            Candidate::Assume { keys, role, .. } => {
                sts::assume_role_request(&s.sts_endpoint, &s.sts_region, keys, role, timestamp)
                    .map_err(|e| e.to_string())
            }
            Candidate::Web(w) => read_token(&w.token_file).and_then(|token| {
                sts::assume_role_with_web_identity_request(
                    &s.sts_endpoint,
                    &w.region,
                    &w.provider_id,
                    &token,
                    &w.role,
                    timestamp,
                )
                .map_err(|e| e.to_string())
            }),
        };
        match built {
            Ok(request) => {
                let timeout = s.sts_timeout;
                self.stage = Stage::Sts(candidate);
                Some(RefreshStep::Send { request, timeout })
            }
            Err(reason) => {
                let place = match &candidate {
                    Candidate::Instance { .. } => metadata_place(&s.metadata_endpoint),
                    other => sts_place(other, &s.sts_endpoint),
                };
                self.fail(place, reason);
                None
            }
        }
    }

    fn win(&mut self, won: Won) {
        self.outcome = Some(Ok(won));
        self.stage = Stage::Done;
    }

    /// Records that the current candidate failed: a probe moves on to the next, anything else ends.
    fn fail(&mut self, place: String, reason: String) {
        match &mut self.looked {
            Some(looked) => {
                looked.push(format!("{place} ({reason})"));
                self.stage = Stage::Next;
            }
            None => {
                self.outcome = Some(Err(ChainError::Fetch {
                    source_name: place,
                    reason,
                }));
                self.stage = Stage::Done;
            }
        }
    }
}

fn sts_place(candidate: &Candidate, endpoint: &Endpoint) -> String {
    match candidate {
        Candidate::Assume { role, .. } => {
            format!("STS AssumeRole {} at {}", role.role_arn, endpoint.url())
        }
        Candidate::Web(w) => format!(
            "TKE OIDC role {} (AssumeRoleWithWebIdentity at {})",
            w.role.role_arn,
            endpoint.url()
        ),
        Candidate::Instance { .. } => metadata_place(endpoint),
    }
}

fn unreachable(t: &TransportError) -> String {
    if t.timed_out {
        format!("no answer in time: {}", t.message)
    } else {
        format!("unreachable: {}", t.message)
    }
}

/// The web identity token file's text (TKE rotates it, so it is read at every refresh).
fn read_token(path: &str) -> Result<Zeroizing<String>, String> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|e| format!("{path}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> FetchSettings {
        FetchSettings {
            metadata_endpoint: Endpoint::parse("http://127.0.0.1:1/").unwrap(),
            sts_endpoint: Endpoint::parse("http://127.0.0.1:2/").unwrap(),
            ..FetchSettings::default()
        }
    }

    fn refused() -> Result<HttpResponse, TransportError> {
        Err(TransportError {
            maybe_sent: false,
            timed_out: false,
            message: "connection refused".into(),
        })
    }

    fn send(step: RefreshStep) -> HttpRequest {
        match step {
            RefreshStep::Send { request, .. } => request,
            RefreshStep::Done => panic!("expected a request"),
        }
    }

    const ROLE_REPLY: &str = r#"{"TmpSecretId":"AKIDtmp","TmpSecretKey":"tmpkey","ExpiredTime":1700000600,"Token":"tok","Code":"Success"}"#;

    #[test]
    fn a_probe_names_every_place_when_nothing_answers() {
        let p = Provider::new(
            Kind::Probe {
                looked: vec!["environment (unset)".into()],
                web_identity: None,
            },
            Source::Pending,
            None,
            settings(),
        );
        let CredentialStep::Refresh(mut r) = p.step(1_700_000_000) else {
            panic!()
        };
        let req = send(r.step(None));
        assert!(req
            .url
            .ends_with("/latest/meta-data/cam/security-credentials/"));
        assert!(matches!(r.step(Some(refused())), RefreshStep::Done));
        let err = p.finish(r, 1_700_000_000).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("environment (unset)"), "{text}");
        assert!(
            text.contains(
                "CVM instance role at http://127.0.0.1:1/ (unreachable: connection refused)"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_instance_role_is_fetched_then_kept_until_the_margin() {
        let p = Provider::new(
            Kind::Probe {
                looked: vec![],
                web_identity: None,
            },
            Source::Pending,
            None,
            settings(),
        );
        let now = 1_700_000_000;
        let CredentialStep::Refresh(mut r) = p.step(now) else {
            panic!()
        };
        send(r.step(None));
        let req = send(r.step(Some(Ok(HttpResponse::new(200, "ops-role")))));
        assert!(req.url.ends_with("/security-credentials/ops-role"));
        assert!(matches!(
            r.step(Some(Ok(HttpResponse::new(200, ROLE_REPLY)))),
            RefreshStep::Done
        ));
        let c = p.finish(r, now).unwrap();
        assert_eq!(c.secret_id(), "AKIDtmp");
        assert_eq!(
            p.source(),
            Source::InstanceRole {
                role: "ops-role".into()
            }
        );
        // 600 s of life, 300 s of margin: fresh until 1_700_000_300.
        assert!(matches!(p.step(now + 299), CredentialStep::Ready(_)));
        let CredentialStep::Refresh(mut r) = p.step(now + 300) else {
            panic!()
        };
        // The role's name is known now: straight to its credentials.
        let req = send(r.step(None));
        assert!(req.url.ends_with("/ops-role"));
        // A failed refresh keeps the credentials that are still valid...
        r.step(Some(refused()));
        assert_eq!(p.finish(r, now + 300).unwrap().secret_id(), "AKIDtmp");
        // ...but not expired ones.
        let CredentialStep::Refresh(mut r) = p.step(now + 600) else {
            panic!()
        };
        send(r.step(None));
        r.step(Some(Ok(HttpResponse::new(200, "{bad json"))));
        let err = p.finish(r, now + 600).unwrap_err();
        assert!(matches!(err, ChainError::Fetch { .. }), "{err}");
        assert!(!err.to_string().contains("tmpkey"));
        assert_eq!(p.refreshes(), 1);
    }

    #[test]
    fn assume_role_signs_with_the_keys() {
        let keys = Credentials::new("AKIDbase", "basekey").unwrap();
        let p = Provider::new(
            Kind::AssumeRole {
                keys,
                role: RoleRequest::new("qcs::cam::uin/1:roleName/ops"),
                via: Source::Environment,
            },
            Source::Pending,
            None,
            settings(),
        );
        let CredentialStep::Refresh(mut r) = p.step(1_700_000_000) else {
            panic!()
        };
        let req = send(r.step(None));
        assert!(req.url.starts_with("http://127.0.0.1:2/"));
        let reply = r#"{"Response":{"Credentials":{"TmpSecretId":"AKIDrole","TmpSecretKey":"k","Token":"t"},"ExpiredTime":1700007200,"Expiration":"x","RequestId":"r"}}"#;
        r.step(Some(Ok(HttpResponse::new(200, reply))));
        assert_eq!(p.finish(r, 1_700_000_000).unwrap().secret_id(), "AKIDrole");
        assert_eq!(
            p.source().to_string(),
            "role qcs::cam::uin/1:roleName/ops assumed with keys from environment (TENCENTCLOUD_SECRET_ID)"
        );
        assert!(!format!("{p:?}").contains("basekey"));
        // Refused fetched credentials are dropped; long-term ones never are.
        assert!(!p.expire("AKIDother"));
        assert!(p.expire("AKIDrole"));
        assert!(matches!(p.step(1_700_000_000), CredentialStep::Refresh(_)));
        let fixed = Provider::fixed(Credentials::new("AKIDx", "k").unwrap(), Source::Explicit);
        assert!(!fixed.expire("AKIDx"));
    }
}

//! Chain validation: rustls-webpki builds and judges the path with the
//! crate's signature backend, the profile's limits reject paths webpki would
//! accept, and the explainer walks candidate issuers to say which certificate
//! failed and why. The explainer never changes the verdict.

mod explain;
pub mod forecast;
pub mod lint;
pub mod name_constraints;
pub mod policy;
pub mod request;
pub mod revocation;

use std::cell::RefCell;
use std::time::Duration;

use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, ExtendedKeyUsageValidator, KeyPurposeIdIter};

use crate::crl::UsableCrl;
use crate::crypto::ALL_ALGORITHMS;
use crate::profile::{AnchorRule, PresentedIntermediates, Profile};
use crate::report::{Finding, PathEntry, PathFacts, Severity, Verdict};
use crate::rules::certificate::Role;
use crate::rules::finding;
use crate::x509::load::LoadedCertificate;

use policy::PathNode;

/// The usage the leaf certificate must be valid for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Client,
    Server,
}

impl Usage {
    pub fn as_str(self) -> &'static str {
        match self {
            Usage::Client => "client",
            Usage::Server => "server",
        }
    }
}

/// The origin of a certificate in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Presented,
    Truststore,
}

/// A certificate that may take part in a path.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    pub loaded: &'a LoadedCertificate,
    pub source: Source,
    pub is_anchor: bool,
}

/// The outcome of verify.
pub struct Outcome {
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub path: PathFacts,
}

/// EKU is judged by the profile in `policy`, per role, so webpki's own
/// check (which applies to CA certificates too) is switched off here.
struct EkuJudgedByProfile;

impl ExtendedKeyUsageValidator for EkuJudgedByProfile {
    fn validate(&self, _iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        Ok(())
    }
}

/// A path webpki would accept but the profile rejected.
struct Rejection {
    nodes: Vec<(usize, Role)>,
    findings: Vec<Finding>,
}

fn unix_time(at: i64) -> UnixTime {
    UnixTime::since_unix_epoch(Duration::from_secs(at.max(0) as u64))
}

/// Splits the truststore and the presented certificates into anchors and
/// intermediates as the profile requires.
fn candidates<'a>(
    profile: &Profile,
    presented: &'a [LoadedCertificate],
    truststore: &'a [LoadedCertificate],
) -> Vec<Candidate<'a>> {
    let mut pool = Vec::new();
    for loaded in truststore {
        let is_anchor = match profile.anchors.value {
            AnchorRule::AnyTruststoreCertificate => true,
            AnchorRule::SelfSignedRoots => loaded.cert.self_signed,
        };
        pool.push(Candidate {
            loaded,
            source: Source::Truststore,
            is_anchor,
        });
    }
    if profile.presented_intermediates.value == PresentedIntermediates::Used {
        for loaded in presented {
            pool.push(Candidate {
                loaded,
                source: Source::Presented,
                is_anchor: false,
            });
        }
    }
    pool
}

/// Verifies `leaf` with the certificates the client sent and the truststore.
pub fn verify(
    leaf: &LoadedCertificate,
    presented: &[LoadedCertificate],
    truststore: &[LoadedCertificate],
    profile: &Profile,
    usage: Usage,
    peer_name: Option<&str>,
    at: i64,
) -> Outcome {
    verify_with_crls(
        leaf,
        presented,
        truststore,
        profile,
        usage,
        peer_name,
        at,
        &[],
    )
}

/// [`verify`] with CRLs that passed their own checks: a certificate they
/// revoke on the accepted path denies it where the profile checks revocation,
/// and is reported as a warning where it does not.
#[allow(clippy::too_many_arguments)]
pub fn verify_with_crls(
    leaf: &LoadedCertificate,
    presented: &[LoadedCertificate],
    truststore: &[LoadedCertificate],
    profile: &Profile,
    usage: Usage,
    peer_name: Option<&str>,
    at: i64,
    crls: &[UsableCrl],
) -> Outcome {
    let pool = candidates(profile, presented, truststore);
    let result = run_webpki(leaf, &pool, profile, usage, at, None);

    let mut outcome = match result {
        Ok(nodes) => accepted(leaf, &pool, nodes, profile, usage, at),
        Err((error, rejections)) => denied(
            leaf, presented, truststore, &pool, profile, usage, at, error, rejections,
        ),
    };

    if outcome.verdict == Verdict::Accept && !crls.is_empty() {
        revocation::check(&mut outcome, leaf, &pool, profile, usage, at, crls);
    }

    if outcome.verdict == Verdict::Accept {
        if let Some(name) = peer_name {
            if let Some(mismatch) = check_peer_name(leaf, name) {
                outcome.findings.push(mismatch);
                outcome.verdict = Verdict::Deny;
            }
        }
    }
    outcome.path.usage = usage.as_str().to_string();
    outcome.path.peer_name = peer_name.map(str::to_string);
    outcome
}

/// Returns the time webpki judges validity at. With the gateway's expiry
/// switch on, an expired client certificate is judged at its own notAfter so
/// webpki does not reject it; the profile rules still run at `at`, so an
/// expired CA on the path is still an error (`cert.expired`).
fn webpki_time(leaf: &LoadedCertificate, profile: &Profile, at: i64) -> i64 {
    if profile.ignore_client_expiry && at > leaf.cert.not_after {
        leaf.cert.not_after.max(leaf.cert.not_before)
    } else {
        at
    }
}

type WebpkiResult = Result<Vec<(usize, Role)>, (webpki::Error, Vec<Rejection>)>;

fn run_webpki(
    leaf: &LoadedCertificate,
    pool: &[Candidate],
    profile: &Profile,
    usage: Usage,
    at: i64,
    revocation: Option<webpki::RevocationOptions<'_>>,
) -> WebpkiResult {
    let leaf_der = CertificateDer::from(leaf.cert.der.as_slice());
    let end_entity = EndEntityCert::try_from(&leaf_der).map_err(|e| (e, Vec::new()))?;

    let anchor_candidates: Vec<&Candidate> = pool.iter().filter(|c| c.is_anchor).collect();
    let mut anchors: Vec<TrustAnchor> = Vec::new();
    let mut anchor_items: Vec<usize> = Vec::new();
    let anchor_ders: Vec<CertificateDer> = anchor_candidates
        .iter()
        .map(|c| CertificateDer::from(c.loaded.cert.der.as_slice()))
        .collect();
    for (der, candidate) in anchor_ders.iter().zip(&anchor_candidates) {
        if let Ok(anchor) = webpki::anchor_from_trusted_cert(der) {
            anchors.push(anchor);
            anchor_items.push(candidate.loaded.item);
        }
    }

    let intermediate_candidates: Vec<&Candidate> = pool.iter().filter(|c| !c.is_anchor).collect();
    let intermediates: Vec<CertificateDer> = intermediate_candidates
        .iter()
        .map(|c| CertificateDer::from(c.loaded.cert.der.as_slice()))
        .collect();
    let item_of_der = |der: &[u8]| {
        intermediate_candidates
            .iter()
            .find(|c| c.loaded.cert.der == der)
            .map(|c| c.loaded.item)
    };

    let rejections: RefCell<Vec<Rejection>> = RefCell::new(Vec::new());
    let certs_by_item = |item: usize| {
        pool.iter()
            .find(|c| c.loaded.item == item)
            .map(|c| &c.loaded.cert)
    };

    let path_check = |path: &webpki::VerifiedPath<'_>| -> Result<(), webpki::Error> {
        let mut nodes = vec![(leaf.item, Role::Leaf)];
        for intermediate in path.intermediate_certificates() {
            let item =
                item_of_der(intermediate.der().as_ref()).ok_or(webpki::Error::UnknownIssuer)?;
            nodes.push((item, Role::Intermediate));
        }
        let anchor_index = anchors
            .iter()
            .position(|a| std::ptr::eq(a, path.anchor()))
            .ok_or(webpki::Error::UnknownIssuer)?;
        nodes.push((anchor_items[anchor_index], Role::Anchor));

        let path_nodes: Vec<PathNode> = nodes
            .iter()
            .filter_map(|(item, role)| {
                let cert = if *item == leaf.item {
                    Some(&leaf.cert)
                } else {
                    certs_by_item(*item)
                }?;
                Some(PathNode {
                    item: *item,
                    cert,
                    role: *role,
                })
            })
            .collect();
        let findings = policy::check_path(&path_nodes, profile, usage, at);
        if findings.iter().any(|f| f.severity == Severity::Error) {
            rejections.borrow_mut().push(Rejection { nodes, findings });
            return Err(webpki::Error::UnknownIssuer);
        }
        Ok(())
    };

    let key_usage = match usage {
        Usage::Client => webpki::KeyUsage::client_auth(),
        Usage::Server => webpki::KeyUsage::server_auth(),
    };
    let _ = key_usage; // EKU is judged per role by the profile; see EkuJudgedByProfile.

    let result = end_entity.verify_for_usage(
        ALL_ALGORITHMS,
        &anchors,
        &intermediates,
        unix_time(webpki_time(leaf, profile, at)),
        EkuJudgedByProfile,
        revocation,
        Some(&path_check),
    );

    match result {
        Ok(path) => {
            let mut nodes = vec![(leaf.item, Role::Leaf)];
            for intermediate in path.intermediate_certificates() {
                if let Some(item) = item_of_der(intermediate.der().as_ref()) {
                    nodes.push((item, Role::Intermediate));
                }
            }
            if let Some(index) = anchors.iter().position(|a| std::ptr::eq(a, path.anchor())) {
                nodes.push((anchor_items[index], Role::Anchor));
            }
            Ok(nodes)
        }
        Err(error) => Err((error, rejections.into_inner())),
    }
}

fn entry(pool: &[Candidate], leaf: &LoadedCertificate, item: usize, role: Role) -> PathEntry {
    let (subject, source) = if item == leaf.item {
        (leaf.cert.subject.rfc4514.clone(), "presented")
    } else {
        pool.iter()
            .find(|c| c.loaded.item == item)
            .map(|c| {
                let source = match c.source {
                    Source::Presented => "presented",
                    Source::Truststore => "truststore",
                };
                (c.loaded.cert.subject.rfc4514.clone(), source)
            })
            .unwrap_or_default()
    };
    let role = match role {
        Role::Leaf => "leaf",
        Role::Intermediate => "intermediate",
        Role::Anchor | Role::TruststoreMember => "anchor",
    };
    PathEntry {
        item,
        role: role.to_string(),
        subject,
        source: source.to_string(),
    }
}

fn path_facts(
    pool: &[Candidate],
    leaf: &LoadedCertificate,
    nodes: &[(usize, Role)],
    accepted: bool,
) -> PathFacts {
    PathFacts {
        certificates: nodes
            .iter()
            .map(|(item, role)| entry(pool, leaf, *item, *role))
            .collect(),
        accepted,
        ca_count: nodes.iter().filter(|(_, role)| *role != Role::Leaf).count(),
        usage: String::new(),
        peer_name: None,
    }
}

fn nodes_to_path<'a>(
    pool: &[Candidate<'a>],
    leaf: &'a LoadedCertificate,
    nodes: &[(usize, Role)],
) -> Vec<PathNode<'a>> {
    nodes
        .iter()
        .filter_map(|(item, role)| {
            let cert = if *item == leaf.item {
                Some(&leaf.cert)
            } else {
                pool.iter()
                    .find(|c| c.loaded.item == *item)
                    .map(|c| &c.loaded.cert)
            }?;
            Some(PathNode {
                item: *item,
                cert,
                role: *role,
            })
        })
        .collect()
}

fn accepted(
    leaf: &LoadedCertificate,
    pool: &[Candidate],
    nodes: Vec<(usize, Role)>,
    profile: &Profile,
    usage: Usage,
    at: i64,
) -> Outcome {
    let path = nodes_to_path(pool, leaf, &nodes);
    let findings = policy::check_path(&path, profile, usage, at);
    Outcome {
        verdict: Verdict::Accept,
        findings,
        path: path_facts(pool, leaf, &nodes, true),
    }
}

#[allow(clippy::too_many_arguments)]
fn denied(
    leaf: &LoadedCertificate,
    presented: &[LoadedCertificate],
    truststore: &[LoadedCertificate],
    pool: &[Candidate],
    profile: &Profile,
    usage: Usage,
    at: i64,
    error: webpki::Error,
    rejections: Vec<Rejection>,
) -> Outcome {
    if let Some(rejection) = rejections.into_iter().next() {
        return Outcome {
            verdict: Verdict::Deny,
            findings: rejection.findings,
            path: path_facts(pool, leaf, &rejection.nodes, false),
        };
    }
    let explanation = explain::explain(
        leaf, presented, truststore, pool, profile, usage, at, &error,
    );
    if matches!(error, webpki::Error::NameConstraintViolation) && explanation.complete {
        if let Some(outcome) =
            rejudge_name_constraints(leaf, pool, &explanation.nodes, profile, usage, at)
        {
            return outcome;
        }
    }
    let mut findings = explanation.findings;
    if !findings.iter().any(|f| f.severity == Severity::Error) {
        findings.push(finding(
            "chain.invalid",
            Severity::Error,
            format!("path validation failed for {}: {error:?}", leaf.cert.label()),
            Some(leaf.cert.subject.rfc4514.clone()),
            Some(leaf.item),
            "Inspect each certificate of the chain (mtls-check inspect) and compare it with its issuer.",
        ));
    }
    Outcome {
        verdict: Verdict::Deny,
        findings,
        path: path_facts(pool, leaf, &explanation.nodes, false),
    }
}

/// Re-judges a path webpki refused only for its name constraints, when a
/// CA on it carries a dirName or rfc822Name constraint (which webpki
/// rejects outright).
fn rejudge_name_constraints(
    leaf: &LoadedCertificate,
    pool: &[Candidate],
    nodes: &[(usize, Role)],
    profile: &Profile,
    usage: Usage,
    at: i64,
) -> Option<Outcome> {
    let path = nodes_to_path(pool, leaf, nodes);
    if !name_constraints::path_has_directory_constraints(&path)
        && !name_constraints::path_has_email_constraints(&path)
    {
        return None;
    }
    let violations = name_constraints::check(&path);
    let mut findings = policy::check_path(&path, profile, usage, at);
    for violation in &violations {
        let node = path[violation.certificate];
        let ca = path[violation.constrained_by];
        findings.push(finding(
            "chain.name-constraints",
            Severity::Error,
            format!(
                "{} of {} is {} of the name constraints of {}",
                violation.name,
                node.cert.label(),
                violation.reason,
                ca.cert.label()
            ),
            Some(node.cert.subject.rfc4514.clone()),
            Some(node.item),
            "Issue the certificate with names inside the CA's permitted subtrees.",
        ));
    }
    let accepted = !findings.iter().any(|f| f.severity == Severity::Error);
    if accepted {
        findings.push(finding(
            "chain.directory-name-constraints",
            Severity::Info,
            "name constraints on the path were evaluated per RFC 5280 4.2.1.10 by mtls-check, because rustls-webpki rejects every dirName and rfc822Name constraint".into(),
            None,
            None,
            "",
        ));
    }
    Some(Outcome {
        verdict: if accepted {
            Verdict::Accept
        } else {
            Verdict::Deny
        },
        findings,
        path: path_facts(pool, leaf, nodes, accepted),
    })
}

/// True when `name` parses as a DNS name or an IP address, the names a
/// TLS client can check a server certificate against.
pub(crate) fn is_valid_peer_name(name: &str) -> bool {
    ServerName::try_from(name).is_ok()
}

pub(crate) fn check_peer_name(leaf: &LoadedCertificate, name: &str) -> Option<Finding> {
    let der = CertificateDer::from(leaf.cert.der.as_slice());
    let end_entity = EndEntityCert::try_from(&der).ok()?;
    let message = match ServerName::try_from(name) {
        Err(_) => format!("the peer name {name:?} is neither a DNS name nor an IP address"),
        Ok(server_name) => match end_entity.verify_is_valid_for_subject_name(&server_name) {
            Ok(()) => return None,
            Err(_) => {
                let sans: Vec<String> = leaf
                    .cert
                    .san
                    .iter()
                    .map(|s| format!("{}:{}", s.kind, s.value))
                    .collect();
                format!(
                    "{} is not valid for {name}; its subjectAltName lists {}",
                    leaf.cert.label(),
                    if sans.is_empty() {
                        "nothing".to_string()
                    } else {
                        sans.join(", ")
                    }
                )
            }
        },
    };
    Some(finding(
        "chain.name-mismatch",
        Severity::Error,
        message,
        Some(leaf.cert.subject.rfc4514.clone()),
        Some(leaf.item),
        "Use a certificate whose subjectAltName lists the name clients connect to; the subject CN is not checked.",
    ))
}

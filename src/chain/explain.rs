//! The explainer: after webpki refuses a chain, walk from the leaf through
//! candidate issuers (same name, then signature) to find the certificate
//! where the path breaks, and describe it in the report's terms.

use crate::crypto::VerifyError;
use crate::limits::{self, Budget, Limit};
use crate::profile::{PresentedIntermediates, Profile};
use crate::report::{Finding, Severity};
use crate::rules::certificate::Role;
use crate::rules::finding;
use crate::x509::load::LoadedCertificate;
use crate::x509::plain_hex;

use super::policy::{self, PathNode};
use super::{Candidate, Source, Usage};

/// Upper bound on issuer steps the explainer takes; no gateway accepts paths
/// anywhere near this long, and it bounds the walk on looping input.
const MAX_EXPLAIN_STEPS: usize = 16;

pub struct Explanation {
    pub nodes: Vec<(usize, Role)>,
    pub findings: Vec<Finding>,
    /// Whether the walk reached a trust anchor.
    pub complete: bool,
}

/// The point where the walk stopped without reaching a trust anchor.
struct Stuck<'a> {
    cert: &'a LoadedCertificate,
    unsupported: Option<(&'a LoadedCertificate, VerifyError)>,
    wrong_key: Vec<&'a LoadedCertificate>,
}

fn is_anchor(pool: &[Candidate], item: usize) -> bool {
    pool.iter().any(|c| c.loaded.item == item && c.is_anchor)
}

#[allow(clippy::too_many_arguments)]
pub fn explain(
    leaf: &LoadedCertificate,
    presented: &[LoadedCertificate],
    truststore: &[LoadedCertificate],
    pool: &[Candidate],
    profile: &Profile,
    usage: Usage,
    at: i64,
    error: &webpki::Error,
) -> Explanation {
    let mut budget = Budget::new();
    let mut overrun = None;
    let (nodes, stuck) = walk(leaf, pool, &mut budget, &mut overrun);
    let path: Vec<PathNode> = super::nodes_to_path(pool, leaf, &nodes);

    let mut findings = Vec::new();
    let complete = stuck.is_none();
    match &stuck {
        Some(stuck) => findings.extend(describe_break(
            stuck,
            leaf,
            presented,
            truststore,
            pool,
            profile,
            error,
            &mut budget,
            &mut overrun,
        )),
        None => findings.extend(describe_complete_path(&path, error, profile)),
    }
    findings.extend(policy::check_path(&path, profile, usage, at));
    let mut overruns: Vec<limits::Exceeded> = overrun.into_iter().collect();
    if let Some(spent) = budget.exceeded() {
        if !overruns.iter().any(|o| o.limit == spent.limit) {
            overruns.push(spent);
        }
    }
    for exceeded in overruns {
        findings.push(limits::finding(
            exceeded,
            &format!("the issuer search for {}", leaf.cert.label()),
            Some(leaf.item),
        ));
    }
    dedupe(&mut findings);
    Explanation {
        nodes,
        findings,
        complete,
    }
}

/// Walks up from `leaf` through issuers found in `pool`. Tries at most
/// [`limits::MAX_CANDIDATE_ISSUERS`] candidates per step and takes each
/// signature check from `budget`; the first limit reached goes to `overrun`.
fn walk<'a>(
    leaf: &'a LoadedCertificate,
    pool: &[Candidate<'a>],
    budget: &mut Budget,
    overrun: &mut Option<limits::Exceeded>,
) -> (Vec<(usize, Role)>, Option<Stuck<'a>>) {
    let mut nodes = vec![(leaf.item, Role::Leaf)];
    let mut current = leaf;
    for _ in 0..MAX_EXPLAIN_STEPS {
        if current.item != leaf.item && is_anchor(pool, current.item) {
            if let Some(last) = nodes.last_mut() {
                last.1 = Role::Anchor;
            }
            return (nodes, None);
        }

        let mut issuers: Vec<&Candidate> = pool
            .iter()
            .filter(|c| c.loaded.cert.subject.der == current.cert.issuer.der)
            .filter(|c| c.loaded.cert.der != current.cert.der)
            .filter(|c| !nodes.iter().any(|(item, _)| *item == c.loaded.item))
            .collect();
        // Anchors first, then truststore certificates, then those the client sent.
        issuers.sort_by_key(|c| (!c.is_anchor, c.source == Source::Presented));
        if let Err(exceeded) = Limit::CandidateIssuers.check(issuers.len()) {
            overrun.get_or_insert(exceeded);
            issuers.truncate(limits::MAX_CANDIDATE_ISSUERS);
        }

        let mut unsupported = None;
        let mut wrong_key = Vec::new();
        let mut next = None;
        for issuer in issuers {
            if !budget.take() {
                if let Some(exceeded) = budget.exceeded() {
                    overrun.get_or_insert(exceeded);
                }
                break;
            }
            match current.cert.signed_by(&issuer.loaded.cert.spki_der) {
                Ok(()) => {
                    next = Some(issuer.loaded);
                    break;
                }
                Err(e @ VerifyError::Unsupported { .. }) => unsupported = Some((issuer.loaded, e)),
                Err(VerifyError::Invalid) => wrong_key.push(issuer.loaded),
            }
        }
        match next {
            Some(issuer) => {
                nodes.push((issuer.item, Role::Intermediate));
                current = issuer;
            }
            None => {
                return (
                    nodes,
                    Some(Stuck {
                        cert: current,
                        unsupported,
                        wrong_key,
                    }),
                )
            }
        }
    }
    (nodes, None)
}

fn subject_of(loaded: &LoadedCertificate) -> Option<String> {
    Some(loaded.cert.subject.rfc4514.clone())
}

fn looked_for(cert: &LoadedCertificate) -> String {
    match &cert.cert.authority_key_id {
        Some(id) => format!(
            "subject {} with key identifier {}",
            cert.cert.issuer.rfc4514,
            plain_hex(id)
        ),
        None => format!("subject {}", cert.cert.issuer.rfc4514),
    }
}

#[allow(clippy::too_many_arguments)]
fn describe_break(
    stuck: &Stuck,
    leaf: &LoadedCertificate,
    presented: &[LoadedCertificate],
    truststore: &[LoadedCertificate],
    pool: &[Candidate],
    profile: &Profile,
    error: &webpki::Error,
    budget: &mut Budget,
    overrun: &mut Option<limits::Exceeded>,
) -> Vec<Finding> {
    let cert = stuck.cert;
    let messages = profile.gateway_messages;

    if let Some((issuer, reason)) = &stuck.unsupported {
        return vec![finding(
            "cert.unsupported-signature-algorithm",
            Severity::Error,
            format!(
                "the signature on {} cannot be checked against {}: {reason}",
                cert.cert.label(),
                issuer.cert.label()
            ),
            subject_of(cert),
            Some(cert.item),
            "Reissue the certificate with RSA, ECDSA or Ed25519 and SHA-256 or stronger.",
        )];
    }

    if !stuck.wrong_key.is_empty() {
        let signature_error = matches!(error, webpki::Error::InvalidSignatureForPublicKey);
        // A candidate whose key identifier differs from the certificate's
        // authority key identifier is another CA that shares the name, not
        // the issuer with a broken signature.
        let same_key_id = stuck.wrong_key.iter().copied().find(|candidate| {
            match (&cert.cert.authority_key_id, &candidate.cert.subject_key_id) {
                (Some(aki), Some(ski)) => aki == ski,
                _ => true,
            }
        });
        if let (true, Some(issuer)) = (signature_error, same_key_id) {
            return vec![finding(
                "chain.bad-signature",
                Severity::Error,
                format!(
                    "the signature on {} does not verify with the key of its issuer {} (item {})",
                    cert.cert.label(),
                    issuer.cert.label(),
                    issuer.item
                ),
                subject_of(cert),
                Some(cert.item),
                "The certificate was altered or signed by another key: get a fresh copy from the issuing CA.",
            )];
        }
        let mut findings = vec![unknown_issuer(
            cert,
            profile,
            format!(
                "; {} certificate(s) carry that subject but another key, so none of them issued it",
                stuck.wrong_key.len()
            ),
        )];
        for other in &stuck.wrong_key {
            findings.push(finding(
                "chain.candidate-rejected",
                Severity::Info,
                format!(
                    "{} (item {}, SHA-256 {}) has the issuer's name, but its key does not verify the signature on {}",
                    other.cert.label(),
                    other.item,
                    other.cert.short_fingerprint(),
                    cert.cert.label()
                ),
                subject_of(other),
                Some(other.item),
                "If this CA was rotated, add the CA certificate that matches the client's authority key identifier.",
            ));
        }
        return findings;
    }

    if profile.presented_intermediates.value == PresentedIntermediates::Ignored {
        let sent = presented.iter().find(|p| {
            p.cert.subject.der == cert.cert.issuer.der
                && budget.take()
                && cert.cert.signed_by(&p.cert.spki_der).is_ok()
        });
        // Walk again with the client's certificates allowed: only when that
        // reaches a trust anchor is the missing truststore entry the whole story.
        let mut widened: Vec<Candidate> = pool.to_vec();
        widened.extend(
            presented
                .iter()
                .filter(|p| p.item != leaf.item)
                .map(|p| Candidate {
                    loaded: p,
                    source: Source::Presented,
                    is_anchor: false,
                }),
        );
        let (_, widened_stuck) = walk(cert, &widened, budget, overrun);
        if let Some(deeper) = widened_stuck {
            if sent.is_some() && deeper.cert.item != cert.item {
                return vec![unknown_issuer(
                    deeper.cert,
                    profile,
                    " (the chain the client sent does not reach a trusted root either)".to_string(),
                )];
            }
        }
        if let Some(sent) = sent {
            let mut result = finding(
                "chain.issuer-not-in-truststore",
                Severity::Error,
                format!(
                    "{} is issued by {}, which the client sent but the truststore does not hold; {} builds paths from the truststore only",
                    cert.cert.label(),
                    sent.cert.label(),
                    profile.name
                ),
                subject_of(sent),
                Some(sent.item),
                "Add this intermediate (and every CA above it up to the root) to the truststore.",
            );
            result.gateway_message = messages.unknown_issuer.map(str::to_string);
            return vec![result];
        }
    }

    if cert.item == leaf.item && cert.cert.self_signed {
        let mut result = finding(
            "chain.self-signed-leaf",
            Severity::Error,
            format!("{} is self-signed and not in the truststore", cert.cert.label()),
            subject_of(cert),
            Some(cert.item),
            "Issue the client certificate from a CA in the truststore, or add this exact certificate to the truststore if the gateway allows self-signed clients.",
        );
        result.gateway_message = messages.self_signed.map(str::to_string);
        return vec![result];
    }

    let in_truststore = truststore.iter().any(|t| t.item == cert.item);
    let note = if in_truststore {
        "; the profile needs every CA up to a self-signed root in the truststore".to_string()
    } else {
        String::new()
    };
    vec![unknown_issuer(cert, profile, note)]
}

fn unknown_issuer(cert: &LoadedCertificate, profile: &Profile, note: String) -> Finding {
    let places = match profile.presented_intermediates.value {
        PresentedIntermediates::Used => "the truststore or the certificates the client sent",
        PresentedIntermediates::Ignored => "the truststore",
    };
    let mut result = finding(
        "chain.unknown-issuer",
        Severity::Error,
        format!(
            "no issuer found for {}: looked for {} in {places}{note}",
            cert.cert.label(),
            looked_for(cert)
        ),
        subject_of(cert),
        Some(cert.item),
        "Add the CA that issued this certificate (and every CA above it up to the root) to the truststore.",
    );
    result.gateway_message = profile.gateway_messages.unknown_issuer.map(str::to_string);
    result
}

/// Describes why webpki refused a path the explainer could complete.
fn describe_complete_path(
    path: &[PathNode],
    error: &webpki::Error,
    profile: &Profile,
) -> Vec<Finding> {
    let Some(leaf) = path.first() else {
        return Vec::new();
    };
    let at_node = |node: &PathNode, code: &str, message: String, help: &str| {
        finding(
            code,
            Severity::Error,
            message,
            Some(node.cert.subject.rfc4514.clone()),
            Some(node.item),
            help,
        )
    };
    use webpki::Error as E;
    match error {
        E::CaUsedAsEndEntity => vec![at_node(
            leaf,
            "chain.ca-as-leaf",
            format!("{} is a CA certificate (basicConstraints CA:TRUE) presented as the client certificate", leaf.cert.label()),
            "Present an end-entity certificate issued by this CA instead.",
        )],
        E::EndEntityUsedAsCa => path
            .iter()
            .skip(1)
            .find(|node| !node.cert.is_ca())
            .map(|node| {
                vec![at_node(
                    node,
                    "chain.not-a-ca",
                    format!("{} issues a certificate on the path but is not a CA (basicConstraints CA:TRUE is missing)", node.cert.label()),
                    "Issue client certificates only from CA certificates.",
                )]
            })
            .unwrap_or_default(),
        E::PathLenConstraintViolated => path_len_violation(path),
        E::NameConstraintViolation => {
            let constrained = path.iter().skip(1).find(|node| node.cert.has_name_constraints);
            let by = constrained.map(|n| format!(" set by {}", n.cert.label())).unwrap_or_default();
            vec![at_node(
                leaf,
                "chain.name-constraints",
                format!("the names of {} fall outside the name constraints{by}", leaf.cert.label()),
                "Issue the certificate with names inside the CA's permitted subtrees.",
            )]
        }
        E::InvalidSignatureForPublicKey => vec![at_node(
            leaf,
            "chain.bad-signature",
            format!("a signature on the path of {} does not verify", leaf.cert.label()),
            "Get fresh copies of the certificates from the issuing CA.",
        )],
        E::MaximumPathDepthExceeded => vec![at_node(
            leaf,
            "chain.too-long",
            format!("the path of {} is longer than path building allows", leaf.cert.label()),
            "Shorten the CA hierarchy.",
        )],
        E::MaximumSignatureChecksExceeded | E::MaximumPathBuildCallsExceeded => vec![at_node(
            leaf,
            "chain.budget-exceeded",
            format!("path building for {} gave up after its budget of signature checks", leaf.cert.label()),
            "Remove duplicate or look-alike CA certificates from the inputs.",
        )],
        E::UnsupportedCertVersion => path
            .iter()
            .find(|node| node.cert.version < 3)
            .map(|node| {
                vec![at_node(
                    node,
                    "cert.v1",
                    format!("{} is X.509 v{}; only a trust anchor may be v1", node.cert.label(), node.cert.version),
                    "Reissue it as a v3 certificate.",
                )]
            })
            .unwrap_or_default(),
        _ => {
            let _ = profile;
            Vec::new()
        }
    }
}

/// Finds the CA whose pathLenConstraint the path breaks.
fn path_len_violation(path: &[PathNode]) -> Vec<Finding> {
    for (index, node) in path.iter().enumerate().skip(1) {
        let Some(limit) = node.cert.basic_constraints.and_then(|bc| bc.path_len) else {
            continue;
        };
        // CAs below this one, self-issued ones excepted (RFC 5280 6.1.4 (l)).
        let below = path[1..index]
            .iter()
            .filter(|n| !n.cert.self_issued)
            .count();
        if below > limit as usize {
            return vec![finding(
                "chain.path-len-exceeded",
                Severity::Error,
                format!(
                    "{} allows {limit} CA certificate(s) below it (pathLenConstraint), but the path has {below}",
                    node.cert.label()
                ),
                Some(node.cert.subject.rfc4514.clone()),
                Some(node.item),
                "Issue the client certificate from a CA within the constraint, or reissue the CA with a larger pathLenConstraint.",
            )];
        }
    }
    Vec::new()
}

fn dedupe(findings: &mut Vec<Finding>) {
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| seen.insert((f.code.clone(), f.item)));
}

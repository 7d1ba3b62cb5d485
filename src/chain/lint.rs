//! Truststore linting: every certificate checked in its role, the bundle's
//! quotas and format, and the issuer graph: which CA signed which, how far
//! each is from a self-signed root, and whether clients under it can pass.

use std::collections::HashMap;

use crate::input::Layout;
use crate::limits::{self, Budget, Limit};
use crate::profile::{AnchorRule, Profile};
use crate::report::{Finding, GraphNode, Severity};
use crate::rules::certificate::{self, CertContext, Role};
use crate::rules::truststore::{self, BundleContext, Member, OtherBlock};
use crate::x509::load::LoadedCertificate;

/// Steps followed up the issuer graph before giving up; bounds cycles.
const MAX_GRAPH_DEPTH: usize = 32;

/// The result of linting one bundle.
pub struct LintOutcome {
    pub findings: Vec<Finding>,
    pub graph: Vec<GraphNode>,
    pub anchors: Vec<usize>,
}

/// Finds, for each certificate, the bundle certificate whose key verifies its signature.
///
/// Candidates come from an index by subject, so finding a certificate's
/// candidates is one lookup instead of a scan of the whole bundle. Tries at
/// most [`limits::MAX_CANDIDATE_ISSUERS`] certificates with the issuer's name
/// per certificate and takes every signature check from one [`Budget`]; the
/// first limit reached is returned beside the result.
fn issuer_indices(
    certificates: &[LoadedCertificate],
    budget: &mut Budget,
) -> (Vec<Option<usize>>, Vec<limits::Exceeded>) {
    let by_subject = index_by_subject(certificates);
    let mut overrun = None;
    let issuers = certificates
        .iter()
        .enumerate()
        .map(|(index, loaded)| {
            if loaded.cert.self_signed {
                return None;
            }
            let named = by_subject.get(loaded.cert.issuer.der.as_slice())?;
            let candidates: Vec<usize> = named
                .iter()
                .copied()
                .filter(|&other_index| other_index != index)
                .collect();
            if let Err(exceeded) = Limit::CandidateIssuers.check(candidates.len()) {
                overrun.get_or_insert(exceeded);
            }
            candidates
                .into_iter()
                .take(limits::MAX_CANDIDATE_ISSUERS)
                .find(|&other_index| {
                    if !budget.take() {
                        return false;
                    }
                    certificates
                        .get(other_index)
                        .is_some_and(|other| loaded.cert.signed_by(&other.cert.spki_der).is_ok())
                })
        })
        .collect();
    (
        issuers,
        overrun.into_iter().chain(budget.exceeded()).collect(),
    )
}

/// Maps each subject (DER) to the indices of the certificates carrying it, in bundle order.
fn index_by_subject(certificates: &[LoadedCertificate]) -> HashMap<&[u8], Vec<usize>> {
    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::with_capacity(certificates.len());
    for (index, loaded) in certificates.iter().enumerate() {
        by_subject
            .entry(loaded.cert.subject.der.as_slice())
            .or_default()
            .push(index);
    }
    by_subject
}

/// Follows issuers up to a self-signed root; returns the steps taken and the chain of indices.
fn climb(
    start: usize,
    issuers: &[Option<usize>],
    certificates: &[LoadedCertificate],
) -> (Option<usize>, Vec<usize>) {
    let mut chain = vec![start];
    let mut current = start;
    for steps in 0..MAX_GRAPH_DEPTH {
        if certificates[current].cert.self_signed {
            return (Some(steps), chain);
        }
        match issuers[current] {
            Some(next) if !chain.contains(&next) => {
                chain.push(next);
                current = next;
            }
            _ => return (None, chain),
        }
    }
    (None, chain)
}

fn is_ca_like(loaded: &LoadedCertificate) -> bool {
    loaded.cert.is_ca() || (loaded.cert.version < 3 && loaded.cert.self_signed)
}

/// Lints the certificates of one bundle.
pub fn lint(
    certificates: &[LoadedCertificate],
    other_blocks: &[(usize, Option<String>)],
    layout: &Layout,
    source: &str,
    profile: &Profile,
    at: i64,
) -> LintOutcome {
    let (issuers, overruns) = issuer_indices(certificates, &mut Budget::new());

    let context = BundleContext {
        members: certificates
            .iter()
            .zip(&issuers)
            .map(|(loaded, issuer)| Member {
                item: loaded.item,
                cert: &loaded.cert,
                byte_len: loaded.byte_len,
                issuer_item: issuer.map(|i| certificates[i].item),
            })
            .collect(),
        other_blocks: other_blocks
            .iter()
            .map(|(item, label)| OtherBlock {
                item: *item,
                label: label.clone(),
            })
            .collect(),
        layout,
        source,
        profile,
    };
    let mut findings = truststore::check(&context);
    for exceeded in overruns {
        findings.push(limits::finding(
            exceeded,
            &format!("{source}: the issuer search"),
            None,
        ));
    }

    let mut own_errors: Vec<Vec<String>> = Vec::with_capacity(certificates.len());
    for loaded in certificates {
        let cert_findings = certificate::check(&CertContext {
            cert: &loaded.cert,
            item: loaded.item,
            role: Role::TruststoreMember,
            profile,
            at,
            issuer: None,
        });
        own_errors.push(
            cert_findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(|f| f.code.clone())
                .collect(),
        );
        findings.extend(cert_findings);
    }

    let graph = (0..certificates.len())
        .map(|index| graph_node(index, certificates, &issuers, &own_errors, profile))
        .collect();
    let anchors = certificates
        .iter()
        .filter(|loaded| match profile.anchors.value {
            AnchorRule::SelfSignedRoots => loaded.cert.self_signed,
            AnchorRule::AnyTruststoreCertificate => true,
        })
        .map(|loaded| loaded.item)
        .collect();
    LintOutcome {
        findings,
        graph,
        anchors,
    }
}

fn graph_node(
    index: usize,
    certificates: &[LoadedCertificate],
    issuers: &[Option<usize>],
    own_errors: &[Vec<String>],
    profile: &Profile,
) -> GraphNode {
    let loaded = &certificates[index];
    let (depth, chain) = climb(index, issuers, certificates);
    let reason = clients_blocked_reason(index, depth, &chain, certificates, own_errors, profile);
    GraphNode {
        item: loaded.item,
        subject: loaded.cert.subject.rfc4514.clone(),
        is_ca: is_ca_like(loaded),
        self_signed: loaded.cert.self_signed,
        issuer_item: issuers[index].map(|i| certificates[i].item),
        depth_to_root: depth,
        clients_accepted: reason.is_none(),
        reason,
    }
}

/// Says why a client issued directly by this certificate would be refused, if it would.
fn clients_blocked_reason(
    index: usize,
    depth: Option<usize>,
    chain: &[usize],
    certificates: &[LoadedCertificate],
    own_errors: &[Vec<String>],
    profile: &Profile,
) -> Option<String> {
    let loaded = &certificates[index];
    if !is_ca_like(loaded) {
        return Some("not a CA certificate".into());
    }
    for &step in chain {
        if let Some(code) = own_errors[step].first() {
            let who = if step == index {
                "this CA".to_string()
            } else {
                certificates[step].cert.label()
            };
            return Some(format!("{who} has an error ({code})"));
        }
    }
    let complete_required = profile.complete_truststore_chain.value
        || profile.anchors.value == AnchorRule::SelfSignedRoots;
    match depth {
        None if complete_required => {
            Some("the chain up to a self-signed root is not complete in the truststore".into())
        }
        Some(steps) => match profile.max_ca_certificates {
            Some(limit) if steps + 1 > limit.value => Some(format!(
                "a client issued by it would have {} CA certificates on its path; {} allows {}",
                steps + 1,
                profile.name,
                limit.value
            )),
            _ => None,
        },
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{by_name, Cited};
    use crate::x509::load::{load, Expect, InputSeverity};

    fn lint_fixture(name: &str, profile: &Profile) -> LintOutcome {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(path).expect("fixture reads");
        let mut items = Vec::new();
        let loaded = load(
            &bytes,
            "truststore",
            "truststore",
            Expect::Certificates,
            InputSeverity::Strict,
            &mut items,
        );
        lint(
            &loaded.certificates,
            &loaded.other_blocks,
            &loaded.layout,
            "truststore",
            profile,
            1_907_755_200,
        )
    }

    fn fixture_certificates(name: &str) -> Vec<LoadedCertificate> {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(path).expect("fixture reads");
        let mut items = Vec::new();
        load(
            &bytes,
            "truststore",
            "truststore",
            Expect::Certificates,
            InputSeverity::Strict,
            &mut items,
        )
        .certificates
    }

    #[test]
    fn issuer_search_budget_edge() {
        let certificates = fixture_certificates("five-ca-truststore.pem");
        let mut budget = Budget::new();
        let (found, overruns) = issuer_indices(&certificates, &mut budget);
        assert!(overruns.is_empty());
        let needed = budget.used();
        assert!(needed > 1, "the fixture needs {needed} checks");

        let (at_edge, overruns) = issuer_indices(&certificates, &mut Budget::with_max(needed));
        assert!(overruns.is_empty());
        assert_eq!(at_edge, found);

        let (short, overruns) = issuer_indices(&certificates, &mut Budget::with_max(needed - 1));
        assert_eq!(overruns.len(), 1);
        assert_eq!(overruns[0].limit, Limit::SignatureChecks);
        assert_eq!(overruns[0].value, needed);
        assert_ne!(short, found);
    }

    #[test]
    fn certificate_over_size_quota() {
        let mut profile = by_name("alb").expect("alb profile");
        profile.max_certificate_bytes = Some(Cited {
            value: 400,
            citation: "test quota",
            documented: true,
        });
        let outcome = lint_fixture("p256-truststore.pem", &profile);
        assert!(outcome
            .findings
            .iter()
            .any(|f| f.code == "truststore.certificate-too-large"));

        let outcome = lint_fixture("p256-truststore.pem", &by_name("alb").expect("alb profile"));
        assert!(!outcome
            .findings
            .iter()
            .any(|f| f.code == "truststore.certificate-too-large"));
    }

    #[test]
    fn graph_depths_and_client_acceptance() {
        let outcome = lint_fixture(
            "five-ca-truststore.pem",
            &by_name("apigw-rest").expect("profile"),
        );
        let depths: Vec<Option<usize>> = outcome
            .graph
            .iter()
            .map(|node| node.depth_to_root)
            .collect();
        assert!(depths.contains(&Some(0)));
        assert!(depths.contains(&Some(4)));
        let deepest = outcome
            .graph
            .iter()
            .find(|node| node.depth_to_root == Some(4))
            .expect("deepest CA");
        assert!(!deepest.clients_accepted);
        assert!(deepest
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("5 CA certificates")));
        let third = outcome
            .graph
            .iter()
            .find(|node| node.depth_to_root == Some(3))
            .expect("third CA");
        assert!(third.clients_accepted);
        assert_eq!(outcome.anchors.len(), 1);
    }
}

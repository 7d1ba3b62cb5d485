//! The profile's limits applied to one candidate path: depth, every
//! certificate rule in its role, and extended key usage.

use crate::profile::Profile;
use crate::report::{Finding, Severity};
use crate::rules::certificate::{self, CertContext, Role};
use crate::rules::finding;
use crate::x509::{Certificate, EKU_CLIENT_AUTH, EKU_SERVER_AUTH};

use super::Usage;

/// One certificate on a candidate path.
#[derive(Debug, Clone, Copy)]
pub struct PathNode<'a> {
    pub item: usize,
    pub cert: &'a Certificate,
    pub role: Role,
}

fn purpose(usage: Usage) -> (&'static str, &'static str) {
    match usage {
        Usage::Client => (EKU_CLIENT_AUTH, "clientAuth"),
        Usage::Server => (EKU_SERVER_AUTH, "serverAuth"),
    }
}

/// Checks the extended key usage of each certificate on the path.
fn check_eku(path: &[PathNode], profile: &Profile, usage: Usage) -> Vec<Finding> {
    let (oid, name) = purpose(usage);
    let policy = profile.eku.value;
    let mut findings = Vec::new();
    for node in path {
        let severity = match node.role {
            Role::Leaf => Some(policy.leaf),
            Role::Intermediate | Role::Anchor => policy.issuers,
            Role::TruststoreMember => None,
        };
        let Some(severity) = severity else { continue };
        // A trust anchor's extensions are advisory to RFC 5280; only warn.
        let severity = if node.role == Role::Anchor {
            severity.min(Severity::Warning)
        } else {
            severity
        };
        if node.cert.allows_purpose(oid) {
            continue;
        }
        let listed = node
            .cert
            .extended_key_usage
            .as_ref()
            .map(|oids| {
                oids.iter()
                    .map(|o| crate::x509::extensions::eku_name(o))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        findings.push(finding(
            "chain.eku-mismatch",
            severity,
            format!(
                "the extendedKeyUsage of {} lists {listed} but not {name}{}",
                node.cert.label(),
                profile.eku.undocumented_note()
            ),
            Some(node.cert.subject.rfc4514.clone()),
            Some(node.item),
            &format!(
                "Reissue the certificate with extendedKeyUsage {name} (or without the extension on CAs)."
            ),
        ));
    }
    findings
}

/// Counts the CA certificates of a path: everything but the leaf.
pub fn ca_count(path: &[PathNode]) -> usize {
    path.iter().filter(|node| node.role != Role::Leaf).count()
}

/// Checks the profile's depth limit.
fn check_depth(path: &[PathNode], profile: &Profile) -> Option<Finding> {
    let limit = profile.max_ca_certificates?;
    let count = ca_count(path);
    if count <= limit.value {
        return None;
    }
    let leaf = path.first()?;
    let mut result = finding(
        "chain.too-long",
        Severity::Error,
        format!(
            "the path from {} has {count} CA certificates (root included, client certificate not counted); {} allows {} ({})",
            leaf.cert.label(),
            profile.name,
            limit.value,
            limit.citation
        ),
        Some(leaf.cert.subject.rfc4514.clone()),
        Some(leaf.item),
        "Issue client certificates from a CA closer to the root, so that the root plus intermediates stay within the limit.",
    );
    result.gateway_message = None;
    Some(result)
}

/// Collects every profile finding for one candidate path. An error among them rejects the path.
pub fn check_path(path: &[PathNode], profile: &Profile, usage: Usage, at: i64) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(check_depth(path, profile));
    for (index, node) in path.iter().enumerate() {
        findings.extend(certificate::check(&CertContext {
            issuer: path.get(index + 1).map(|next| next.cert),
            cert: node.cert,
            item: node.item,
            role: node.role,
            profile,
            at,
        }));
    }
    findings.extend(check_eku(path, profile, usage));
    findings
}

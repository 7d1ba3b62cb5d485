//! What the caller asks of the leaf beyond a valid path: RFC 822 names it
//! must hold, keyUsage bits it must assert, and a cap on the intermediates
//! between it and its trust anchor. These come from [`crate::Options`]; a
//! leaf that falls short is denied with one finding per unmet request. The
//! requests are checked on the accepted path, after path building.

use crate::report::{Finding, Severity};
use crate::rules::finding;
use crate::x509::extensions::key_usage_names;
use crate::x509::load::LoadedCertificate;
use crate::x509::{Certificate, NameValue};
use crate::Options;

/// Checks the caller's requests of a leaf whose path was accepted.
pub fn check_leaf_requests(
    leaf: &LoadedCertificate,
    intermediates: &[&Certificate],
    options: &Options,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(check_intermediates(
        leaf,
        intermediates,
        options.max_intermediates,
    ));
    for name in &options.peer_names {
        if let Some(missing) = check_name(leaf, name) {
            findings.push(missing);
        }
    }
    findings.extend(check_key_usage(leaf, &options.key_usage));
    findings
}

/// RFC 5280 6.1.4 (l): self-issued intermediates do not count towards a
/// path length limit, so they do not count towards the caller's either.
fn check_intermediates(
    leaf: &LoadedCertificate,
    intermediates: &[&Certificate],
    limit: Option<usize>,
) -> Option<Finding> {
    let limit = limit?;
    let counted = intermediates
        .iter()
        .filter(|cert| !cert.self_issued)
        .count();
    if counted <= limit {
        return None;
    }
    Some(finding(
        "chain.too-long",
        Severity::Error,
        format!(
            "the path from {} has {counted} intermediates that are not self-issued; the caller allows {limit}",
            leaf.cert.label()
        ),
        Some(leaf.cert.subject.rfc4514.clone()),
        Some(leaf.item),
        "Issue client certificates from a CA closer to the trust anchor.",
    ))
}

/// Splits an RFC 822 address into local part and domain, or `None` when it is not one.
fn split_address(address: &str) -> Option<(&str, &str)> {
    let (local, domain) = address.rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() {
        return None;
    }
    Some((local, domain))
}

/// RFC 5280 4.2.1.6 and 7.5: the local part compares exactly, the domain
/// without regard to case.
fn same_address(presented: &str, wanted: &str) -> bool {
    match (split_address(presented), split_address(wanted)) {
        (Some((local_a, domain_a)), Some((local_b, domain_b))) => {
            local_a == local_b && domain_a.eq_ignore_ascii_case(domain_b)
        }
        _ => false,
    }
}

fn check_name(leaf: &LoadedCertificate, name: &str) -> Option<Finding> {
    if split_address(name).is_none() {
        return super::check_peer_name(leaf, name);
    }
    let held = leaf.cert.san_values.iter().any(|value| match value {
        NameValue::Email(address) => same_address(address, name),
        _ => false,
    });
    if held {
        return None;
    }
    Some(finding(
        "chain.name-mismatch",
        Severity::Error,
        format!(
            "{} contains no rfc822Name subjectAltName equal to {name}",
            leaf.cert.label()
        ),
        Some(leaf.cert.subject.rfc4514.clone()),
        Some(leaf.item),
        "Issue the certificate with the e-mail address in its subjectAltName.",
    ))
}

/// RFC 5280 4.2.1.3: each requested keyUsage bit must be asserted. A leaf
/// without the extension is unrestricted.
fn check_key_usage(leaf: &LoadedCertificate, wanted: &[String]) -> Option<Finding> {
    let flags = leaf.cert.key_usage?;
    let asserted = key_usage_names(flags);
    let missing: Vec<&str> = wanted
        .iter()
        .map(String::as_str)
        .filter(|bit| !asserted.contains(bit))
        .collect();
    if missing.is_empty() {
        return None;
    }
    Some(finding(
        "chain.key-usage-mismatch",
        Severity::Error,
        format!(
            "the keyUsage of {} asserts {} but not {}",
            leaf.cert.label(),
            if asserted.is_empty() {
                "nothing".to_string()
            } else {
                asserted.join(", ")
            },
            missing.join(", ")
        ),
        Some(leaf.cert.subject.rfc4514.clone()),
        Some(leaf.item),
        "Reissue the certificate with the keyUsage bits its use needs.",
    ))
}

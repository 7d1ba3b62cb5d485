//! `truststore.leaf-certificate`: a non-CA certificate in the truststore.
//! A self-signed v1 certificate counts as a root: it cannot carry
//! basicConstraints at all.

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.leaf-certificate",
        severity: Severity::Error,
        summary: "a certificate without basicConstraints CA:TRUE in the truststore",
        citation: "Cloudflare requires CA:TRUE on every uploaded CA; elsewhere such an entry trusts no client but itself",
    },
    check,
};

/// Returns true for a CA, or for a self-signed v1 root, which cannot carry basicConstraints.
fn is_root_or_ca(cert: &crate::x509::Certificate) -> bool {
    cert.is_ca() || (cert.version < 3 && cert.self_signed)
}

fn check(context: &BundleContext) -> Vec<Finding> {
    let severity = if context.profile.require_ca_certificates.value {
        Severity::Error
    } else {
        Severity::Warning
    };
    context
        .members
        .iter()
        .filter(|member| !is_root_or_ca(member.cert))
        .map(|member| {
            finding(
                RULE.info.code,
                severity,
                format!(
                    "{} is not a CA certificate (basicConstraints CA:TRUE is missing); it cannot issue client certificates",
                    member.cert.label()
                ),
                Some(member.cert.subject.rfc4514.clone()),
                Some(member.item),
                "Remove it from the truststore and add the CA that issued the client certificates instead.",
            )
        })
        .collect()
}

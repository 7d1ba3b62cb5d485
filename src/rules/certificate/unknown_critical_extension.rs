//! `cert.unknown-critical-extension`: a trust anchor carries a critical extension the tool does not know. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.unknown-critical-extension",
        severity: Severity::Error,
        summary: "a trust anchor carries a critical extension the tool does not know",
        citation: "RFC 5280 4.2",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && context.role == Role::Anchor
            && context
                .cert
                .extensions
                .iter()
                .any(|e| e.critical && e.name == "unknown")
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} carries a critical extension this tool does not recognize; RFC 5280 requires rejecting it",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate without the critical extension, or mark it non-critical.",
    ))
}

//! `cert.aki-critical`: the authorityKeyIdentifier extension is marked critical. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.aki-critical",
        severity: Severity::Error,
        summary: "the authorityKeyIdentifier extension is marked critical",
        citation: "RFC 5280 4.2.1.1",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && extension_is(context, AUTHORITY_KEY_IDENTIFIER, Criticality::Critical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} marks its authorityKeyIdentifier critical; RFC 5280 requires it non-critical",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a non-critical authorityKeyIdentifier.",
    ))
}

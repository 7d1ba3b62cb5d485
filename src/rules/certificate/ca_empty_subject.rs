//! `cert.ca-empty-subject`: a CA certificate has an empty subject. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.ca-empty-subject",
        severity: Severity::Error,
        summary: "a CA certificate has an empty subject",
        citation: "RFC 5280 4.1.2.6",
    },
    applies: |context| {
        rfc5280_structure_applies(context) && acts_as_ca(context) && context.cert.subject.is_empty
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has an empty subject; RFC 5280 requires a CA's subject to be populated",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with a distinguished name that matches the issuer of what it signs.",
    ))
}

//! `cert.name-constraints-in-leaf`: an end-entity certificate carries nameConstraints. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.name-constraints-in-leaf",
        severity: Severity::Error,
        summary: "an end-entity certificate carries nameConstraints",
        citation: "RFC 5280 4.2.1.10",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && context.role == Role::Leaf
            && !context.cert.is_ca()
            && has_extension(context, NAME_CONSTRAINTS)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} carries nameConstraints; RFC 5280 allows the extension only in CA certificates",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate without nameConstraints.",
    ))
}

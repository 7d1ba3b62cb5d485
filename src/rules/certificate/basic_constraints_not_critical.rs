//! `cert.basic-constraints-not-critical`: a CA certificate marks basicConstraints non-critical. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.basic-constraints-not-critical",
        severity: Severity::Error,
        summary: "a CA certificate marks basicConstraints non-critical",
        citation: "RFC 5280 4.2.1.9",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && acts_as_ca(context)
            && context
                .cert
                .basic_constraints
                .is_some_and(|bc| bc.ca && !bc.critical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} marks its basicConstraints non-critical; RFC 5280 requires it critical in a CA certificate",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with basicConstraints marked critical.",
    ))
}

//! `cert.ca-without-basic-constraints`: a CA certificate on the path has no basicConstraints extension. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.ca-without-basic-constraints",
        severity: Severity::Error,
        summary: "a CA certificate on the path has no basicConstraints extension",
        citation: "RFC 5280 4.2.1.9",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && acts_as_ca(context)
            && context.cert.basic_constraints.is_none()
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has no basicConstraints extension; RFC 5280 requires it, marked critical, in every CA certificate",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with a critical basicConstraints CA:TRUE.",
    ))
}

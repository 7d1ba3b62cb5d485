//! `cert.ski-missing`: a CA certificate has no subjectKeyIdentifier. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.ski-missing",
        severity: Severity::Error,
        summary: "a CA certificate has no subjectKeyIdentifier",
        citation: "RFC 5280 4.2.1.2",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && acts_as_ca(context)
            && context.cert.subject_key_id.is_none()
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has no subjectKeyIdentifier; RFC 5280 requires one in every CA certificate",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with a subjectKeyIdentifier (for example the SHA-1 of its public key).",
    ))
}

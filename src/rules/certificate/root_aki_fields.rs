//! `cert.root-aki-fields`: a root CA's authorityKeyIdentifier lacks keyIdentifier, names an issuer or serial, or differs from its subjectKeyIdentifier. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.root-aki-fields",
        severity: Severity::Error,
        summary: "a root CA's authorityKeyIdentifier lacks keyIdentifier, names an issuer or serial, or differs from its subjectKeyIdentifier",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2.1",
    },
    applies: |context| cabf_server_applies(context) && context.role == Role::Anchor && context.cert.self_signed && root_aki_is_malformed(context),
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has an authorityKeyIdentifier other than its own key identifier alone",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Use a root CA certificate whose authorityKeyIdentifier holds only its subjectKeyIdentifier, or none.",
    ))
}

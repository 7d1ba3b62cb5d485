//! `cert.ca-without-key-cert-sign`: a CA certificate has keyUsage without keyCertSign. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.ca-without-key-cert-sign",
        severity: Severity::Error,
        summary: "a CA certificate has keyUsage without keyCertSign",
        citation: "RFC 5280 4.2.1.3",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && acts_as_ca(context)
            && context.cert.is_ca()
            && context
                .cert
                .key_usage
                .is_some_and(|flags| flags & KEY_CERT_SIGN == 0)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} asserts basicConstraints CA:TRUE but its keyUsage lacks keyCertSign",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with keyUsage keyCertSign (and cRLSign).",
    ))
}

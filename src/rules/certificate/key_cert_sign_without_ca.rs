//! `cert.key-cert-sign-without-ca`: keyCertSign is asserted without basicConstraints CA:TRUE. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.key-cert-sign-without-ca",
        severity: Severity::Error,
        summary: "keyCertSign is asserted without basicConstraints CA:TRUE",
        citation: "RFC 5280 4.2.1.3",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && !context.cert.is_ca()
            && context
                .cert
                .key_usage
                .is_some_and(|flags| flags & KEY_CERT_SIGN != 0)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} asserts keyUsage keyCertSign without basicConstraints CA:TRUE",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate without keyCertSign, or as a CA with basicConstraints CA:TRUE.",
    ))
}

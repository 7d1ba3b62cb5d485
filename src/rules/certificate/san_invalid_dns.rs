//! `cert.san-invalid-dns`: a dNSName in the subjectAltName is not in preferred name syntax. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.san-invalid-dns",
        severity: Severity::Error,
        summary: "a dNSName in the subjectAltName is not in preferred name syntax",
        citation: "RFC 5280 4.2.1.6; RFC 1034 3.5",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && context
                .cert
                .san
                .iter()
                .any(|entry| entry.kind == "DNS" && !is_preferred_dns_name(&entry.value))
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has a subjectAltName dNSName outside the preferred name syntax (letters, digits and hyphens per label)",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with host names made of letters, digits and hyphens.",
    ))
}

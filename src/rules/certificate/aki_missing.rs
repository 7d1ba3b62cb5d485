//! `cert.aki-missing`: a certificate that is not self-signed has no authorityKeyIdentifier key identifier. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.aki-missing",
        severity: Severity::Error,
        summary:
            "a certificate that is not self-signed has no authorityKeyIdentifier key identifier",
        citation: "RFC 5280 4.2.1.1",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            // What issued a trust anchor is never checked (RFC 5280 6.1.1).
            && context.role != Role::Anchor
            // A key identifier can only name an issuer that declares one.
            && context.issuer.is_none_or(|issuer| issuer.subject_key_id.is_some())
            && !context.cert.self_signed
            && context.cert.authority_key_id.is_none()
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    // Path validation (RFC 5280 section 6) never reads the extension; the
    // requirement binds the issuing CA. A client certificate without it is
    // common (openssl without an extension file) and only warns; a CA
    // without it breaks path building in other verifiers, so it is an error.
    let severity = if context.role == Role::Leaf {
        Severity::Warning
    } else {
        Severity::Error
    };
    Some(finding(
        RULE.info.code,
        severity,
        format!(
            "{} {} has no authorityKeyIdentifier with a key identifier; RFC 5280 requires one in every certificate that is not self-signed",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with an authorityKeyIdentifier holding its issuer's subjectKeyIdentifier.",
    ))
}

//! `cert.weak-signature-algorithm`: signed with MD2, MD5 or SHA-1.

use super::{CertContext, CertRule};
use crate::crypto::HashAlgorithm;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.weak-signature-algorithm",
        severity: Severity::Error,
        summary: "signed with MD5 or SHA-1, below what the profile accepts",
        citation: "API Gateway, ALB, CloudFront: SHA-256 or stronger; a trust anchor's own self-signature is never checked (RFC 5280 6.1.1), so it only warns",
    },
    applies: |context| {
        matches!(
            context.cert.signature_algorithm.hash,
            HashAlgorithm::Md2 | HashAlgorithm::Md5 | HashAlgorithm::Sha1
        )
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    let algorithm = &context.cert.signature_algorithm.name;
    let accepted = context
        .profile
        .signature_hashes
        .value
        .contains(&context.cert.signature_algorithm.hash);

    let (severity, why) = if context.own_signature_unchecked() {
        (Severity::Warning, "its own signature is not checked when it is the trust anchor, but tools and auditors still flag it")
    } else if accepted {
        (
            Severity::Warning,
            "the profile accepts it, but the hash is broken for collision resistance",
        )
    } else {
        (
            context.algorithm_severity(),
            "the profile requires SHA-256 or stronger",
        )
    };

    let mut result = finding(
        RULE.info.code,
        severity,
        format!(
            "{} {} is signed with {algorithm}: {why}",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a SHA-256 (or stronger) signature.",
    );
    if severity == Severity::Error {
        result.gateway_message = context
            .profile
            .gateway_messages
            .insecure_signature
            .map(str::to_string);
    }
    Some(result)
}

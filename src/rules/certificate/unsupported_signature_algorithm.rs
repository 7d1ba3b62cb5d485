//! `cert.unsupported-signature-algorithm`: a sound algorithm the profile does
//! not accept (RSA-PSS, Ed25519, DSA or an unknown one, or an odd hash).

use super::{CertContext, CertRule};
use crate::crypto::{HashAlgorithm, SignatureFamily};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.unsupported-signature-algorithm",
        severity: Severity::Error,
        summary: "signed with an algorithm the profile does not accept",
        citation: "profile signature algorithm list (API Gateway: RSA and ECDSA with SHA-256 or stronger; ALB and CloudFront add RSA-PSS)",
    },
    applies: |context| {
        !matches!(
            context.cert.signature_algorithm.hash,
            HashAlgorithm::Md2 | HashAlgorithm::Md5 | HashAlgorithm::Sha1
        )
    },
    check,
};

fn rejection(context: &CertContext) -> Option<String> {
    let algorithm = &context.cert.signature_algorithm;
    let profile = context.profile;
    match algorithm.family {
        SignatureFamily::RsaPss if !profile.rsa_pss.value => Some(format!(
            "the profile does not accept RSA-PSS signatures{}",
            profile.rsa_pss.undocumented_note()
        )),
        SignatureFamily::Ed25519 if !profile.ed25519.value => Some(format!(
            "the profile does not accept Ed25519 signatures{}",
            profile.ed25519.undocumented_note()
        )),
        SignatureFamily::Ed448 | SignatureFamily::Dsa | SignatureFamily::Other => Some(
            "the profile accepts only RSA and ECDSA (and, where listed, RSA-PSS and Ed25519)"
                .into(),
        ),
        _ if !profile.signature_hashes.value.contains(&algorithm.hash) => Some(format!(
            "the profile does not accept this hash{}",
            profile.signature_hashes.undocumented_note()
        )),
        _ => None,
    }
}

fn check(context: &CertContext) -> Option<Finding> {
    let why = rejection(context)?;
    let severity = if context.own_signature_unchecked() {
        Severity::Warning
    } else {
        context.algorithm_severity()
    };
    Some(finding(
        RULE.info.code,
        severity,
        format!(
            "{} {} is signed with {}: {why}",
            context.role_name(),
            context.cert.label(),
            context.cert.signature_algorithm.name
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with RSA PKCS#1 v1.5 or ECDSA and SHA-256 or stronger.",
    ))
}

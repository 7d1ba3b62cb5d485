//! `cert.weak-key`: an RSA key below the profile's minimum, or a curve
//! smaller than P-256.

use super::{CertContext, CertRule};
use crate::crypto::KeyType;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.weak-key",
        severity: Severity::Error,
        summary: "RSA below the profile's minimum, or an elliptic curve below 256 bits",
        citation: "API Gateway, ALB, CloudFront: RSA-2048 or stronger; NIST SP 800-131A",
    },
    applies: |context| {
        matches!(
            context.cert.key.key_type,
            KeyType::Rsa | KeyType::RsaPss | KeyType::Ec
        )
    },
    check,
};

/// Curves below 256 bits that some old CAs used.
const WEAK_CURVES: &[&str] = &["P-192", "P-224", "secp160r1", "secp192k1", "secp224k1"];

fn check(context: &CertContext) -> Option<Finding> {
    let key = &context.cert.key;
    let minimum = context.profile.rsa.value.min_bits;
    let weak = match key.key_type {
        KeyType::Rsa | KeyType::RsaPss => key.bits.is_some_and(|bits| bits < minimum),
        KeyType::Ec => {
            key.curve
                .as_deref()
                .is_some_and(|curve| WEAK_CURVES.contains(&curve))
                || key.bits.is_some_and(|bits| bits < 256)
        }
        _ => false,
    };
    if !weak {
        return None;
    }
    Some(finding(
        RULE.info.code,
        context.algorithm_severity(),
        format!(
            "{} {} has a {} key; the profile needs RSA of at least {minimum} bits or ECDSA P-256 or stronger",
            context.role_name(),
            context.cert.label(),
            key.name
        ),
        context.subject(),
        Some(context.item),
        "Generate a new key (RSA 2048+ or ECDSA P-256/P-384) and reissue the certificate.",
    ))
}

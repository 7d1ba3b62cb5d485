//! `cert.unsupported-key`: a key type, size or curve the profile does not
//! accept, though not weak.

use super::{CertContext, CertRule};
use crate::crypto::KeyType;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.unsupported-key",
        severity: Severity::Error,
        summary: "a key type, size or curve the profile does not accept",
        citation: "profile key list (API Gateway REST: RSA 2048+, ECDSA P-256/P-384; ALB: RSA 2048-8192, P-256/384/521, no Ed25519; CloudFront: RSA 2048/3072/4096, P-256/384)",
    },
    applies: |_| true,
    check,
};

const WEAK_CURVES: &[&str] = &["P-192", "P-224", "secp160r1", "secp192k1", "secp224k1"];

fn rejection(context: &CertContext) -> Option<String> {
    let key = &context.cert.key;
    let profile = context.profile;
    let rsa = profile.rsa.value;
    match key.key_type {
        KeyType::Rsa | KeyType::RsaPss => {
            let bits = key.bits?;
            if key.key_type == KeyType::RsaPss && !profile.rsa_pss.value {
                return Some(format!(
                    "the profile does not accept RSA-PSS keys{}",
                    profile.rsa_pss.undocumented_note()
                ));
            }
            if bits < rsa.min_bits {
                return None; // weak-key reports it
            }
            if let Some(max) = rsa.max_bits {
                if bits > max {
                    return Some(format!(
                        "the profile accepts RSA keys up to {max} bits{}",
                        profile.rsa.undocumented_note()
                    ));
                }
            }
            match rsa.exact {
                Some(sizes) if !sizes.contains(&bits) => Some(format!(
                    "the profile accepts only RSA sizes {}",
                    sizes
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                _ => None,
            }
        }
        KeyType::Ec => {
            let curve = key
                .curve
                .clone()
                .unwrap_or_else(|| "an unnamed curve".into());
            if WEAK_CURVES.contains(&curve.as_str()) {
                return None;
            }
            if profile.curves.value.contains(&curve.as_str()) {
                None
            } else {
                Some(format!(
                    "the profile accepts ECDSA on {} only{}",
                    profile.curves.value.join(", "),
                    profile.curves.undocumented_note()
                ))
            }
        }
        KeyType::Ed25519 if profile.ed25519.value => None,
        KeyType::Ed25519 => Some(format!(
            "the profile does not accept Ed25519 keys{}",
            profile.ed25519.undocumented_note()
        )),
        KeyType::Ed448 | KeyType::Dsa | KeyType::Other => {
            Some("the profile accepts RSA and ECDSA keys only".into())
        }
    }
}

fn check(context: &CertContext) -> Option<Finding> {
    let why = rejection(context)?;
    Some(finding(
        RULE.info.code,
        context.algorithm_severity(),
        format!(
            "{} {} has a {} key: {why}",
            context.role_name(),
            context.cert.label(),
            context.cert.key.name
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a key the gateway accepts (RSA 2048 or ECDSA P-256 work everywhere).",
    ))
}

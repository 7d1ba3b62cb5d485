//! `cert.rsa-modulus-not-multiple-of-8`: an RSA modulus size that is not a multiple of 8 bits. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.rsa-modulus-not-multiple-of-8",
        severity: Severity::Error,
        summary: "an RSA modulus size that is not a multiple of 8 bits",
        citation: "CA/Browser Forum Baseline Requirements 6.1.5",
    },
    applies: |context| {
        cabf_server_applies(context)
            && matches!(context.cert.key.key_type, KeyType::Rsa | KeyType::RsaPss)
            && context.cert.key.bits.is_some_and(|bits| bits % 8 != 0)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has an RSA modulus whose size is not a multiple of 8 bits",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Use an RSA key of 2048, 3072 or 4096 bits.",
    ))
}

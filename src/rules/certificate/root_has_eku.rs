//! `cert.root-has-eku`: a root CA carries an extendedKeyUsage extension. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.root-has-eku",
        severity: Severity::Error,
        summary: "a root CA carries an extendedKeyUsage extension",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2.1.2",
    },
    applies: |context| {
        cabf_server_applies(context)
            && context.role == Role::Anchor
            && context.cert.self_signed
            && context.cert.extended_key_usage.is_some()
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} carries extendedKeyUsage; the Baseline Requirements forbid it in a root CA",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Use a root CA certificate without extendedKeyUsage.",
    ))
}

//! `cert.eku-critical`: a server certificate marks extendedKeyUsage critical. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.eku-critical",
        severity: Severity::Error,
        summary: "a server certificate marks extendedKeyUsage critical",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2.7.6",
    },
    applies: |context| {
        cabf_server_applies(context)
            && context.role == Role::Leaf
            && extension_is(context, EXTENDED_KEY_USAGE, Criticality::Critical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} marks its extendedKeyUsage critical; the Baseline Requirements require it non-critical",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a non-critical extendedKeyUsage.",
    ))
}

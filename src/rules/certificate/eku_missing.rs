//! `cert.eku-missing`: a server certificate has no extendedKeyUsage extension. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.eku-missing",
        severity: Severity::Error,
        summary: "a server certificate has no extendedKeyUsage extension",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2.7.6",
    },
    applies: |context| {
        cabf_server_applies(context)
            && context.role == Role::Leaf
            && context.cert.extended_key_usage.is_none()
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has no extendedKeyUsage; the Baseline Requirements require it in a server certificate",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with extendedKeyUsage serverAuth.",
    ))
}

//! `cert.malformed-extension`: an extension's value does not decode. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.malformed-extension",
        severity: Severity::Error,
        summary: "an extension's value does not decode",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2; RFC 5280 4.2",
    },
    applies: |context| {
        cabf_server_applies(context)
            && context
                .cert
                .extensions
                .iter()
                .any(|e| e.value.get("error").is_some())
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has an extension whose value does not decode",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with well-formed extensions.",
    ))
}

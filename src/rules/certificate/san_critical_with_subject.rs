//! `cert.san-critical-with-subject`: a certificate with a subject marks subjectAltName critical. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.san-critical-with-subject",
        severity: Severity::Error,
        summary: "a certificate with a subject marks subjectAltName critical",
        citation: "CA/Browser Forum Baseline Requirements 7.1.2.7",
    },
    applies: |context| {
        cabf_server_applies(context)
            && context.role == Role::Leaf
            && !context.cert.subject.is_empty
            && extension_is(context, SUBJECT_ALT_NAME, Criticality::Critical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has a subject but marks its subjectAltName critical",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a non-critical subjectAltName.",
    ))
}

//! `cert.san-not-critical-with-empty-subject`: an empty subject with a non-critical subjectAltName. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.san-not-critical-with-empty-subject",
        severity: Severity::Error,
        summary: "an empty subject with a non-critical subjectAltName",
        citation: "RFC 5280 4.2.1.6",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && context.cert.subject.is_empty
            && extension_is(context, SUBJECT_ALT_NAME, Criticality::NonCritical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has an empty subject but a non-critical subjectAltName; RFC 5280 requires it critical then",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a subject, or with the subjectAltName marked critical.",
    ))
}

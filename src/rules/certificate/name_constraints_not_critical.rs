//! `cert.name-constraints-not-critical`: the nameConstraints extension is marked non-critical. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.name-constraints-not-critical",
        severity: Severity::Error,
        summary: "the nameConstraints extension is marked non-critical",
        citation: "RFC 5280 4.2.1.10",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            // The Baseline Requirements let CAs mark it non-critical.
            && !context.profile.cabf_server_rules.value
            && extension_is(context, NAME_CONSTRAINTS, Criticality::NonCritical)
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} marks its nameConstraints non-critical; RFC 5280 requires it critical",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with nameConstraints marked critical.",
    ))
}

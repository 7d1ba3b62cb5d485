//! `cert.name-constraints-empty`: a nameConstraints extension with neither permitted nor excluded subtrees. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.name-constraints-empty",
        severity: Severity::Error,
        summary: "a nameConstraints extension with neither permitted nor excluded subtrees",
        citation: "RFC 5280 4.2.1.10",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            && has_extension(context, NAME_CONSTRAINTS)
            && context
                .cert
                .name_constraints
                .as_ref()
                .is_none_or(|nc| nc.permitted.is_empty() && nc.excluded.is_empty())
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has a nameConstraints extension with no subtrees; RFC 5280 forbids an empty one",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with at least one permitted or excluded subtree, or without nameConstraints.",
    ))
}

//! `cert.v1`: not an X.509 v3 certificate.

use super::{CertContext, CertRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.v1",
        severity: Severity::Error,
        summary: "not an X.509 v3 certificate (no extensions, so no basicConstraints)",
        citation:
            "ALB and CloudFront require X.509v3; RFC 5280 6.1.1 lets a v1 trust anchor end a path",
    },
    applies: |context| context.cert.version < 3,
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    let severity = if context.profile.require_v3.value {
        Severity::Error
    } else {
        Severity::Warning
    };
    Some(finding(
        RULE.info.code,
        severity,
        format!(
            "{} {} is an X.509 v{} certificate; it cannot carry basicConstraints or other extensions{}",
            context.role_name(),
            context.cert.label(),
            context.cert.version,
            context.profile.require_v3.undocumented_note()
        ),
        context.subject(),
        Some(context.item),
        "Reissue it as a v3 certificate with basicConstraints (CA:TRUE for a CA).",
    ))
}

//! `cert.not-yet-valid`: the check time is before notBefore.

use super::{CertContext, CertRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};
use crate::x509::format_time;

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.not-yet-valid",
        severity: Severity::Error,
        summary: "the certificate is not valid yet at the check time",
        citation: "RFC 5280 4.1.2.5 and 6.1.3 (a)(2)",
    },
    applies: |_| true,
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    let cert = context.cert;
    if context.at >= cert.not_before {
        return None;
    }
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} is not valid before {} (check time {})",
            context.role_name(),
            cert.label(),
            format_time(cert.not_before),
            format_time(context.at)
        ),
        context.subject(),
        Some(context.item),
        "Wait until notBefore, or check the issuing system's clock; a certificate dated in the future is refused until then.",
    ))
}

//! `cert.expired`: the check time is after notAfter.

use super::{CertContext, CertRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};
use crate::x509::format_time;

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.expired",
        severity: Severity::Error,
        summary: "the certificate expired before the check time",
        citation: "RFC 5280 4.1.2.5 and 6.1.3 (a)(2)",
    },
    applies: |_| true,
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    let cert = context.cert;
    if context.at <= cert.not_after {
        return None;
    }
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} expired at {} (check time {})",
            context.role_name(),
            cert.label(),
            format_time(cert.not_after),
            format_time(context.at)
        ),
        context.subject(),
        Some(context.item),
        "Replace it with a renewed certificate; gateways refuse paths through expired certificates.",
    ))
}

//! `cert.expiring-soon`: notAfter falls inside the profile's warning window.

use super::{CertContext, CertRule};
use crate::report::text::days_from_check_time;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};
use crate::x509::format_time;

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.expiring-soon",
        severity: Severity::Warning,
        summary: "the certificate expires within the warning window (30 days by default)",
        citation: "API Gateway computes truststore warnings only on update and never reports a CA that expires later",
    },
    applies: |context| context.at <= context.cert.not_after,
    check,
};

const SECONDS_PER_DAY: i64 = 86_400;

fn check(context: &CertContext) -> Option<Finding> {
    let cert = context.cert;
    let remaining = cert.not_after - context.at;
    let window = context.profile.expiry_warning_days * SECONDS_PER_DAY;
    if remaining > window {
        return None;
    }
    Some(finding(
        RULE.info.code,
        Severity::Warning,
        format!(
            "{} {} expires at {}, {}",
            context.role_name(),
            cert.label(),
            format_time(cert.not_after),
            days_from_check_time(remaining / SECONDS_PER_DAY)
        ),
        context.subject(),
        Some(context.item),
        "Renew it now and upload the new certificate; gateways do not warn again before it expires.",
    ))
}

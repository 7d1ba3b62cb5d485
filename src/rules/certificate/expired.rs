//! `cert.expired`: the check time is after notAfter.

use super::{CertContext, CertRule, Role};
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
    if let Some(switch) = ignored_by_gateway(context) {
        return Some(finding(
            RULE.info.code,
            Severity::Warning,
            format!(
                "{} {} expired at {} (check time {}); accepted because {switch} is on",
                context.role_name(),
                cert.label(),
                format_time(cert.not_after),
                format_time(context.at)
            ),
            context.subject(),
            Some(context.item),
            "Renew the client certificate; the switch only covers the client certificate, so its CAs must still be valid.",
        ));
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

/// Returns the gateway switch name when the options ignore this client certificate's expiry.
/// The switch covers only the client certificate's notAfter: CAs on the path
/// and a client certificate that is not yet valid are still rejected.
fn ignored_by_gateway(context: &CertContext) -> Option<&'static str> {
    if context.role != Role::Leaf || !context.profile.ignore_client_expiry {
        return None;
    }
    context.profile.client_expiry_override.value
}

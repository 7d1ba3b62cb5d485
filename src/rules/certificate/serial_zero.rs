//! `cert.serial-zero`: the serial number is zero. Checked on path certificates under profiles that
//! hold certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.serial-zero",
        severity: Severity::Error,
        summary: "the serial number is zero",
        citation: "RFC 5280 4.1.2.2",
    },
    applies: |context| {
        rfc5280_structure_applies(context)
            // Trust anchors are inputs to path validation (RFC 5280 6.1.1),
            // and some long-trusted roots carry serial zero.
            && context.role != Role::Anchor
            && !context.cert.serial.negative
            && context.cert.serial.hex == "00"
    },
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} has serial number zero; RFC 5280 requires a positive integer",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a positive, random serial number.",
    ))
}

//! `cert.negative-serial`: the serial number is negative.

use super::{CertContext, CertRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.negative-serial",
        severity: Severity::Warning,
        summary: "the serial number is negative",
        citation: "RFC 5280 4.1.2.2: the serial MUST be a positive integer; ALB cannot revoke such certificates",
    },
    applies: |context| context.cert.serial.negative,
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Warning,
        format!(
            "{} {} has the negative serial number {}",
            context.role_name(),
            context.cert.label(),
            context.cert.serial.hex
        ),
        context.subject(),
        Some(context.item),
        "Most gateways still accept it, but strict parsers reject it and CRLs cannot name it: reissue with a positive serial.",
    ))
}

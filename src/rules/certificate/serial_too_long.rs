//! `cert.serial-too-long`: the serial value exceeds 20 octets. The DER sign
//! octet (a leading 0x00 before a set top bit) is not part of the value.

use super::{CertContext, CertRule, Role};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

/// RFC 5280 4.1.2.2: conforming CAs use serials of at most 20 octets.
pub const MAX_SERIAL_OCTETS: usize = 20;

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.serial-too-long",
        severity: Severity::Error,
        summary: "the serial number is longer than 20 octets",
        citation: "RFC 5280 4.1.2.2",
    },
    applies: |context| context.cert.serial.value_octets > MAX_SERIAL_OCTETS,
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    // A warning for gateways; an error where the profile holds path
    // certificates to the RFC 5280 certificate profile.
    let severity =
        if context.profile.rfc5280_structure.value && context.role != Role::TruststoreMember {
            Severity::Error
        } else {
            Severity::Warning
        };
    Some(finding(
        RULE.info.code,
        severity,
        format!(
            "{} {} has a serial number of {} octets; RFC 5280 allows at most {MAX_SERIAL_OCTETS}",
            context.role_name(),
            context.cert.label(),
            context.cert.serial.value_octets
        ),
        context.subject(),
        Some(context.item),
        "Some verifiers reject such certificates: reissue with a serial of at most 20 octets.",
    ))
}

//! `cert.cn-not-in-san`: the subject commonName of a server certificate is not one of its subjectAltName entries. Checked on path certificates under profiles that
//! apply the CA/Browser Forum rules for server certificates.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.cn-not-in-san",
        severity: Severity::Error,
        summary: "the subject commonName of a server certificate is not one of its subjectAltName entries",
        citation: "CA/Browser Forum Baseline Requirements 7.1.4.3",
    },
    applies: |context| cabf_server_applies(context) && context.role == Role::Leaf && common_name_outside_san(context),
    check,
};

fn check(context: &CertContext) -> Option<Finding> {
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "the subject commonName of {} {} is not written exactly as one of its subjectAltName entries",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the certificate with a commonName copied from a subjectAltName entry, or without a commonName.",
    ))
}

//! `truststore.missing-issuer`: a CA that is not self-signed and whose
//! issuer is not in the bundle.

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.missing-issuer",
        severity: Severity::Error,
        summary: "a CA whose issuer is not in the truststore",
        citation: "API Gateway: the truststore must hold the whole chain from the issuing CA up to the root",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let severity = if context.profile.complete_truststore_chain.value {
        Severity::Error
    } else {
        Severity::Warning
    };
    context
        .members
        .iter()
        .filter(|member| {
            member.cert.is_ca() && !member.cert.self_signed && member.issuer_item.is_none()
        })
        .map(|member| {
            finding(
                RULE.info.code,
                severity,
                format!(
                    "the issuer of {} ({}) is not in the truststore",
                    member.cert.label(),
                    member.cert.issuer.rfc4514
                ),
                Some(member.cert.subject.rfc4514.clone()),
                Some(member.item),
                "Add the issuing CA certificate, and every CA above it up to the self-signed root.",
            )
        })
        .collect()
}

//! `truststore.certificate-too-large`: one certificate exceeds the per-certificate quota.

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.certificate-too-large",
        severity: Severity::Error,
        summary: "one CA certificate is larger than the profile's per-certificate quota",
        citation: "ALB: CA certificate size 16 KB; CloudFront: 16,384 bytes",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let Some(limit) = context.profile.max_certificate_bytes else {
        return Vec::new();
    };
    context
        .members
        .iter()
        .filter(|member| member.cert.der.len() > limit.value)
        .map(|member| {
            finding(
                RULE.info.code,
                Severity::Error,
                format!(
                    "{} is {} bytes (DER); the {} quota is {} bytes per certificate",
                    member.cert.label(),
                    member.cert.der.len(),
                    context.profile.name,
                    limit.value
                ),
                Some(member.cert.subject.rfc4514.clone()),
                Some(member.item),
                "Reissue the CA without bulky extensions, or leave it out of this trust store.",
            )
        })
        .collect()
}

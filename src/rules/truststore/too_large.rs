//! `truststore.too-large`: the bundle file exceeds the size quota.

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.too-large",
        severity: Severity::Error,
        summary: "the bundle is larger than the profile's size quota",
        citation: "API Gateway: truststore object up to 1 MB; CloudFront: 1 MB",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let Some(limit) = context.profile.max_bundle_bytes else {
        return Vec::new();
    };
    let bytes = context.layout.total_bytes;
    if bytes <= limit.value {
        return Vec::new();
    }
    vec![finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} is {bytes} bytes; the {} quota is {} bytes ({})",
            context.source, context.profile.name, limit.value, limit.citation
        ),
        None,
        None,
        "Remove comments, text dumps and CAs no client uses, or split the bundle.",
    )]
}

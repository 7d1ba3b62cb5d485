//! `truststore.too-many-certificates`: more certificates than the quota.

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.too-many-certificates",
        severity: Severity::Error,
        summary: "more certificates than the profile's truststore quota",
        citation: "API Gateway: 1,000 per truststore; ALB and CloudFront: 25 per trust store",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let Some(limit) = context.profile.max_certificates else {
        return Vec::new();
    };
    let count = context.members.len();
    if count <= limit.value {
        return Vec::new();
    }
    vec![finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} holds {count} certificates; the {} quota is {} ({})",
            context.source, context.profile.name, limit.value, limit.citation
        ),
        None,
        None,
        "Remove CAs that no client chains to, split the clients across trust stores, or ask for a quota increase where the gateway allows one.",
    )]
}

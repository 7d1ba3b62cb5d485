//! `truststore.duplicate`: the same certificate appears more than once.

use std::collections::HashMap;

use super::{BundleContext, BundleRule};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.duplicate",
        severity: Severity::Warning,
        summary: "the same certificate appears more than once",
        citation: "duplicates count against the certificate quota and hide which copy is meant",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    let mut findings = Vec::new();
    for member in &context.members {
        let fingerprint = member.cert.sha256_fingerprint.as_str();
        match first_seen.get(fingerprint) {
            Some(first) => findings.push(finding(
                RULE.info.code,
                Severity::Warning,
                format!(
                    "{} repeats item {first} (SHA-256 {})",
                    member.cert.label(),
                    member.cert.short_fingerprint()
                ),
                Some(member.cert.subject.rfc4514.clone()),
                Some(member.item),
                "Delete the repeated copy.",
            )),
            None => {
                first_seen.insert(fingerprint, member.item);
            }
        }
    }
    findings
}

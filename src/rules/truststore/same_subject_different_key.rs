//! `truststore.same-subject-different-key`: two CAs share a subject but not a key.

use std::collections::HashMap;

use super::{BundleContext, BundleRule, Member};
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.same-subject-different-key",
        severity: Severity::Warning,
        summary: "two CAs share a subject but not a key",
        citation: "stores keyed by subject keep one of them; verifiers that try only the first match reject clients of the other",
    },
    check,
};

fn check(context: &BundleContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    // Earlier members by subject, in bundle order: a lookup instead of a pairwise scan.
    let mut earlier_by_subject: HashMap<&[u8], Vec<&Member>> = HashMap::new();
    for member in &context.members {
        let same_subject = earlier_by_subject
            .entry(member.cert.subject.der.as_slice())
            .or_default();
        let earlier = same_subject
            .iter()
            .copied()
            .find(|other| other.cert.spki_der != member.cert.spki_der);
        same_subject.push(member);
        let Some(other) = earlier else { continue };
        let without_ski = [member, other]
            .iter()
            .filter(|m| m.cert.subject_key_id.is_none())
            .count();
        let note = if without_ski > 0 {
            "; at least one has no subjectKeyIdentifier, so they cannot be told apart by key identifier"
        } else {
            ""
        };
        findings.push(finding(
            RULE.info.code,
            Severity::Warning,
            format!(
                "{} (item {}) has the same subject as item {} but another key{note}",
                member.cert.label(),
                member.item,
                other.item
            ),
            Some(member.cert.subject.rfc4514.clone()),
            Some(member.item),
            "Keep both only during a rotation; give the new CA a distinct subject (for example a generation suffix) where you can.",
        ));
    }
    findings
}

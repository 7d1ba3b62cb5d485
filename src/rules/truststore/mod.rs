//! Rules over a whole truststore: quotas, bundle format, and the relations
//! between its certificates (duplicates, missing issuers, shared subjects).

mod certificate_too_large;
mod duplicate;
mod format;
mod leaf_certificate;
mod missing_issuer;
mod same_subject_different_key;
mod too_large;
mod too_many_certificates;

use crate::input::Layout;
use crate::profile::Profile;
use crate::report::Finding;
use crate::x509::Certificate;

use super::RuleInfo;

/// One certificate of the bundle with its item index and size in the file.
pub struct Member<'a> {
    pub item: usize,
    pub cert: &'a Certificate,
    pub byte_len: usize,
    /// Item of the bundle certificate whose key verifies this one's signature.
    pub issuer_item: Option<usize>,
}

/// A non-certificate block of the bundle (key, CSR, CRL, broken block).
pub struct OtherBlock {
    pub item: usize,
    pub label: Option<String>,
}

/// The bundle and what the rules need to judge it.
pub struct BundleContext<'a> {
    pub members: Vec<Member<'a>>,
    pub other_blocks: Vec<OtherBlock>,
    pub layout: &'a Layout,
    pub source: &'a str,
    pub profile: &'a Profile,
}

/// A rule over a whole bundle.
pub struct BundleRule {
    pub info: RuleInfo,
    pub check: fn(&BundleContext) -> Vec<Finding>,
}

/// Every truststore rule, in report order.
pub static RULES: &[&BundleRule] = &[
    &format::RULE,
    &too_many_certificates::RULE,
    &too_large::RULE,
    &certificate_too_large::RULE,
    &duplicate::RULE,
    &leaf_certificate::RULE,
    &missing_issuer::RULE,
    &same_subject_different_key::RULE,
];

/// Metadata of every truststore rule, for the registry.
pub static CODES: std::sync::LazyLock<Vec<RuleInfo>> =
    std::sync::LazyLock::new(|| RULES.iter().map(|rule| rule.info).collect());

/// Runs every truststore rule over the bundle.
pub fn check(context: &BundleContext) -> Vec<Finding> {
    RULES
        .iter()
        .flat_map(|rule| (rule.check)(context))
        .collect()
}

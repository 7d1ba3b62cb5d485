//! Rules over one certificate in its role: the client certificate, a CA on
//! a path, a trust anchor, or a member of a truststore being linted.

mod expired;
mod expiring_soon;
mod negative_serial;
mod not_yet_valid;
mod serial_too_long;
mod unsupported_key;
mod unsupported_signature_algorithm;
mod v1;
mod weak_key;
mod weak_signature_algorithm;

use crate::profile::Profile;
use crate::report::Severity;
use crate::x509::Certificate;

use crate::report::Finding;

use super::RuleInfo;

/// A rule over one certificate.
pub struct CertRule {
    pub info: RuleInfo,
    pub applies: fn(&CertContext) -> bool,
    pub check: fn(&CertContext) -> Option<Finding>,
}

/// The role of a certificate in the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The client certificate being verified.
    Leaf,
    /// A CA between the leaf and the anchor.
    Intermediate,
    /// The trust anchor that ends a path.
    Anchor,
    /// A certificate in a truststore under lint.
    TruststoreMember,
}

/// One certificate and what a rule needs to judge it.
pub struct CertContext<'a> {
    pub cert: &'a Certificate,
    pub item: usize,
    pub role: Role,
    pub profile: &'a Profile,
    /// Check time, Unix seconds.
    pub at: i64,
}

impl CertContext<'_> {
    /// True when this certificate's own signature is never checked during
    /// path validation: a trust anchor's, or a self-signed root's.
    pub fn own_signature_unchecked(&self) -> bool {
        self.role == Role::Anchor || self.cert.self_signed
    }

    /// Returns the severity for an algorithm or key the profile does not accept.
    pub fn algorithm_severity(&self) -> Severity {
        self.profile.algorithm_severity
    }

    pub fn subject(&self) -> Option<String> {
        Some(self.cert.subject.rfc4514.clone())
    }

    /// Names the role in messages.
    pub fn role_name(&self) -> &'static str {
        match self.role {
            Role::Leaf => "client certificate",
            Role::Intermediate => "intermediate CA",
            Role::Anchor => "trust anchor",
            Role::TruststoreMember if self.cert.self_signed => "root CA",
            Role::TruststoreMember if self.cert.is_ca() => "CA certificate",
            Role::TruststoreMember => "certificate",
        }
    }
}

/// Every certificate rule, in report order.
pub static RULES: &[&CertRule] = &[
    &expired::RULE,
    &not_yet_valid::RULE,
    &expiring_soon::RULE,
    &weak_signature_algorithm::RULE,
    &unsupported_signature_algorithm::RULE,
    &weak_key::RULE,
    &unsupported_key::RULE,
    &v1::RULE,
    &negative_serial::RULE,
    &serial_too_long::RULE,
];

/// Runs every certificate rule that applies to one certificate.
pub fn check(context: &CertContext) -> Vec<Finding> {
    RULES
        .iter()
        .filter(|rule| (rule.applies)(context))
        .filter_map(|rule| (rule.check)(context))
        .collect()
}

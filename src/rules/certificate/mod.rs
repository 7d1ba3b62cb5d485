//! Rules over one certificate in its role: the client certificate, a CA on
//! a path, a trust anchor, or a member of a truststore being linted.

mod aki_critical;
mod aki_missing;
mod basic_constraints_not_critical;
mod ca_empty_subject;
mod ca_without_basic_constraints;
mod ca_without_key_cert_sign;
mod cn_not_in_san;
mod eku_any;
mod eku_critical;
mod eku_missing;
mod expired;
mod expiring_soon;
mod key_cert_sign_without_ca;
mod malformed_extension;
mod name_constraints_empty;
mod name_constraints_in_leaf;
mod name_constraints_invalid_dns;
mod name_constraints_not_critical;
mod negative_serial;
mod not_yet_valid;
mod policy_constraints_not_critical;
mod root_aki_fields;
mod root_has_eku;
mod rsa_modulus_not_multiple_of_8;
mod san_critical_with_subject;
mod san_invalid_dns;
mod san_not_critical_with_empty_subject;
mod serial_too_long;
mod serial_zero;
mod ski_critical;
mod ski_missing;
mod unknown_critical_extension;
mod unsupported_key;
mod unsupported_signature_algorithm;
mod v1;
mod weak_key;
mod weak_signature_algorithm;

use crate::crypto::KeyType;
use crate::profile::Profile;
use crate::report::Severity;
use crate::x509::{Certificate, EKU_ANY};

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
    /// The certificate's issuer on the path, when it is known.
    pub issuer: Option<&'a Certificate>,
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

/// Extension OIDs the structure rules look at.
const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
const SUBJECT_ALT_NAME: &str = "2.5.29.17";
const NAME_CONSTRAINTS: &str = "2.5.29.30";
const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
const POLICY_CONSTRAINTS: &str = "2.5.29.36";
const EXTENDED_KEY_USAGE: &str = "2.5.29.37";

/// The keyCertSign bit in x509-parser's keyUsage flags.
const KEY_CERT_SIGN: u16 = 1 << 5;

/// Whether an extension is wanted critical or non-critical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Criticality {
    Critical,
    NonCritical,
}

/// The RFC 5280 certificate-profile rules judge v3 certificates on a path
/// (not truststore members under lint) when the profile asks for them. A v1
/// certificate carries no extensions, and RFC 5280 6.1.1 lets a v1 trust
/// anchor end a path, so it is left to `cert.v1`.
fn rfc5280_structure_applies(context: &CertContext) -> bool {
    context.profile.rfc5280_structure.value
        && context.cert.version >= 3
        && context.role != Role::TruststoreMember
}

/// The CA/Browser Forum server-certificate rules judge certificates on a
/// path when the profile asks for them.
fn cabf_server_applies(context: &CertContext) -> bool {
    context.profile.cabf_server_rules.value && context.role != Role::TruststoreMember
}

/// A root's authorityKeyIdentifier may hold only its own key identifier
/// (Baseline Requirements 7.1.2.1).
fn root_aki_is_malformed(context: &CertContext) -> bool {
    let Some(view) = context
        .cert
        .extensions
        .iter()
        .find(|e| e.oid == AUTHORITY_KEY_IDENTIFIER)
    else {
        return false;
    };
    let names_issuer = !view.value["issuer"].is_null() || !view.value["serial"].is_null();
    let matches_ski = match (&context.cert.authority_key_id, &context.cert.subject_key_id) {
        (Some(aki), Some(ski)) => aki == ski,
        (Some(_), None) => true,
        (None, _) => false,
    };
    names_issuer || !matches_ski
}

/// Baseline Requirements 7.1.4.3: a commonName must repeat a subjectAltName
/// entry exactly: a dNSName byte for byte, an IP address in its canonical
/// text (dotted decimal, or RFC 5952 for IPv6).
fn common_name_outside_san(context: &CertContext) -> bool {
    context.cert.common_names.iter().any(|cn| {
        !context
            .cert
            .san
            .iter()
            .any(|entry| matches!(entry.kind, "DNS" | "IP") && entry.value == *cn)
    })
}

/// True for a certificate that signs others on this path.
fn acts_as_ca(context: &CertContext) -> bool {
    matches!(context.role, Role::Intermediate | Role::Anchor)
}

fn has_extension(context: &CertContext, oid: &str) -> bool {
    context.cert.extensions.iter().any(|e| e.oid == oid)
}

fn extension_is(context: &CertContext, oid: &str, wanted: Criticality) -> bool {
    context
        .cert
        .extensions
        .iter()
        .any(|e| e.oid == oid && e.critical == (wanted == Criticality::Critical))
}

/// RFC 1034 3.5 preferred name syntax, with a leading `*.` label allowed:
/// labels of 1 to 63 letters, digits and hyphens, not starting or ending
/// with a hyphen.
fn is_preferred_dns_name(name: &str) -> bool {
    let name = name.strip_prefix("*.").unwrap_or(name);
    let name = name.strip_suffix('.').unwrap_or(name);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
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
    &aki_missing::RULE,
    &aki_critical::RULE,
    &ski_missing::RULE,
    &ski_critical::RULE,
    &ca_without_basic_constraints::RULE,
    &basic_constraints_not_critical::RULE,
    &ca_without_key_cert_sign::RULE,
    &key_cert_sign_without_ca::RULE,
    &serial_zero::RULE,
    &ca_empty_subject::RULE,
    &san_not_critical_with_empty_subject::RULE,
    &name_constraints_in_leaf::RULE,
    &name_constraints_not_critical::RULE,
    &policy_constraints_not_critical::RULE,
    &unknown_critical_extension::RULE,
    &san_invalid_dns::RULE,
    &eku_missing::RULE,
    &eku_any::RULE,
    &eku_critical::RULE,
    &root_has_eku::RULE,
    &root_aki_fields::RULE,
    &cn_not_in_san::RULE,
    &san_critical_with_subject::RULE,
    &malformed_extension::RULE,
    &rsa_modulus_not_multiple_of_8::RULE,
    &name_constraints_empty::RULE,
    &name_constraints_invalid_dns::RULE,
];

/// Runs every certificate rule that applies to one certificate.
pub fn check(context: &CertContext) -> Vec<Finding> {
    RULES
        .iter()
        .filter(|rule| (rule.applies)(context))
        .filter_map(|rule| (rule.check)(context))
        .collect()
}

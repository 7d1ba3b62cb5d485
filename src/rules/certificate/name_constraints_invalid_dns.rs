//! `cert.name-constraints-invalid-dns`: a dNSName subtree of nameConstraints
//! is not a host name. Checked on path certificates under profiles that hold
//! certificates to the RFC 5280 profile, beyond what rustls-webpki checks.

use super::*;
use crate::report::{Finding, Severity};
use crate::rules::{finding, RuleInfo};
use crate::x509::NameValue;

pub static RULE: CertRule = CertRule {
    info: RuleInfo {
        code: "cert.name-constraints-invalid-dns",
        severity: Severity::Error,
        summary:
            "a dNSName subtree of nameConstraints is not a host name (for example a leading period)",
        citation: "RFC 5280 4.2.1.10",
    },
    applies: |context| rfc5280_structure_applies(context) && invalid_dns_subtree(context).is_some(),
    check,
};

/// RFC 5280 4.2.1.10: a dNSName constraint is a host name that names can be
/// built from by adding labels on the left; the leading-period form is
/// defined only for URIs and e-mail addresses. An empty name matches all.
fn invalid_dns_subtree<'a>(context: &CertContext<'a>) -> Option<&'a str> {
    let constraints = context.cert.name_constraints.as_ref()?;
    constraints
        .permitted
        .iter()
        .chain(&constraints.excluded)
        .find_map(|value| match value {
            NameValue::Dns(name)
                if !name.is_empty() && (name.starts_with('*') || !is_preferred_dns_name(name)) =>
            {
                Some(name.as_str())
            }
            _ => None,
        })
}

fn check(context: &CertContext) -> Option<Finding> {
    let name = invalid_dns_subtree(context)?;
    Some(finding(
        RULE.info.code,
        Severity::Error,
        format!(
            "{} {} constrains the dNSName {name:?}, which is not a host name; RFC 5280 name constraints for DNS take a host name with no leading period",
            context.role_name(),
            context.cert.label()
        ),
        context.subject(),
        Some(context.item),
        "Reissue the CA certificate with dNSName constraints written as host names (example.com, not .example.com).",
    ))
}

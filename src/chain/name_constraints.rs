//! Name constraints per RFC 5280 4.2.1.10, used where rustls-webpki fails
//! closed: it rejects every directory-name (dirName) constraint outright, so a
//! path under a dirName-constrained CA is re-judged here. Only paths webpki
//! refused for a name-constraint violation alone reach this code; every other
//! check of the path is webpki's.

use crate::x509::{Certificate, NameConstraintsView, NameValue};

use super::policy::PathNode;

/// A name of a certificate below a constrained CA that the constraints reject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Index into the path of the certificate whose name is rejected.
    pub certificate: usize,
    /// Index into the path of the CA whose constraint rejects it.
    pub constrained_by: usize,
    pub name: String,
    pub reason: &'static str,
}

/// True when a CA on the path carries a dirName subtree, which webpki cannot evaluate.
pub fn path_has_directory_constraints(path: &[PathNode]) -> bool {
    path.iter()
        .skip(1)
        .filter_map(|node| node.cert.name_constraints.as_ref())
        .any(|nc| {
            nc.permitted
                .iter()
                .chain(&nc.excluded)
                .any(|v| matches!(v, NameValue::DirName(_)))
        })
}

/// True when a CA on the path carries an rfc822Name subtree: rustls-webpki
/// rejects every e-mail name constraint, so this crate evaluates them.
pub fn path_has_email_constraints(path: &[PathNode]) -> bool {
    path.iter()
        .skip(1)
        .filter_map(|node| node.cert.name_constraints.as_ref())
        .any(|nc| {
            nc.permitted
                .iter()
                .chain(&nc.excluded)
                .any(|v| matches!(v, NameValue::Email(_)))
        })
}

fn same_form(a: &NameValue, b: &NameValue) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && !matches!((a, b), (NameValue::Other(x), NameValue::Other(y)) if x != y)
}

fn dns_matches(name: &str, base: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let base = base.trim_end_matches('.').to_ascii_lowercase();
    if base.is_empty() {
        return true;
    }
    if let Some(suffix) = base.strip_prefix('.') {
        return name.ends_with(&format!(".{suffix}"));
    }
    name == base || name.ends_with(&format!(".{base}"))
}

fn email_matches(name: &str, base: &str) -> bool {
    // A name that is not a mailbox (one `@` between a local part and a host)
    // matches no subtree, so a permitted e-mail subtree rejects it.
    let Some((local, host)) = name.split_once('@') else {
        return false;
    };
    if local.is_empty() || host.is_empty() || host.contains('@') {
        return false;
    }
    if let Some((base_local, base_host)) = base.rsplit_once('@') {
        return local == base_local && host.eq_ignore_ascii_case(base_host);
    }
    if base.starts_with('.') {
        return host
            .to_ascii_lowercase()
            .ends_with(&base.to_ascii_lowercase());
    }
    host.eq_ignore_ascii_case(base)
}

fn ip_matches(name: &[u8], base: &[u8]) -> bool {
    let half = base.len() / 2;
    if half == 0 || name.len() != half || base.len() != half * 2 {
        return false;
    }
    let (address, mask) = base.split_at(half);
    name.iter()
        .zip(address)
        .zip(mask)
        .all(|((n, a), m)| n & m == a & m)
}

fn dir_matches(name: &[Vec<(String, String)>], base: &[Vec<(String, String)>]) -> bool {
    base.len() <= name.len() && name.iter().zip(base).all(|(n, b)| n == b)
}

/// Returns whether `name` lies inside the subtree `base`, or `None` when the form is not compared.
fn within(name: &NameValue, base: &NameValue) -> Option<bool> {
    match (name, base) {
        (NameValue::Dns(n), NameValue::Dns(b)) => Some(dns_matches(n, b)),
        (NameValue::Email(n), NameValue::Email(b)) => Some(email_matches(n, b)),
        (NameValue::Ip(n), NameValue::Ip(b)) => Some(ip_matches(n, b)),
        (NameValue::DirName(n), NameValue::DirName(b)) => Some(dir_matches(n, b)),
        _ => None,
    }
}

fn describe(name: &NameValue) -> String {
    match name {
        NameValue::Dns(v) => format!("DNS:{v}"),
        NameValue::Email(v) => format!("email:{v}"),
        NameValue::Ip(v) => format!("IP:{}", crate::x509::ip_text(v)),
        NameValue::DirName(rdns) => format!(
            "dirName:{}",
            rdns.iter()
                .map(|rdn| rdn
                    .iter()
                    .map(|(t, v)| format!("{t}={v}"))
                    .collect::<Vec<_>>()
                    .join("+"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        NameValue::Uri(v) => format!("URI:{v}"),
        NameValue::Other(tag) => format!("name form [{tag}]"),
    }
}

/// Lists the names RFC 5280 6.1.3 (b) and (c) check: the subject (when not empty),
/// emailAddress attributes of the subject, and every subjectAltName entry.
fn names_of(cert: &Certificate) -> Vec<NameValue> {
    const EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";
    let mut names = Vec::new();
    if !cert.subject_rdns.is_empty() {
        names.push(NameValue::DirName(cert.subject_rdns.clone()));
    }
    for rdn in &cert.subject_rdns {
        for (oid, value) in rdn {
            if oid == EMAIL_ADDRESS {
                names.push(NameValue::Email(value.clone()));
            }
        }
    }
    names.extend(cert.san_values.iter().cloned());
    names
}

fn judge(name: &NameValue, constraints: &NameConstraintsView) -> Option<&'static str> {
    for excluded in &constraints.excluded {
        match within(name, excluded) {
            Some(true) => return Some("inside an excluded subtree"),
            None if same_form(name, excluded) => {
                return Some("an excluded subtree of a form this tool does not compare")
            }
            _ => {}
        }
    }
    let permitted: Vec<&NameValue> = constraints
        .permitted
        .iter()
        .filter(|p| same_form(name, p))
        .collect();
    if permitted.is_empty() {
        return None;
    }
    let mut decided = false;
    for base in &permitted {
        match within(name, base) {
            Some(true) => return None,
            Some(false) => decided = true,
            None => {}
        }
    }
    Some(if decided {
        "outside every permitted subtree"
    } else {
        "a permitted subtree of a form this tool does not compare"
    })
}

/// Checks every certificate below each constrained CA on the path, leaf first.
/// Self-issued intermediates are exempt, as RFC 5280 6.1.3 (b) requires.
pub fn check(path: &[PathNode]) -> Vec<Violation> {
    let mut violations = Vec::new();
    for (ca_index, ca) in path.iter().enumerate().skip(1) {
        let Some(constraints) = &ca.cert.name_constraints else {
            continue;
        };
        for (index, node) in path.iter().enumerate().take(ca_index) {
            if index > 0 && node.cert.self_issued {
                continue;
            }
            for name in names_of(node.cert) {
                if let Some(reason) = judge(&name, constraints) {
                    violations.push(Violation {
                        certificate: index,
                        constrained_by: ca_index,
                        name: describe(&name),
                        reason,
                    });
                }
            }
        }
    }
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_subtree_matches_subdomains_only() {
        assert!(dns_matches("client.example.test", "example.test"));
        assert!(dns_matches("example.test", "example.test"));
        assert!(!dns_matches("badexample.test", "example.test"));
        assert!(dns_matches("a.example.test", ".example.test"));
        assert!(!dns_matches("example.test", ".example.test"));
    }

    #[test]
    fn email_subtree_forms() {
        assert!(email_matches("a@example.test", "example.test"));
        assert!(!email_matches("a@sub.example.test", "example.test"));
        assert!(email_matches("a@sub.example.test", ".example.test"));
        assert!(email_matches("a@example.test", "a@example.test"));
        assert!(!email_matches("b@example.test", "a@example.test"));
    }

    #[test]
    fn ip_subtree_masks() {
        assert!(ip_matches(&[10, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_matches(&[11, 1, 2, 3], &[10, 0, 0, 0, 255, 0, 0, 0]));
        assert!(!ip_matches(&[10, 1, 2, 3], &[10, 0, 0, 0]));
    }

    #[test]
    fn dir_subtree_is_rdn_prefix() {
        let c = |v: &str| vec![("2.5.4.6".to_string(), v.to_string())];
        let l = |v: &str| vec![("2.5.4.7".to_string(), v.to_string())];
        assert!(dir_matches(
            &[c("us"), l("riverside")],
            &[c("us"), l("riverside")]
        ));
        assert!(dir_matches(&[c("us"), l("riverside"), l("x")], &[c("us")]));
        assert!(!dir_matches(
            &[c("us"), l("springfield")],
            &[c("us"), l("riverside")]
        ));
        assert!(!dir_matches(&[c("us")], &[c("us"), l("riverside")]));
    }
}

//! Extensions decoded for display: every extension becomes a name, its
//! criticality and a JSON value, or its raw DER in hex when x509-parser has
//! no decoder for it or the value is malformed.

use serde::Serialize;
use serde_json::{json, Value};
use x509_parser::extensions::{ExtendedKeyUsage, GeneralSubtree, ParsedExtension, X509Extension};

use super::{general_name_text, plain_hex};

/// One extension as shown by `inspect`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtensionView {
    pub oid: String,
    pub name: String,
    pub critical: bool,
    pub value: Value,
}

const KEY_USAGE_BITS: &[&str] = &[
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
];

/// Names the keyUsage bits set in `flags`.
pub fn key_usage_names(flags: u16) -> Vec<&'static str> {
    KEY_USAGE_BITS
        .iter()
        .enumerate()
        .filter(|(bit, _)| flags & (1 << bit) != 0)
        .map(|(_, name)| *name)
        .collect()
}

/// Lists the EKU OIDs in dotted form, the well-known ones first.
pub fn eku_oids(eku: &ExtendedKeyUsage) -> Vec<String> {
    let known = [
        (eku.any, super::EKU_ANY),
        (eku.server_auth, super::EKU_SERVER_AUTH),
        (eku.client_auth, super::EKU_CLIENT_AUTH),
        (eku.code_signing, "1.3.6.1.5.5.7.3.3"),
        (eku.email_protection, "1.3.6.1.5.5.7.3.4"),
        (eku.time_stamping, "1.3.6.1.5.5.7.3.8"),
        (eku.ocsp_signing, "1.3.6.1.5.5.7.3.9"),
    ];
    let mut oids: Vec<String> = known
        .iter()
        .filter(|(present, _)| *present)
        .map(|(_, oid)| oid.to_string())
        .collect();
    oids.extend(eku.other.iter().map(|oid| oid.to_id_string()));
    oids
}

/// Names an EKU OID the way OpenSSL's short names do, or returns it dotted.
pub fn eku_name(oid: &str) -> String {
    match oid {
        super::EKU_SERVER_AUTH => "serverAuth".into(),
        super::EKU_CLIENT_AUTH => "clientAuth".into(),
        super::EKU_ANY => "anyExtendedKeyUsage".into(),
        "1.3.6.1.5.5.7.3.3" => "codeSigning".into(),
        "1.3.6.1.5.5.7.3.4" => "emailProtection".into(),
        "1.3.6.1.5.5.7.3.8" => "timeStamping".into(),
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning".into(),
        other => other.into(),
    }
}

fn extension_name(oid: &str) -> &'static str {
    match oid {
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.15" => "keyUsage",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.18" => "issuerAltName",
        "2.5.29.19" => "basicConstraints",
        "2.5.29.30" => "nameConstraints",
        "2.5.29.31" => "cRLDistributionPoints",
        "2.5.29.32" => "certificatePolicies",
        "2.5.29.33" => "policyMappings",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.36" => "policyConstraints",
        "2.5.29.37" => "extKeyUsage",
        "2.5.29.54" => "inhibitAnyPolicy",
        "1.3.6.1.5.5.7.1.1" => "authorityInfoAccess",
        "1.3.6.1.5.5.7.1.11" => "subjectInfoAccess",
        "1.3.6.1.4.1.11129.2.4.2" => "signedCertificateTimestampList",
        "2.16.840.1.113730.1.1" => "nsCertType",
        "2.16.840.1.113730.1.13" => "nsComment",
        "1.3.6.1.5.5.7.1.24" => "tlsFeature",
        _ => "unknown",
    }
}

fn subtrees(list: &[GeneralSubtree]) -> Value {
    list.iter()
        .map(|subtree| {
            let entry = general_name_text(&subtree.base);
            json!({ "type": entry.kind, "value": entry.value })
        })
        .collect()
}

/// Decodes one extension for display.
pub fn view(ext: &X509Extension) -> ExtensionView {
    let oid = ext.oid.to_id_string();
    let value = match ext.parsed_extension() {
        ParsedExtension::BasicConstraints(bc) => {
            json!({ "ca": bc.ca, "path_len": bc.path_len_constraint })
        }
        ParsedExtension::KeyUsage(ku) => json!(key_usage_names(ku.flags)),
        ParsedExtension::ExtendedKeyUsage(eku) => {
            json!(eku_oids(eku).iter().map(|o| eku_name(o)).collect::<Vec<_>>())
        }
        ParsedExtension::SubjectKeyIdentifier(id) => json!(plain_hex(id.0)),
        ParsedExtension::AuthorityKeyIdentifier(aki) => json!({
            "key_identifier": aki.key_identifier.as_ref().map(|id| plain_hex(id.0)),
            "issuer": aki.authority_cert_issuer.as_ref().map(|names| names
                .iter()
                .map(|n| general_name_text(n).value)
                .collect::<Vec<_>>()),
            "serial": aki.authority_cert_serial.map(plain_hex),
        }),
        ParsedExtension::SubjectAlternativeName(san) => san
            .general_names
            .iter()
            .map(|n| {
                let entry = general_name_text(n);
                json!({ "type": entry.kind, "value": entry.value })
            })
            .collect(),
        ParsedExtension::IssuerAlternativeName(ian) => ian
            .general_names
            .iter()
            .map(|n| {
                let entry = general_name_text(n);
                json!({ "type": entry.kind, "value": entry.value })
            })
            .collect(),
        ParsedExtension::NameConstraints(nc) => json!({
            "permitted": nc.permitted_subtrees.as_deref().map(subtrees),
            "excluded": nc.excluded_subtrees.as_deref().map(subtrees),
        }),
        ParsedExtension::CertificatePolicies(policies) => policies
            .iter()
            .map(|p| json!(p.policy_id.to_id_string()))
            .collect(),
        ParsedExtension::PolicyConstraints(pc) => json!({
            "require_explicit_policy": pc.require_explicit_policy,
            "inhibit_policy_mapping": pc.inhibit_policy_mapping,
        }),
        ParsedExtension::InhibitAnyPolicy(iap) => json!(iap.skip_certs),
        ParsedExtension::CRLDistributionPoints(points) => points
            .iter()
            .flat_map(|point| match &point.distribution_point {
                Some(x509_parser::extensions::DistributionPointName::FullName(names)) => names
                    .iter()
                    .map(|n| json!(general_name_text(n).value))
                    .collect::<Vec<_>>(),
                _ => Vec::new(),
            })
            .collect(),
        ParsedExtension::AuthorityInfoAccess(aia) => aia
            .accessdescs
            .iter()
            .map(|desc| {
                let method = match desc.access_method.to_id_string().as_str() {
                    "1.3.6.1.5.5.7.48.1" => "OCSP".to_string(),
                    "1.3.6.1.5.5.7.48.2" => "caIssuers".to_string(),
                    other => other.to_string(),
                };
                json!({ "method": method, "location": general_name_text(&desc.access_location).value })
            })
            .collect(),
        ParsedExtension::NsCertComment(text) => json!(text),
        ParsedExtension::SCT(list) => json!({ "count": list.len() }),
        ParsedExtension::ParseError { error } => json!({
            "error": format!("value could not be decoded ({error})"),
            "der": plain_hex(ext.value),
        }),
        _ => json!({ "der": plain_hex(ext.value) }),
    };
    ExtensionView {
        name: extension_name(&oid).to_string(),
        oid,
        critical: ext.critical,
        value,
    }
}

//! One parsed view of each certificate, made once from its DER with
//! x509-parser and kept as owned values, so that rules, path building and
//! reports read fields instead of parsing again.

pub mod csr;
pub mod der;
pub mod describe;
pub mod extensions;
pub mod load;
pub mod name;

use serde::Serialize;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::crypto::{self, PublicKeyInfo, SignatureAlgorithmInfo};

pub use extensions::ExtensionView;

/// A certificate serial number as encoded (content octets of the INTEGER).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Serial {
    /// Hex of the value with sign: `-1234` for a negative serial, else lowercase hex.
    pub hex: String,
    /// Decimal, with a leading `-` when negative.
    pub decimal: String,
    pub negative: bool,
    /// Octets of the value with the DER sign octet removed (RFC 5280 4.1.2.2 limits this to 20).
    pub value_octets: usize,
}

/// A distinguished name with its raw DER for byte-exact issuer matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub der: Vec<u8>,
    pub rfc4514: String,
    pub certificate_order: String,
    pub is_empty: bool,
}

/// basicConstraints as present in the certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BasicConstraints {
    pub ca: bool,
    pub path_len: Option<u32>,
    pub critical: bool,
}

/// One subjectAltName entry, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SanEntry {
    pub kind: &'static str,
    pub value: String,
}

/// A general name reduced to what name-constraint matching compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameValue {
    Dns(String),
    Email(String),
    /// Address bytes (4 or 16), or address and mask (8 or 32) in constraints.
    Ip(Vec<u8>),
    /// RDNs in certificate order, each a sorted list of (attribute OID, normalized value).
    DirName(Vec<Vec<(String, String)>>),
    Uri(String),
    /// A name form this crate does not compare, by its GeneralName tag number.
    Other(u8),
}

/// The subtrees of a nameConstraints extension.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameConstraintsView {
    pub permitted: Vec<NameValue>,
    pub excluded: Vec<NameValue>,
}

/// Normalizes an attribute value for comparison: case folded, outer space
/// trimmed, inner runs of space collapsed (RFC 4518 caseIgnoreMatch, simplified).
fn normalize_value(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Reduces a name to RDNs of normalized (OID, value) pairs.
pub fn name_rdns(name: &x509_parser::x509::X509Name) -> Vec<Vec<(String, String)>> {
    name.iter_rdn()
        .map(|rdn| {
            let mut pairs: Vec<(String, String)> = rdn
                .iter()
                .map(|atv| {
                    let value = name::attribute_value_text(atv.attr_value())
                        .map(|text| normalize_value(&text))
                        .unwrap_or_else(|| plain_hex(atv.attr_value().data));
                    (atv.attr_type().to_id_string(), value)
                })
                .collect();
            pairs.sort();
            pairs
        })
        .collect()
}

fn name_value(general_name: &GeneralName) -> NameValue {
    match general_name {
        GeneralName::DNSName(v) => NameValue::Dns(v.to_lowercase()),
        GeneralName::RFC822Name(v) => NameValue::Email(v.to_string()),
        GeneralName::IPAddress(bytes) => NameValue::Ip(bytes.to_vec()),
        GeneralName::DirectoryName(n) => NameValue::DirName(name_rdns(n)),
        GeneralName::URI(v) => NameValue::Uri(v.to_string()),
        GeneralName::OtherName(..) => NameValue::Other(0),
        GeneralName::X400Address(_) => NameValue::Other(3),
        GeneralName::EDIPartyName(_) => NameValue::Other(5),
        GeneralName::RegisteredID(_) => NameValue::Other(8),
        GeneralName::Invalid(..) => NameValue::Other(255),
    }
}

/// Extended key usage OIDs of interest.
pub const EKU_SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
pub const EKU_CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
pub const EKU_ANY: &str = "2.5.29.37.0";

/// The parsed view of one certificate.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub der: Vec<u8>,
    /// 1, 2 or 3.
    pub version: u32,
    pub serial: Serial,
    pub subject: Name,
    pub issuer: Name,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    pub spki_der: Vec<u8>,
    pub key: PublicKeyInfo,
    /// Base64 of SHA-256 over the SubjectPublicKeyInfo (the HPKP-style pin).
    pub spki_sha256: String,
    pub signature_algorithm_der: Vec<u8>,
    pub signature_algorithm: SignatureAlgorithmInfo,
    pub tbs_der: Vec<u8>,
    pub signature: Vec<u8>,
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage bits as x509-parser numbers them (bit 0 = digitalSignature).
    pub key_usage: Option<u16>,
    /// EKU OIDs in dotted form; `None` when the extension is absent.
    pub extended_key_usage: Option<Vec<String>>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    pub san: Vec<SanEntry>,
    pub has_name_constraints: bool,
    pub name_constraints: Option<NameConstraintsView>,
    /// The subject's commonName values as written (not normalized).
    pub common_names: Vec<String>,
    /// Subject RDNs normalized for name-constraint matching.
    pub subject_rdns: Vec<Vec<(String, String)>>,
    /// subjectAltName entries for name-constraint matching.
    pub san_values: Vec<NameValue>,
    pub extensions: Vec<ExtensionView>,
    pub sha256_fingerprint: String,
    pub sha1_fingerprint: String,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
    /// Self-issued and the signature verifies with its own key.
    pub self_signed: bool,
}

/// A certificate parse failure, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Formats bytes as colon-separated uppercase hex, as OpenSSL prints fingerprints.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Formats bytes as lowercase hex without separators.
pub fn plain_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Formats Unix seconds as RFC 3339 in UTC, or the raw number if out of range.
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

/// Builds the serial's hex and decimal forms from the INTEGER content octets.
pub fn parse_serial(raw: &[u8]) -> Serial {
    let negative = raw.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude: Vec<u8> = if negative {
        twos_complement_magnitude(raw)
    } else {
        raw.to_vec()
    };
    let trimmed: Vec<u8> = magnitude.iter().copied().skip_while(|b| *b == 0).collect();
    let sign = if negative { "-" } else { "" };
    let hex = if trimmed.is_empty() {
        "00".to_string()
    } else {
        plain_hex(&trimmed)
    };
    // Value octets: the encoding minus a leading 0x00 sign octet.
    let value_octets = match raw {
        [0, second, ..] if second & 0x80 != 0 => raw.len() - 1,
        _ => raw.len(),
    };
    Serial {
        hex: format!("{sign}{hex}"),
        decimal: format!("{sign}{}", to_decimal(&trimmed)),
        negative,
        value_octets,
    }
}

fn twos_complement_magnitude(raw: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = raw.iter().map(|b| !b).collect();
    for byte in out.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    out
}

/// Converts a big-endian unsigned integer to decimal text.
fn to_decimal(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "0".to_string();
    }
    // Repeated division by 10^9 over base-256 digits.
    let mut digits = bytes.to_vec();
    let mut chunks: Vec<u32> = Vec::new();
    while digits.iter().any(|d| *d != 0) {
        let mut remainder: u64 = 0;
        for d in digits.iter_mut() {
            let acc = (remainder << 8) | *d as u64;
            *d = (acc / 1_000_000_000) as u8;
            remainder = acc % 1_000_000_000;
        }
        chunks.push(remainder as u32);
    }
    let mut text = chunks.last().map(|c| c.to_string()).unwrap_or_default();
    for chunk in chunks.iter().rev().skip(1) {
        text.push_str(&format!("{chunk:09}"));
    }
    text
}

/// Builds the name view: raw DER, RFC 4514 text, certificate-order text and emptiness.
pub(crate) fn name_view(name: &x509_parser::x509::X509Name) -> Name {
    Name {
        der: name.as_raw().to_vec(),
        rfc4514: name::to_rfc4514(name),
        certificate_order: name::to_certificate_order(name),
        is_empty: name.iter_rdn().next().is_none(),
    }
}

/// Formats one GeneralName as (kind, text).
pub fn general_name_text(general_name: &GeneralName) -> SanEntry {
    let (kind, value) = match general_name {
        GeneralName::DNSName(v) => ("DNS", v.to_string()),
        GeneralName::RFC822Name(v) => ("email", v.to_string()),
        GeneralName::URI(v) => ("URI", v.to_string()),
        GeneralName::IPAddress(bytes) => ("IP", ip_text(bytes)),
        GeneralName::DirectoryName(n) => ("dirName", name::to_rfc4514(n)),
        GeneralName::RegisteredID(oid) => ("RID", oid.to_id_string()),
        GeneralName::OtherName(oid, _) => ("otherName", oid.to_id_string()),
        GeneralName::X400Address(_) => ("x400Address", String::new()),
        GeneralName::EDIPartyName(_) => ("ediPartyName", String::new()),
        GeneralName::Invalid(_, bytes) => ("invalid", plain_hex(bytes)),
    };
    SanEntry { kind, value }
}

/// Prints an IP address (or an address and mask, as in name constraints).
pub fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        8 => format!("{}/{}", ip_text(&bytes[..4]), ip_text(&bytes[4..])),
        32 => format!("{}/{}", ip_text(&bytes[..16]), ip_text(&bytes[16..])),
        _ => plain_hex(bytes),
    }
}

impl Certificate {
    /// Parses a certificate from DER. Lenient where x509-parser is (negative
    /// serials, v1); every structural error is returned, never a panic.
    pub fn from_der(der: &[u8]) -> Result<Certificate, ParseError> {
        let (rest, cert) = X509Certificate::from_der(der)
            .map_err(|e| ParseError(format!("not a valid X.509 certificate ({e})")))?;
        if !rest.is_empty() {
            return Err(ParseError(format!(
                "{} bytes follow the certificate's DER",
                rest.len()
            )));
        }
        let parts = der::split_signed(der)
            .ok_or_else(|| ParseError("the certificate's signed structure is malformed".into()))?;

        let tbs = &cert.tbs_certificate;
        let spki_der = tbs.subject_pki.raw.to_vec();
        let key = crypto::describe_public_key(&spki_der);
        let signature_algorithm = crypto::describe_signature_algorithm(parts.algorithm);
        let subject = name_view(&tbs.subject);
        let issuer = name_view(&tbs.issuer);
        let self_issued = subject.der == issuer.der;

        let mut view = Certificate {
            der: der.to_vec(),
            version: tbs.version.0 + 1,
            serial: parse_serial(tbs.raw_serial()),
            self_issued,
            subject,
            issuer,
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            spki_sha256: base64_sha256(&spki_der),
            spki_der,
            key,
            signature_algorithm_der: parts.algorithm.to_vec(),
            signature_algorithm,
            tbs_der: parts.tbs.to_vec(),
            signature: parts.signature.to_vec(),
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            subject_key_id: None,
            authority_key_id: None,
            san: Vec::new(),
            has_name_constraints: false,
            name_constraints: None,
            common_names: tbs
                .subject
                .iter_common_name()
                .filter_map(|atv| name::attribute_value_text(atv.attr_value()))
                .collect(),
            subject_rdns: name_rdns(&tbs.subject),
            san_values: Vec::new(),
            extensions: Vec::new(),
            sha256_fingerprint: colon_hex(&Sha256::digest(der)),
            sha1_fingerprint: colon_hex(&Sha1::digest(der)),
            self_signed: false,
        };
        view.read_extensions(&cert);
        view.self_signed = view.self_issued && view.signed_by(&view.spki_der).is_ok();
        Ok(view)
    }

    fn read_extensions(&mut self, cert: &X509Certificate) {
        for ext in cert.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::BasicConstraints(bc) => {
                    self.basic_constraints = Some(BasicConstraints {
                        ca: bc.ca,
                        path_len: bc.path_len_constraint,
                        critical: ext.critical,
                    })
                }
                ParsedExtension::KeyUsage(ku) => self.key_usage = Some(ku.flags),
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    self.extended_key_usage = Some(extensions::eku_oids(eku))
                }
                ParsedExtension::SubjectKeyIdentifier(id) => {
                    self.subject_key_id = Some(id.0.to_vec())
                }
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    self.authority_key_id = aki.key_identifier.as_ref().map(|id| id.0.to_vec())
                }
                ParsedExtension::SubjectAlternativeName(san) => {
                    self.san = san.general_names.iter().map(general_name_text).collect();
                    self.san_values = san.general_names.iter().map(name_value).collect();
                }
                ParsedExtension::NameConstraints(nc) => {
                    self.has_name_constraints = true;
                    let subtrees = |list: &Option<Vec<x509_parser::extensions::GeneralSubtree>>| {
                        list.iter()
                            .flatten()
                            .map(|subtree| name_value(&subtree.base))
                            .collect()
                    };
                    self.name_constraints = Some(NameConstraintsView {
                        permitted: subtrees(&nc.permitted_subtrees),
                        excluded: subtrees(&nc.excluded_subtrees),
                    });
                }
                _ => {}
            }
            self.extensions.push(extensions::view(ext));
        }
    }

    /// Verifies this certificate's signature with the issuer key `issuer_spki_der`.
    pub fn signed_by(&self, issuer_spki_der: &[u8]) -> Result<(), crypto::VerifyError> {
        crypto::verify_signature(
            issuer_spki_der,
            &self.signature_algorithm_der,
            &self.tbs_der,
            &self.signature,
        )
    }

    /// Returns true when basicConstraints has CA:TRUE.
    pub fn is_ca(&self) -> bool {
        self.basic_constraints.is_some_and(|bc| bc.ca)
    }

    /// True when keyUsage is absent or asserts keyCertSign.
    pub fn may_sign_certificates(&self) -> bool {
        self.key_usage.is_none_or(|flags| flags & (1 << 5) != 0)
    }

    /// True when the EKU is absent or allows `purpose` (or anyExtendedKeyUsage).
    pub fn allows_purpose(&self, purpose: &str) -> bool {
        match &self.extended_key_usage {
            None => true,
            Some(oids) => oids.iter().any(|oid| oid == purpose || oid == EKU_ANY),
        }
    }

    /// True when `at` (Unix seconds) is inside notBefore..=notAfter.
    pub fn is_valid_at(&self, at: i64) -> bool {
        self.not_before <= at && at <= self.not_after
    }

    /// Returns a one-line label for messages: the subject, or the fingerprint when the subject is empty.
    pub fn label(&self) -> String {
        if self.subject.is_empty {
            format!(
                "certificate with empty subject (SHA-256 {})",
                self.short_fingerprint()
            )
        } else {
            self.subject.rfc4514.clone()
        }
    }

    /// First 8 bytes of the SHA-256 fingerprint.
    pub fn short_fingerprint(&self) -> String {
        self.sha256_fingerprint.chars().take(23).collect()
    }
}

fn base64_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bytes))
}

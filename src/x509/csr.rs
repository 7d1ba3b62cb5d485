//! A lenient PKCS#10 reader (RFC 2986). It walks the request itself so that
//! real-world quirks (the attributes field left out, an empty extension
//! request, odd string types) become notes instead of parse failures, and
//! uses x509-parser for the name, the key and each requested extension.

use serde::Serialize;
use sha2::{Digest, Sha256};
use x509_parser::der_parser::asn1_rs::{FromDer as AsnFromDer, Oid};
use x509_parser::extensions::{ParsedExtension, X509Extension};
use x509_parser::x509::X509Name;

use super::der::{read_tlv, split_signed};
use super::extensions::{self, ExtensionView};
use super::{colon_hex, general_name_text, BasicConstraints, Name, SanEntry};
use crate::crypto::{self, PublicKeyInfo, SignatureAlgorithmInfo};

const OID_CHALLENGE_PASSWORD: &str = "1.2.840.113549.1.9.7";
const OID_EXTENSION_REQUEST: &str = "1.2.840.113549.1.9.14";
const TAG_INTEGER: u8 = 0x02;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_SET: u8 = 0x31;
const TAG_OID: u8 = 0x06;
const TAG_ATTRIBUTES: u8 = 0xa0;

/// One attribute of the request, without its values (a challengePassword is a secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeView {
    pub oid: String,
    pub name: String,
    pub values: usize,
}

/// The parsed view of one certificate signing request.
#[derive(Debug, Clone)]
pub struct Csr {
    pub der: Vec<u8>,
    /// The version INTEGER as encoded; RFC 2986 allows only 0 (v1).
    pub version: i64,
    pub subject: Name,
    pub spki_der: Vec<u8>,
    pub key: PublicKeyInfo,
    pub spki_sha256: String,
    pub signature_algorithm_der: Vec<u8>,
    pub signature_algorithm: SignatureAlgorithmInfo,
    pub info_der: Vec<u8>,
    pub signature: Vec<u8>,
    /// False when the mandatory `[0] attributes` field is left out entirely.
    pub attributes_field_present: bool,
    pub attributes: Vec<AttributeView>,
    pub challenge_password: bool,
    /// `None` without an extensionRequest attribute; `Some(empty)` for an empty one.
    pub extension_request: Option<Vec<ExtensionView>>,
    pub basic_constraints: Option<BasicConstraints>,
    pub key_usage: Option<u16>,
    pub extended_key_usage: Option<Vec<String>>,
    pub san: Vec<SanEntry>,
    /// Structural departures from RFC 2986 that were tolerated.
    pub notes: Vec<String>,
    pub sha256_fingerprint: String,
}

fn oid_text(content: &[u8]) -> String {
    let mut der = vec![TAG_OID, content.len() as u8];
    if content.len() >= 0x80 {
        return "malformed OID".into();
    }
    der.extend_from_slice(content);
    match Oid::from_der(&der) {
        Ok((_, oid)) => oid.to_id_string(),
        Err(_) => "malformed OID".into(),
    }
}

fn read_integer(content: &[u8]) -> i64 {
    let mut value: i64 = if content.first().is_some_and(|b| b & 0x80 != 0) {
        -1
    } else {
        0
    };
    for byte in content.iter().take(8) {
        value = (value << 8) | *byte as i64;
    }
    value
}

impl Csr {
    /// Parses a PKCS#10 request from DER.
    pub fn from_der(der: &[u8]) -> Result<Csr, String> {
        let parts = split_signed(der).ok_or(
            "not a PKCS#10 request: expected SEQUENCE { info, algorithm, signature BIT STRING }",
        )?;
        let (info, _) = read_tlv(parts.tbs).ok_or("the request info is truncated")?;
        let mut notes = Vec::new();

        let (version, rest) = read_tlv(info.content).ok_or("the version field is missing")?;
        if version.tag != TAG_INTEGER {
            return Err("the request info does not start with the version INTEGER".into());
        }
        let version = read_integer(version.content);
        if version != 0 {
            notes.push(format!(
                "version is {version}; RFC 2986 defines only 0 (v1)"
            ));
        }

        let (subject_tlv, rest) = read_tlv(rest).ok_or("the subject name is missing")?;
        let (_, subject) = X509Name::from_der(subject_tlv.full)
            .map_err(|e| format!("the subject name is malformed ({e})"))?;
        let (spki, rest) = read_tlv(rest).ok_or("the subjectPublicKeyInfo is missing")?;
        if spki.tag != TAG_SEQUENCE {
            return Err("the subjectPublicKeyInfo is not a SEQUENCE".into());
        }

        let signature_algorithm = crypto::describe_signature_algorithm(parts.algorithm);
        let mut csr = Csr {
            der: der.to_vec(),
            version,
            subject: super::name_view(&subject),
            key: crypto::describe_public_key(spki.full),
            spki_sha256: {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(spki.full))
            },
            spki_der: spki.full.to_vec(),
            signature_algorithm_der: parts.algorithm.to_vec(),
            signature_algorithm,
            info_der: parts.tbs.to_vec(),
            signature: parts.signature.to_vec(),
            attributes_field_present: false,
            attributes: Vec::new(),
            challenge_password: false,
            extension_request: None,
            basic_constraints: None,
            key_usage: None,
            extended_key_usage: None,
            san: Vec::new(),
            notes,
            sha256_fingerprint: colon_hex(&Sha256::digest(der)),
        };

        match read_tlv(rest) {
            None if rest.is_empty() => csr.notes.push(
                "the attributes field is absent; RFC 2986 requires it, even when empty".into(),
            ),
            None => csr
                .notes
                .push("bytes after the public key could not be read".into()),
            Some((attributes, _)) if attributes.tag == TAG_ATTRIBUTES => {
                csr.attributes_field_present = true;
                csr.read_attributes(attributes.content);
            }
            Some((other, _)) => csr.notes.push(format!(
                "unexpected element with tag 0x{:02x} where the attributes belong",
                other.tag
            )),
        }
        Ok(csr)
    }

    fn read_attributes(&mut self, mut content: &[u8]) {
        while !content.is_empty() {
            let Some((attribute, rest)) = read_tlv(content) else {
                self.notes.push("an attribute is truncated".into());
                return;
            };
            content = rest;
            let Some((oid, values)) = read_tlv(attribute.content) else {
                self.notes.push("an attribute has no type".into());
                continue;
            };
            let oid = if oid.tag == TAG_OID {
                oid_text(oid.content)
            } else {
                "malformed OID".into()
            };
            let values = match read_tlv(values) {
                Some((set, _)) if set.tag == TAG_SET => set.content,
                _ => {
                    self.notes
                        .push(format!("attribute {oid} has no SET of values"));
                    &[]
                }
            };
            let count = count_elements(values);
            let name = match oid.as_str() {
                OID_CHALLENGE_PASSWORD => {
                    self.challenge_password = true;
                    "challengePassword"
                }
                OID_EXTENSION_REQUEST => {
                    self.read_extension_request(values);
                    "extensionRequest"
                }
                "1.2.840.113549.1.9.2" => "unstructuredName",
                "1.3.6.1.4.1.311.13.2.3" => "msOsVersion",
                _ => "unknown",
            };
            self.attributes.push(AttributeView {
                oid,
                name: name.into(),
                values: count,
            });
        }
    }

    fn read_extension_request(&mut self, values: &[u8]) {
        let mut views = Vec::new();
        if let Some((sequence, _)) = read_tlv(values) {
            let mut content = sequence.content;
            while !content.is_empty() {
                let Some((ext_tlv, rest)) = read_tlv(content) else {
                    self.notes.push("a requested extension is truncated".into());
                    break;
                };
                content = rest;
                match X509Extension::from_der(ext_tlv.full) {
                    Ok((_, ext)) => {
                        self.absorb_extension(&ext);
                        views.push(extensions::view(&ext));
                    }
                    Err(e) => self
                        .notes
                        .push(format!("a requested extension is malformed ({e})")),
                }
            }
        }
        self.extension_request = Some(views);
    }

    fn absorb_extension(&mut self, ext: &X509Extension) {
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
            ParsedExtension::SubjectAlternativeName(san) => {
                self.san = san.general_names.iter().map(general_name_text).collect()
            }
            _ => {}
        }
    }

    /// Verifies the request's self-signature with its own key.
    pub fn verify_self_signature(&self) -> Result<(), crypto::VerifyError> {
        crypto::verify_signature(
            &self.spki_der,
            &self.signature_algorithm_der,
            &self.info_der,
            &self.signature,
        )
    }
}

fn count_elements(mut content: &[u8]) -> usize {
    let mut count = 0;
    while let Some((_, rest)) = read_tlv(content) {
        count += 1;
        content = rest;
    }
    count
}

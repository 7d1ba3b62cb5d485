//! Distinguished names printed the standard ways: RFC 4514 (last RDN first,
//! as LDAP and OpenSSL's `-nameopt RFC2253` print them) and in certificate
//! order, the way API Gateway writes `subjectDN` into Lambda events.

use x509_parser::der_parser::asn1_rs::{Any, Tag};
use x509_parser::oid_registry::Oid;
use x509_parser::x509::X509Name;

/// Short names RFC 4514 section 3 and common practice give attribute types.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.6", "C"),
    ("2.5.4.9", "STREET"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.4", "SN"),
    ("2.5.4.42", "GN"),
    ("2.5.4.12", "title"),
    ("2.5.4.97", "organizationIdentifier"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
];

/// Returns the short name of an attribute type, or its dotted OID.
pub fn attribute_type_name(oid: &Oid) -> String {
    let dotted = oid.to_id_string();
    SHORT_NAMES
        .iter()
        .find(|(known, _)| *known == dotted)
        .map(|(_, short)| (*short).to_string())
        .unwrap_or(dotted)
}

/// Decodes a directory string value to text, or `None` when the value is
/// not a string type (such values print as `#` and their DER in hex).
pub fn attribute_value_text(value: &Any) -> Option<String> {
    let data = value.data;
    match value.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::Ia5String
        | Tag::VisibleString
        | Tag::NumericString => Some(String::from_utf8_lossy(data).into_owned()),
        // T.61 strings are Latin-1 in practice.
        Tag::TeletexString => Some(data.iter().map(|&b| b as char).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = data
                .chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        Tag::UniversalString => Some(
            data.chunks(4)
                .map(|quad| {
                    let mut bytes = [0u8; 4];
                    bytes[..quad.len()].copy_from_slice(quad);
                    char::from_u32(u32::from_be_bytes(bytes)).unwrap_or('\u{fffd}')
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Escapes an attribute value as RFC 4514 section 2.4 requires.
fn escape_rfc4514(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        let needs_escape = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (i == 0 && (c == ' ' || c == '#'))
            || (i == last && c == ' ');
        if needs_escape {
            out.push('\\');
            out.push(c);
        } else if c == '\0' {
            out.push_str("\\00");
        } else if c.is_control() {
            for byte in c.to_string().bytes() {
                out.push_str(&format!("\\{byte:02x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prints one attribute as `TYPE=value`, or `TYPE=#hex` for non-string values.
fn format_attribute(oid: &Oid, value: &Any) -> String {
    let name = attribute_type_name(oid);
    match attribute_value_text(value) {
        Some(text) => format!("{name}={}", escape_rfc4514(&text)),
        None => {
            let mut der = Vec::new();
            // Rebuild the value's DER from its header and content for the `#` form.
            der.push(value.header.raw_tag().map(|t| t[0]).unwrap_or(0x04));
            let len = value.data.len();
            if len < 0x80 {
                der.push(len as u8);
            } else {
                let be = (len as u64).to_be_bytes();
                let skip = be.iter().take_while(|b| **b == 0).count();
                der.push(0x80 | (8 - skip) as u8);
                der.extend_from_slice(&be[skip..]);
            }
            der.extend_from_slice(value.data);
            format!("{name}=#{}", hex(&der))
        }
    }
}

/// Formats a name as RFC 4514 prints it: last RDN first, no spaces.
pub fn to_rfc4514(name: &X509Name) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| format_attribute(atv.attr_type(), atv.attr_value()))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(",")
}

/// Formats a name in certificate order, first RDN first, joined by commas
/// without spaces, as API Gateway prints `subjectDN` and `issuerDN`.
pub fn to_certificate_order(name: &X509Name) -> String {
    name.iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|atv| format_attribute(atv.attr_type(), atv.attr_value()))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(",")
}

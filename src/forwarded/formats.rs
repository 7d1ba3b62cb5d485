//! The decoders of each forwarding format, and the guess of a format from
//! a raw value's shape.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;

use super::metadata::{Claim, ClaimField};
use super::{Decoded, Format};
use crate::input::{self, BlockKind};

/// Decodes a JSON event or a bare `clientCert` object.
pub(super) fn decode_event(text: &str, decoded: &mut Decoded) {
    let event: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            decoded.damage(
                None,
                format!(
                    "the input starts with '{{' but is not valid JSON: {error} (line {}, column {})",
                    error.line(),
                    error.column()
                ),
            );
            return;
        }
    };

    let rest = &event["requestContext"]["identity"]["clientCert"];
    let http = &event["requestContext"]["authentication"]["clientCert"];
    if rest.is_object() {
        decode_client_cert(
            rest,
            Format::ApiGatewayRestEvent,
            "requestContext.identity.clientCert",
            decoded,
        );
    } else if http.is_object() {
        decode_client_cert(
            http,
            Format::ApiGatewayHttpEvent,
            "requestContext.authentication.clientCert",
            decoded,
        );
    } else if event.get("clientCertPem").is_some() {
        decode_client_cert(&event, Format::ApiGatewayClientCert, "clientCert", decoded);
    }

    // An ALB Lambda target, or any proxy's event, carries the headers as a map.
    for key in ["headers", "multiValueHeaders"] {
        if let Some(headers) = event.get(key).and_then(Value::as_object) {
            for (name, value) in headers {
                let name = name.to_ascii_lowercase();
                match value {
                    Value::String(text) => {
                        decode_known_header(&name, text, decoded);
                    }
                    Value::Array(list) => {
                        for text in list.iter().filter_map(Value::as_str) {
                            decode_known_header(&name, text, decoded);
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    if decoded.formats.is_empty() && decoded.damage.is_empty() {
        decoded.damage(
            None,
            "the JSON has no client certificate: expected requestContext.identity.clientCert (REST, HTTP payload 1.0), requestContext.authentication.clientCert (HTTP payload 2.0), a clientCertPem field, or a known header in headers".into(),
        );
    }
}

/// Reads one API Gateway `clientCert` object.
fn decode_client_cert(object: &Value, format: Format, path: &str, decoded: &mut Decoded) {
    match object.get("clientCertPem") {
        Some(Value::String(pem)) => {
            decode_pem_text(pem.as_bytes(), format, &format!("{path}.clientCertPem"), decoded)
        }
        Some(_) => decoded.damage(
            Some(format),
            format!("{path}.clientCertPem is not a JSON string; API Gateway sends the PEM text as a string"),
        ),
        None => decoded.damage(
            Some(format),
            format!("{path} has no clientCertPem field"),
        ),
    }

    let text_field = |name: &str| object.get(name).and_then(Value::as_str).map(str::to_string);
    let validity = &object["validity"];
    let fields = [
        (ClaimField::SubjectDn, "subjectDN", text_field("subjectDN")),
        (ClaimField::IssuerDn, "issuerDN", text_field("issuerDN")),
        (
            ClaimField::Serial,
            "serialNumber",
            text_field("serialNumber"),
        ),
        (
            ClaimField::NotBefore,
            "validity.notBefore",
            validity["notBefore"].as_str().map(str::to_string),
        ),
        (
            ClaimField::NotAfter,
            "validity.notAfter",
            validity["notAfter"].as_str().map(str::to_string),
        ),
    ];
    for (field, name, value) in fields {
        if let Some(value) = value {
            decoded.claims.push(Claim {
                field,
                source: format!("{path}.{name}"),
                value,
            });
        }
    }
}

/// Decodes one `Name: value` header line.
pub(super) fn decode_header(name: &str, value: &str, decoded: &mut Decoded) {
    if !decode_known_header(name, value, decoded) {
        // Proxies let operators pick header names (nginx, HAProxy, Caddy): judge by the value.
        if looks_like_certificate(value) {
            decode_value(value, Some(name), decoded);
        } else {
            decoded.ignored_headers.push(name.to_string());
        }
    }
}

/// Decodes a header whose name fixes its format; returns false for other names.
fn decode_known_header(name: &str, value: &str, decoded: &mut Decoded) -> bool {
    let value = value.trim();
    match name {
        "x-amzn-mtls-clientcert" => decode_url_encoded_pem(
            value,
            Format::AlbClientCert,
            "X-Amzn-Mtls-Clientcert",
            decoded,
        ),
        "x-amzn-mtls-clientcert-leaf" => decode_url_encoded_pem(
            value,
            Format::AlbClientCertLeaf,
            "X-Amzn-Mtls-Clientcert-Leaf",
            decoded,
        ),
        "x-amzn-mtls-clientcert-subject" => claim(
            decoded,
            ClaimField::SubjectDn,
            "X-Amzn-Mtls-Clientcert-Subject",
            value,
        ),
        "x-amzn-mtls-clientcert-issuer" => claim(
            decoded,
            ClaimField::IssuerDn,
            "X-Amzn-Mtls-Clientcert-Issuer",
            value,
        ),
        "x-amzn-mtls-clientcert-serial-number" => claim(
            decoded,
            ClaimField::HexSerial,
            "X-Amzn-Mtls-Clientcert-Serial-Number",
            value,
        ),
        "x-amzn-mtls-clientcert-validity" => decode_alb_validity(value, decoded),
        "x-forwarded-client-cert" => decode_xfcc(value, decoded),
        "x-forwarded-tls-client-cert" => decode_base64_list(
            value,
            Format::TraefikClientCert,
            "X-Forwarded-Tls-Client-Cert",
            decoded,
        ),
        "client-cert" => decode_rfc9440(value, Format::Rfc9440ClientCert, "Client-Cert", decoded),
        "client-cert-chain" => decode_rfc9440(
            value,
            Format::Rfc9440ClientCertChain,
            "Client-Cert-Chain",
            decoded,
        ),
        "cf-client-cert-der-base64" => decode_base64_list(
            value,
            Format::CloudflareDerBase64,
            "Cf-Client-Cert-Der-Base64",
            decoded,
        ),
        _ => return false,
    }
    true
}

fn claim(decoded: &mut Decoded, field: ClaimField, source: &str, value: &str) {
    decoded.claims.push(Claim {
        field,
        source: source.to_string(),
        value: value.to_string(),
    });
}

/// True when a value of an unknown header looks like an encoded certificate.
fn looks_like_certificate(value: &str) -> bool {
    value.contains("-----BEGIN")
        || value.starts_with(':')
        || value.starts_with("MII")
        || value.to_ascii_lowercase().contains("cert=")
}

/// Guesses the format of a raw value from its shape and decodes it.
pub(super) fn decode_value(value: &str, header: Option<&str>, decoded: &mut Decoded) {
    let label = |default: &str| {
        header
            .map(str::to_string)
            .unwrap_or_else(|| default.to_string())
    };
    let lower = value.to_ascii_lowercase();

    let is_xfcc = [
        "cert=", "chain=", "hash=", "by=", "subject=", "uri=", "dns=",
    ]
    .iter()
    .any(|key| lower.starts_with(key) || lower.contains(&format!(";{key}")));

    if is_xfcc {
        decode_xfcc(value, decoded);
    } else if lower.starts_with("-----begin%20") || lower.contains("%0a-----") {
        // nginx escapes '+', '/' and '=' (URI component rules); ALB leaves them literal.
        let body_has_literal = value.contains('+') || value.contains('/');
        let body_has_escaped = lower.contains("%2b") || lower.contains("%2f");
        let format = if body_has_escaped && !body_has_literal {
            Format::NginxEscapedCert
        } else {
            Format::AlbClientCert
        };
        decode_url_encoded_pem(value, format, &label(format.name()), decoded);
    } else if value.contains("-----BEGIN") {
        decode_pem_text(value.as_bytes(), Format::Pem, &label("PEM"), decoded);
    } else if value.starts_with(':') {
        let format = if value.contains(',') {
            Format::Rfc9440ClientCertChain
        } else {
            Format::Rfc9440ClientCert
        };
        decode_rfc9440(value, format, &label("RFC 9440 value"), decoded);
    } else if value.contains(',') {
        decode_base64_list(
            value,
            Format::TraefikClientCert,
            &label("X-Forwarded-Tls-Client-Cert"),
            decoded,
        );
    } else {
        decode_base64_list(value, Format::Base64Der, &label("base64 value"), decoded);
    }
}

/// Decodes PEM text: every CERTIFICATE block becomes a certificate, every bad block damage.
fn decode_pem_text(bytes: &[u8], format: Format, location: &str, decoded: &mut Decoded) {
    let blocks = input::decode(bytes, location).blocks;
    if blocks.is_empty() {
        decoded.damage(
            Some(format),
            format!("{location} holds no PEM block (-----BEGIN CERTIFICATE-----)"),
        );
        return;
    }
    for (index, block) in blocks.into_iter().enumerate() {
        let where_ = format!("{location} certificate {}", index + 1);
        match (block.kind, block.der) {
            (BlockKind::Certificate, Ok(der)) => decoded.add_certificate(der, format, where_),
            (_, Err(error)) => decoded.damage(Some(format), format!("{where_}: {error}")),
            (kind, Ok(_)) => decoded.damage(
                Some(format),
                format!("{where_} is {kind}, not a certificate"),
            ),
        }
    }
}

/// Checks that every '%' starts a two-hex-digit escape (RFC 3986 2.1).
fn check_percent_escapes(value: &str) -> Result<(), usize> {
    let bytes = value.as_bytes();
    for (offset, byte) in bytes.iter().enumerate() {
        if *byte == b'%' {
            let digits = bytes.get(offset + 1..offset + 3);
            if !digits.is_some_and(|d| d.iter().all(u8::is_ascii_hexdigit)) {
                return Err(offset);
            }
        }
    }
    Ok(())
}

/// Percent-decodes a URL-encoded PEM value. '+' stays '+': ALB leaves it
/// unescaped in base64, so form decoding ('+' to space) would corrupt it.
fn decode_url_encoded_pem(value: &str, format: Format, location: &str, decoded: &mut Decoded) {
    let value = value.trim_matches('"');
    if let Err(offset) = check_percent_escapes(value) {
        decoded.damage(
            Some(format),
            format!("{location} has a '%' at byte {offset} that is not followed by two hex digits, so it is not valid percent-encoding (RFC 3986 2.1)"),
        );
        return;
    }
    if value.contains(' ') || value.contains('\n') {
        decoded.damage(
            Some(format),
            format!("{location} contains a raw space or line break; URL-encoded PEM has %20 and %0A there, so the value was altered on the way"),
        );
        return;
    }
    let pem: Vec<u8> = percent_encoding::percent_decode_str(value).collect();
    decode_pem_text(&pem, format, location, decoded);
}

/// Decodes `NotBefore=<ISO 8601>;NotAfter=<ISO 8601>` from ALB.
fn decode_alb_validity(value: &str, decoded: &mut Decoded) {
    let source = "X-Amzn-Mtls-Clientcert-Validity";
    let mut found = false;
    for part in value.split(';') {
        let Some((key, time)) = part.trim().split_once('=') else {
            continue;
        };
        let field = match key.trim().to_ascii_lowercase().as_str() {
            "notbefore" => ClaimField::NotBefore,
            "notafter" => ClaimField::NotAfter,
            _ => continue,
        };
        found = true;
        claim(decoded, field, source, time.trim());
    }
    if !found {
        decoded.damage(
            Some(Format::AlbClientCertLeaf),
            format!("{source} is not of the form NotBefore=<time>;NotAfter=<time>"),
        );
    }
}

/// Decodes comma-separated base64 DER items (Traefik; one item for Cloudflare and others).
fn decode_base64_list(value: &str, format: Format, location: &str, decoded: &mut Decoded) {
    let items: Vec<&str> = value.split(',').map(str::trim).collect();
    for (index, item) in items.iter().enumerate() {
        let where_ = if items.len() == 1 {
            location.to_string()
        } else {
            format!("{location} certificate {}", index + 1)
        };
        if item.is_empty() {
            decoded.damage(
                Some(format),
                format!("{where_} is empty; certificates are joined by single commas"),
            );
            continue;
        }
        match STANDARD.decode(item) {
            Ok(der) => decoded.add_certificate(der, format, where_),
            Err(error) => decoded.damage(
                Some(format),
                format!("{where_} is not valid base64 of DER ({error}); the value must be base64 without PEM lines or line breaks"),
            ),
        }
    }
}

/// Decodes RFC 9440 byte sequences: `:base64:`, comma-separated for a chain (RFC 8941 3.3.5).
fn decode_rfc9440(value: &str, format: Format, location: &str, decoded: &mut Decoded) {
    let members: Vec<&str> = value.split(',').map(str::trim).collect();
    if format == Format::Rfc9440ClientCert && members.len() > 1 {
        decoded.damage(
            Some(format),
            format!("{location} holds {} byte sequences; Client-Cert carries the leaf alone (the chain belongs in Client-Cert-Chain)", members.len()),
        );
    }
    for (index, member) in members.iter().enumerate() {
        let where_ = if members.len() == 1 {
            location.to_string()
        } else {
            format!("{location} certificate {}", index + 1)
        };
        let Some(inner) = member
            .strip_prefix(':')
            .and_then(|rest| rest.strip_suffix(':'))
            .filter(|_| member.len() >= 2)
        else {
            decoded.damage(
                Some(format),
                format!(
                    "{where_} is not an RFC 8941 byte sequence: it must start and end with ':'"
                ),
            );
            continue;
        };
        match STANDARD.decode(inner) {
            Ok(der) => decoded.add_certificate(der, format, where_),
            Err(error) => decoded.damage(
                Some(format),
                format!("{where_} is not valid base64 between its colons ({error}); RFC 8941 byte sequences use padded standard base64"),
            ),
        }
    }
}

/// One parsed XFCC element: its key/value pairs, keys lowercased.
type XfccElement = Vec<(String, String)>;

/// Parses an Envoy XFCC value: elements separated by ',', pairs by ';',
/// `key=value` with values that contain ',', ';' or '=' double-quoted and
/// `\"` for a literal quote.
fn parse_xfcc(value: &str) -> Result<Vec<XfccElement>, String> {
    let bytes = value.as_bytes();
    let mut elements = Vec::new();
    let mut element: XfccElement = Vec::new();
    let mut position = 0;
    loop {
        let key_start = position;
        while position < bytes.len() && !matches!(bytes[position], b'=' | b';' | b',') {
            position += 1;
        }
        let key = value[key_start..position].trim().to_ascii_lowercase();
        if bytes.get(position) != Some(&b'=') {
            return Err(format!(
                "XFCC element {} has the field {key:?} at byte {key_start} without '=' (each field is key=value)",
                elements.len() + 1
            ));
        }
        position += 1;

        let mut text = String::new();
        if bytes.get(position) == Some(&b'"') {
            let quote = position;
            position += 1;
            loop {
                match bytes.get(position) {
                    None => {
                        return Err(format!(
                            "XFCC value has an unterminated quoted string at byte {quote}"
                        ))
                    }
                    Some(b'\\') if bytes.get(position + 1) == Some(&b'"') => {
                        text.push('"');
                        position += 2;
                    }
                    Some(b'"') => {
                        position += 1;
                        break;
                    }
                    Some(_) => {
                        let start = position;
                        position += 1;
                        while position < bytes.len() && !matches!(bytes[position], b'"' | b'\\') {
                            position += 1;
                        }
                        text.push_str(&value[start..position]);
                    }
                }
            }
        } else {
            let start = position;
            while position < bytes.len() && !matches!(bytes[position], b';' | b',') {
                position += 1;
            }
            text.push_str(&value[start..position]);
            if text.contains('=') {
                return Err(format!(
                    "XFCC field {key:?} at byte {key_start} has a value with '=' that is not quoted (values with ',', ';' or '=' must be double-quoted)"
                ));
            }
        }
        element.push((key, text));

        match bytes.get(position) {
            None => break,
            Some(b';') => position += 1,
            Some(b',') => {
                elements.push(std::mem::take(&mut element));
                position += 1;
            }
            Some(_) => {
                return Err(format!(
                    "XFCC has text after the quoted value at byte {position}; expected ';' or ','"
                ))
            }
        }
    }
    elements.push(element);
    Ok(elements)
}

/// Decodes an Envoy `x-forwarded-client-cert` value: `Chain=` when present
/// (it includes the leaf), else `Cert=`, for every element.
fn decode_xfcc(value: &str, decoded: &mut Decoded) {
    let format = Format::EnvoyXfcc;
    let elements = match parse_xfcc(value) {
        Ok(elements) => elements,
        Err(message) => {
            decoded.damage(Some(format), message);
            return;
        }
    };
    decoded.add_format(format);
    for (index, element) in elements.iter().enumerate() {
        let field = |name: &str| {
            element
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let location = format!("XFCC element {}", index + 1);
        match (field("chain"), field("cert")) {
            (Some(chain), _) => {
                decode_url_encoded_pem(chain, format, &format!("{location} Chain"), decoded)
            }
            (None, Some(cert)) => {
                decode_url_encoded_pem(cert, format, &format!("{location} Cert"), decoded)
            }
            (None, None) => {}
        }
        // Only the first element describes the client of the first proxy.
        if index == 0 {
            if let Some(subject) = field("subject") {
                claim(
                    decoded,
                    ClaimField::SubjectDn,
                    &format!("{location} Subject"),
                    subject,
                );
            }
            if let Some(hash) = field("hash") {
                claim(
                    decoded,
                    ClaimField::Sha256,
                    &format!("{location} Hash"),
                    hash,
                );
            }
        }
    }
}

//! Encoders of the forwarding formats: the client certificate as a gateway
//! hands it to the backend after the handshake. They write the formats that
//! [`super::decode`] reads, so a value made here decodes back to the same
//! certificate and metadata that matches it.
//!
//! - API Gateway `clientCert` object: `clientCertPem` (PEM text of the leaf),
//!   `subjectDN` and `issuerDN` in certificate order joined by commas
//!   without spaces, `serialNumber` as colon-separated lowercase hex pairs,
//!   `validity.notBefore`/`notAfter` as `MMM dd HH:MM:SS YYYY GMT` with a
//!   space-padded day.
//! - ALB verify mode: `X-Amzn-Mtls-Clientcert-Leaf` (URL-encoded PEM with `+`,
//!   `/` and `=` left literal), `-Serial-Number` (uppercase hex), `-Issuer`
//!   and `-Subject` (RFC 2253), `-Validity` (`NotBefore=..;NotAfter=..`, ISO 8601).
//! - Envoy `x-forwarded-client-cert`: `Hash`, `Cert`, `Chain` and `Subject`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::x509::Certificate;

/// Bytes ALB escapes in URL-encoded PEM: controls, space and the URL
/// delimiters. `+`, `/` and `=` stay literal (ALB lists them as safe).
const ALB_ESCAPED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b',')
    .add(b';')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Writes one certificate as a PEM block with 64-character lines and a final newline.
pub fn pem(der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut text = String::with_capacity(body.len() + body.len() / 64 + 64);
    text.push_str("-----BEGIN CERTIFICATE-----\n");
    let mut rest = body.as_str();
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(rest.len().min(64));
        text.push_str(line);
        text.push('\n');
        rest = tail;
    }
    text.push_str("-----END CERTIFICATE-----\n");
    text
}

/// Writes a Unix time as OpenSSL prints it: `Aug  5 09:36:04 2021 GMT`.
pub fn openssl_time(unix: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return crate::x509::format_time(unix);
    };
    let month = MONTHS
        .get(usize::from(u8::from(time.month())).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{month} {:>2} {:02}:{:02}:{:02} {} GMT",
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.year()
    )
}

/// Writes the serial number as colon-separated lowercase hex pairs.
fn colon_serial(cert: &Certificate) -> String {
    let hex = cert.serial.hex.trim_start_matches('-');
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_string()
    };
    let pairs: Vec<&str> = padded
        .as_bytes()
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok())
        .collect();
    let sign = if cert.serial.negative { "-" } else { "" };
    format!("{sign}{}", pairs.join(":"))
}

/// Builds the API Gateway `clientCert` object for the leaf `cert`.
///
/// NOTE: the serial number follows the developer guide's colon hex; captured
/// events have also shown a bare decimal, and the decoder accepts both.
pub fn api_gateway_client_cert(cert: &Certificate) -> Value {
    json!({
        "clientCertPem": pem(&cert.der),
        "subjectDN": cert.subject.certificate_order,
        "issuerDN": cert.issuer.certificate_order,
        "serialNumber": colon_serial(cert),
        "validity": {
            "notBefore": openssl_time(cert.not_before),
            "notAfter": openssl_time(cert.not_after),
        },
    })
}

/// URL-encodes PEM text the way ALB does.
pub fn alb_url_encode(pem_text: &str) -> String {
    utf8_percent_encode(pem_text, ALB_ESCAPED).to_string()
}

/// Builds the headers ALB sends in verify mode for the leaf `cert`, in the
/// order ALB documents them.
pub fn alb_verify_headers(cert: &Certificate) -> Vec<(&'static str, String)> {
    let serial = cert.serial.hex.trim_start_matches('-').to_ascii_uppercase();
    vec![
        ("X-Amzn-Mtls-Clientcert-Serial-Number", serial),
        ("X-Amzn-Mtls-Clientcert-Issuer", cert.issuer.rfc4514.clone()),
        (
            "X-Amzn-Mtls-Clientcert-Subject",
            cert.subject.rfc4514.clone(),
        ),
        (
            "X-Amzn-Mtls-Clientcert-Validity",
            format!(
                "NotBefore={};NotAfter={}",
                crate::x509::format_time(cert.not_before),
                crate::x509::format_time(cert.not_after)
            ),
        ),
        (
            "X-Amzn-Mtls-Clientcert-Leaf",
            alb_url_encode(&pem(&cert.der)),
        ),
    ]
}

/// Quotes an XFCC value: double quotes around it, `\"` for a literal quote.
fn xfcc_quote(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\\\""))
}

/// Builds one Envoy `x-forwarded-client-cert` element for the leaf `cert`
/// and the `chain` the client sent (leaf first, as Envoy's `Chain` includes it).
pub fn xfcc(cert: &Certificate, chain: &[Vec<u8>]) -> String {
    let hash: String = Sha256::digest(&cert.der)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let chain_pem: String = chain.iter().map(|der| pem(der)).collect();
    format!(
        "Hash={hash};Cert={};Chain={};Subject={}",
        xfcc_quote(&alb_url_encode(&pem(&cert.der))),
        xfcc_quote(&alb_url_encode(&chain_pem)),
        xfcc_quote(&cert.subject.rfc4514)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forwarded::metadata::{compare, Comparison};
    use crate::forwarded::{decode, Format};

    fn leaf() -> Certificate {
        let text = include_str!("../../tests/fixtures/p256-chain.pem");
        let block = crate::input::decode(text.as_bytes(), "chain")
            .blocks
            .into_iter()
            .next()
            .expect("the fixture has a block");
        Certificate::from_der(&block.der.expect("the block decodes")).expect("a certificate")
    }

    fn assert_claims_match(input: &str, expected_format: Format, cert: &Certificate) {
        let decoded = decode(input.as_bytes());
        assert!(decoded.damage.is_empty(), "{:?}", decoded.damage);
        assert_eq!(decoded.formats.first(), Some(&expected_format));
        assert_eq!(
            decoded.certificates.first().map(|c| &c.der),
            Some(&cert.der)
        );
        assert!(!decoded.claims.is_empty());
        for claim in &decoded.claims {
            assert_eq!(compare(claim, cert), Comparison::Matches, "{claim:?}");
        }
    }

    #[test]
    fn openssl_time_pads_the_day_with_a_space() {
        // 2021-08-05T09:36:04Z
        assert_eq!(openssl_time(1_628_156_164), "Aug  5 09:36:04 2021 GMT");
    }

    #[test]
    fn api_gateway_event_decodes_back() {
        let cert = leaf();
        let event = json!({
            "requestContext": { "identity": { "clientCert": api_gateway_client_cert(&cert) } }
        });
        assert_claims_match(&event.to_string(), Format::ApiGatewayRestEvent, &cert);
    }

    #[test]
    fn alb_headers_decode_back() {
        let cert = leaf();
        let lines: Vec<String> = alb_verify_headers(&cert)
            .into_iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        let text = lines.join("\n");
        assert_claims_match(&text, Format::AlbClientCertLeaf, &cert);
        assert!(!text.contains("%2B"));
        assert!(!text.contains("%2F"));
    }

    #[test]
    fn alb_serial_with_leading_zero_nibble_matches() {
        // This fixture's serial starts with the octet 0x06.
        let text = include_str!("../../tests/fixtures/serve/client.pem");
        let block = crate::input::decode(text.as_bytes(), "client")
            .blocks
            .into_iter()
            .next()
            .expect("the fixture has a block");
        let cert =
            Certificate::from_der(&block.der.expect("the block decodes")).expect("a certificate");
        assert!(cert.serial.hex.starts_with('0'));
        let lines: Vec<String> = alb_verify_headers(&cert)
            .into_iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        assert_claims_match(&lines.join("\n"), Format::AlbClientCertLeaf, &cert);
    }

    #[test]
    fn xfcc_decodes_back() {
        let cert = leaf();
        let value = xfcc(&cert, std::slice::from_ref(&cert.der));
        let text = format!("x-forwarded-client-cert: {value}");
        assert_claims_match(&text, Format::EnvoyXfcc, &cert);
    }
}

//! Round trips of every forwarding format, built from the fixture PEMs the
//! way each producer encodes them, and damaged values of each.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::metadata::{compare, parse_dn, parse_time, Claim, ClaimField, Comparison};
use super::{decode, Decoded, Format};
use crate::input;
use crate::x509::Certificate;

const LEAF_PEM: &str = include_str!("../../tests/fixtures/p256-leaf.pem");
const INTER_PEM: &str = include_str!("../../tests/fixtures/p256-inter.pem");
const RSA_LEAF_PEM: &str = include_str!("../../tests/fixtures/rsa2048-leaf.pem");

fn der_of(pem: &str) -> Vec<u8> {
    let blocks = input::decode(pem.as_bytes(), "fixture").blocks;
    blocks
        .into_iter()
        .next()
        .and_then(|block| block.der.ok())
        .expect("fixture decodes")
}

fn leaf() -> Certificate {
    Certificate::from_der(&der_of(LEAF_PEM)).expect("leaf parses")
}

/// URL-encodes PEM as ALB does: space and newline escaped, '+' and '/' literal.
fn alb_encode(pem: &str, escape_equals: bool) -> String {
    let mut out = String::new();
    for c in pem.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '\n' => out.push_str("%0A"),
            '=' if escape_equals => out.push_str("%3D"),
            other => out.push(other),
        }
    }
    out
}

/// URL-encodes as nginx's $ssl_client_escaped_cert: all but ALPHA, DIGIT, '-', '.', '_', '~'.
fn nginx_encode(pem: &str) -> String {
    pem.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn openssl_time(unix: i64) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp(unix).expect("time in range");
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][time.month() as usize - 1];
    format!(
        "{month} {:>2} {:02}:{:02}:{:02} {} GMT",
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
        time.year()
    )
}

fn colon_serial(cert: &Certificate) -> String {
    let hex = &cert.serial.hex;
    let padded = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.clone()
    };
    padded
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}

fn client_cert_object(cert: &Certificate) -> serde_json::Value {
    serde_json::json!({
        "clientCertPem": LEAF_PEM,
        "subjectDN": cert.subject.certificate_order,
        "issuerDN": cert.issuer.rfc4514,
        "serialNumber": colon_serial(cert),
        "validity": {
            "notBefore": openssl_time(cert.not_before),
            "notAfter": openssl_time(cert.not_after),
        }
    })
}

fn assert_leaf_then(decoded: &Decoded, expected: &[&str], format: Format) {
    assert!(decoded.damage.is_empty(), "damage: {:?}", decoded.damage);
    assert_eq!(
        decoded.formats.first(),
        Some(&format),
        "{:?}",
        decoded.formats
    );
    let ders: Vec<Vec<u8>> = decoded.certificates.iter().map(|c| c.der.clone()).collect();
    let wanted: Vec<Vec<u8>> = expected.iter().map(|pem| der_of(pem)).collect();
    assert_eq!(ders, wanted);
}

fn all_claims_match(decoded: &Decoded) {
    let cert = leaf();
    assert!(!decoded.claims.is_empty(), "no metadata read");
    for claim in &decoded.claims {
        assert_eq!(compare(claim, &cert), Comparison::Matches, "{claim:?}");
    }
}

fn damage_text(decoded: &Decoded) -> String {
    decoded
        .damage
        .iter()
        .map(|d| d.message.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn apigw_rest_event_round_trip() {
    let event = serde_json::json!({
        "resource": "/",
        "requestContext": {"identity": {"sourceIp": "192.0.2.1", "clientCert": client_cert_object(&leaf())}},
    });
    let decoded = decode(event.to_string().as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::ApiGatewayRestEvent);
    assert_eq!(decoded.claims.len(), 5);
    all_claims_match(&decoded);
}

#[test]
fn apigw_http_event_round_trip() {
    let event = serde_json::json!({
        "version": "2.0",
        "requestContext": {"authentication": {"clientCert": client_cert_object(&leaf())}},
    });
    let decoded = decode(event.to_string().as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::ApiGatewayHttpEvent);
    all_claims_match(&decoded);
}

#[test]
fn apigw_client_cert_object_alone() {
    let decoded = decode(client_cert_object(&leaf()).to_string().as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::ApiGatewayClientCert);
}

#[test]
fn apigw_decimal_serial_matches() {
    let cert = leaf();
    let mut object = client_cert_object(&cert);
    object["serialNumber"] = serde_json::Value::String(cert.serial.decimal.clone());
    let decoded = decode(object.to_string().as_bytes());
    all_claims_match(&decoded);
}

#[test]
fn apigw_metadata_mismatch_detected() {
    let mut object = client_cert_object(&leaf());
    object["subjectDN"] = "CN=someone-else,O=Example".into();
    object["serialNumber"] = "01:02".into();
    let decoded = decode(object.to_string().as_bytes());
    let cert = leaf();
    let differing: Vec<ClaimField> = decoded
        .claims
        .iter()
        .filter(|claim| matches!(compare(claim, &cert), Comparison::Differs(_)))
        .map(|claim| claim.field)
        .collect();
    assert_eq!(differing, vec![ClaimField::SubjectDn, ClaimField::Serial]);
}

#[test]
fn apigw_event_without_client_cert() {
    let decoded = decode(br#"{"requestContext": {"identity": {"sourceIp": "192.0.2.1"}}}"#);
    assert!(decoded.certificates.is_empty());
    assert!(damage_text(&decoded).contains("requestContext.identity.clientCert"));
}

#[test]
fn apigw_invalid_json_reported() {
    let decoded = decode(br#"{"requestContext": {"identity": "#);
    assert!(
        damage_text(&decoded).contains("not valid JSON"),
        "{}",
        damage_text(&decoded)
    );
}

#[test]
fn alb_chain_with_escaped_equals() {
    let chain = format!("{LEAF_PEM}{INTER_PEM}");
    let line = format!("X-Amzn-Mtls-Clientcert: {}", alb_encode(&chain, true));
    let decoded = decode(line.as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM, INTER_PEM], Format::AlbClientCert);
}

#[test]
fn alb_chain_with_literal_equals() {
    let chain = format!("{LEAF_PEM}{INTER_PEM}");
    let decoded = decode(alb_encode(&chain, false).as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM, INTER_PEM], Format::AlbClientCert);
}

#[test]
fn alb_plus_stays_plus() {
    // Find a fixture whose base64 contains a '+', so that form decoding would break it.
    let pem = [LEAF_PEM, INTER_PEM, RSA_LEAF_PEM]
        .into_iter()
        .find(|pem| pem.contains('+'))
        .expect("a fixture with '+' in its base64");
    let decoded = decode(alb_encode(pem, true).as_bytes());
    assert_leaf_then(&decoded, &[pem], Format::AlbClientCert);
}

#[test]
fn alb_leaf_with_metadata_headers() {
    let cert = leaf();
    let headers = format!(
        "X-Amzn-Mtls-Clientcert-Serial-Number: {}\nX-Amzn-Mtls-Clientcert-Issuer: {}\nX-Amzn-Mtls-Clientcert-Subject: {}\nX-Amzn-Mtls-Clientcert-Validity: NotBefore={};NotAfter={}\nX-Amzn-Mtls-Clientcert-Leaf: {}\n",
        cert.serial.hex.to_uppercase(),
        cert.issuer.rfc4514,
        cert.subject.rfc4514,
        crate::x509::format_time(cert.not_before),
        crate::x509::format_time(cert.not_after),
        alb_encode(LEAF_PEM, true),
    );
    let decoded = decode(headers.as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::AlbClientCertLeaf);
    assert_eq!(decoded.claims.len(), 5);
    all_claims_match(&decoded);
}

#[test]
fn alb_bad_percent_escape() {
    let mut value = alb_encode(LEAF_PEM, true);
    value.insert_str(40, "%G");
    let decoded = decode(format!("X-Amzn-Mtls-Clientcert: {value}").as_bytes());
    assert!(decoded.certificates.is_empty());
    assert!(
        damage_text(&decoded).contains("byte 40"),
        "{}",
        damage_text(&decoded)
    );
}

#[test]
fn alb_form_decoded_value_reported() {
    // A value passed through form decoding has spaces where '+' and %20 were.
    let value = alb_encode(LEAF_PEM, true).replace("%20", " ");
    let decoded = decode(format!("X-Amzn-Mtls-Clientcert: {value}").as_bytes());
    assert!(
        damage_text(&decoded).contains("raw space"),
        "{}",
        damage_text(&decoded)
    );
}

#[test]
fn nginx_escaped_round_trip() {
    let decoded = decode(nginx_encode(LEAF_PEM).as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::NginxEscapedCert);
}

#[test]
fn nginx_truncated_value_reported() {
    let value = nginx_encode(LEAF_PEM);
    let cut = &value[..value.len() / 2];
    let decoded = decode(format!("X-SSL-Client-Cert: {cut}").as_bytes());
    assert!(decoded.certificates.is_empty());
    assert!(!decoded.damage.is_empty());
}

#[test]
fn xfcc_two_elements_round_trip() {
    let chain = format!("{LEAF_PEM}{INTER_PEM}");
    let value = format!(
        "By=spiffe://example.test/proxy;Hash={};Subject=\"{}\";Chain={},By=spiffe://example.test/edge;Cert=\"{}\"",
        leaf().sha256_fingerprint.replace(':', "").to_lowercase(),
        "/O=Example/CN=client-001",
        nginx_encode(&chain),
        nginx_encode(RSA_LEAF_PEM),
    );
    let decoded = decode(format!("x-forwarded-client-cert: {value}").as_bytes());
    assert_leaf_then(
        &decoded,
        &[LEAF_PEM, INTER_PEM, RSA_LEAF_PEM],
        Format::EnvoyXfcc,
    );
    assert_eq!(decoded.claims.len(), 2);
    all_claims_match(&decoded);
}

#[test]
fn xfcc_unterminated_quote_reported() {
    let value = format!("Hash=00;Cert=\"{}", nginx_encode(LEAF_PEM));
    let decoded = decode(value.as_bytes());
    assert_eq!(
        damage_text(&decoded),
        "XFCC value has an unterminated quoted string at byte 13"
    );
}

#[test]
fn xfcc_field_without_equals_reported() {
    let decoded = decode(b"Hash=00;Cert");
    assert!(
        damage_text(&decoded).contains("without '='"),
        "{}",
        damage_text(&decoded)
    );
}

#[test]
fn traefik_two_certificates_round_trip() {
    let value = format!(
        "{},{}",
        STANDARD.encode(der_of(LEAF_PEM)),
        STANDARD.encode(der_of(INTER_PEM))
    );
    let decoded = decode(format!("X-Forwarded-Tls-Client-Cert: {value}").as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM, INTER_PEM], Format::TraefikClientCert);

    let raw = decode(value.as_bytes());
    assert_leaf_then(&raw, &[LEAF_PEM, INTER_PEM], Format::TraefikClientCert);
}

#[test]
fn traefik_bad_base64_reported() {
    let value = format!("{},not*base64", STANDARD.encode(der_of(LEAF_PEM)));
    let decoded = decode(format!("X-Forwarded-Tls-Client-Cert: {value}").as_bytes());
    assert_eq!(decoded.certificates.len(), 1);
    assert!(damage_text(&decoded).contains("certificate 2 is not valid base64"));
}

#[test]
fn rfc9440_with_chain_round_trip() {
    let headers = format!(
        "Client-Cert: :{}:\nClient-Cert-Chain: :{}:\n",
        STANDARD.encode(der_of(LEAF_PEM)),
        STANDARD.encode(der_of(INTER_PEM))
    );
    let decoded = decode(headers.as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM, INTER_PEM], Format::Rfc9440ClientCert);
    assert_eq!(
        decoded.formats,
        vec![Format::Rfc9440ClientCert, Format::Rfc9440ClientCertChain]
    );
}

#[test]
fn rfc9440_raw_value_detected() {
    let value = format!(":{}:", STANDARD.encode(der_of(LEAF_PEM)));
    assert_leaf_then(
        &decode(value.as_bytes()),
        &[LEAF_PEM],
        Format::Rfc9440ClientCert,
    );
}

#[test]
fn rfc9440_missing_colon_reported() {
    let value = format!("Client-Cert: :{}", STANDARD.encode(der_of(LEAF_PEM)));
    let decoded = decode(value.as_bytes());
    assert!(damage_text(&decoded).contains("must start and end with ':'"));
}

#[test]
fn cloudflare_der_base64_round_trip() {
    let line = format!(
        "Cf-Client-Cert-Der-Base64: {}",
        STANDARD.encode(der_of(LEAF_PEM))
    );
    assert_leaf_then(
        &decode(line.as_bytes()),
        &[LEAF_PEM],
        Format::CloudflareDerBase64,
    );
}

#[test]
fn cloudflare_not_a_certificate_reported() {
    let line = format!(
        "Cf-Client-Cert-Der-Base64: {}",
        STANDARD.encode(b"0\x03\x02\x01\x01")
    );
    let decoded = decode(line.as_bytes());
    assert!(decoded.certificates.is_empty());
    assert!(damage_text(&decoded).contains("not an X.509 certificate"));
}

#[test]
fn alb_lambda_target_event_headers() {
    let event = serde_json::json!({
        "requestContext": {"elb": {"targetGroupArn": "arn"}},
        "headers": {"x-amzn-mtls-clientcert-leaf": alb_encode(LEAF_PEM, true)},
    });
    let decoded = decode(event.to_string().as_bytes());
    assert_leaf_then(&decoded, &[LEAF_PEM], Format::AlbClientCertLeaf);
}

#[test]
fn unknown_header_ignored() {
    let line = format!(
        "Host: api.example.test\nCf-Client-Cert-Der-Base64: {}",
        STANDARD.encode(der_of(LEAF_PEM))
    );
    let decoded = decode(line.as_bytes());
    assert_eq!(decoded.ignored_headers, vec!["host".to_string()]);
    assert_eq!(decoded.certificates.len(), 1);
}

#[test]
fn empty_and_binary_input_reported() {
    assert_eq!(damage_text(&decode(b"  ")), "the input is empty");
    assert!(damage_text(&decode(&[0xff, 0xfe, 0x00])).contains("not UTF-8"));
}

#[test]
fn dn_orders_compare_equal() {
    let cert = leaf();
    for text in [
        cert.subject.rfc4514.clone(),
        cert.subject.certificate_order.clone(),
        "/O=Example/CN=client-001".to_string(),
        "O = Example, CN = client-001".to_string(),
    ] {
        let claim = Claim {
            field: ClaimField::SubjectDn,
            source: "test".into(),
            value: text.clone(),
        };
        assert_eq!(compare(&claim, &cert), Comparison::Matches, "{text}");
    }
}

#[test]
fn dn_escapes_parsed() {
    let attributes = parse_dn(r"CN=Smith\, John,O=Example\2C Inc").expect("parses");
    assert_eq!(
        attributes,
        vec![
            ("CN".to_string(), "smith, john".to_string()),
            ("O".to_string(), "example, inc".to_string())
        ]
    );
}

#[test]
fn openssl_time_space_padded_day() {
    assert_eq!(parse_time("Aug  5 09:36:04 2021 GMT"), Some(1628156164));
    assert_eq!(parse_time("2021-08-05T09:36:04Z"), Some(1628156164));
    assert_eq!(parse_time("Aug 5 2021"), None);
}

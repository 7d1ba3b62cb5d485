//! Behaviour tests of [`decode`] on the fixtures that `testdata/make.sh`
//! generates with openssl, and on damaged variants of them.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

use super::*;

const BUNDLE: &str = include_str!("testdata/bundle.pem");
const CSR_PEM: &str = include_str!("testdata/csr.pem");
const CRL_PEM: &str = include_str!("testdata/crl.pem");
const TRUSTED_PEM: &str = include_str!("testdata/trusted.pem");
const KEY_PKCS8_PEM: &str = include_str!("testdata/key-pkcs8.pem");
const KEY_RSA_PEM: &str = include_str!("testdata/key-rsa.pem");
const KEY_RSA_LEGACY_ENCRYPTED_PEM: &str = include_str!("testdata/key-rsa-legacy-encrypted.pem");
const KEY_EC_PEM: &str = include_str!("testdata/key-ec.pem");
const KEY_ENCRYPTED_PEM: &str = include_str!("testdata/key-encrypted.pem");

const LEAF_DER: &[u8] = include_bytes!("testdata/leaf.der");
const INT_DER: &[u8] = include_bytes!("testdata/int.der");
const CSR_DER: &[u8] = include_bytes!("testdata/csr.der");
const CRL_DER: &[u8] = include_bytes!("testdata/crl.der");
const KEY_PKCS8_DER: &[u8] = include_bytes!("testdata/key-pkcs8.der");
const KEY_RSA_DER: &[u8] = include_bytes!("testdata/key-rsa.der");
const KEY_EC_DER: &[u8] = include_bytes!("testdata/key-ec.der");
const KEY_ENCRYPTED_DER: &[u8] = include_bytes!("testdata/key-encrypted.der");
const PKCS12_DER: &[u8] = include_bytes!("testdata/leaf.p12");

const KEY_PEMS: [&str; 5] = [
    KEY_PKCS8_PEM,
    KEY_RSA_PEM,
    KEY_RSA_LEGACY_ENCRYPTED_PEM,
    KEY_EC_PEM,
    KEY_ENCRYPTED_PEM,
];

fn decode_str(text: &str) -> Decoded {
    decode(text.as_bytes(), "test")
}

fn der(block: &Block) -> &[u8] {
    match &block.der {
        Ok(der) => der,
        Err(error) => panic!("block {} did not decode: {error}", block.origin.block),
    }
}

/// Returns the DER of the bundle's three certificates: leaf, intermediate, root.
fn bundle_ders() -> Vec<Vec<u8>> {
    decode_str(BUNDLE)
        .blocks
        .iter()
        .map(|b| der(b).to_vec())
        .collect()
}

/// Byte offsets of every BEGIN boundary in `text`.
fn begin_offsets(text: &str) -> Vec<usize> {
    text.match_indices("-----BEGIN ").map(|(i, _)| i).collect()
}

/// 1-based line of `offset`, counting `\n` only.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// Returns the base64 body lines of a PEM text: every line that is not a
/// boundary or an RFC 1421 header.
fn pem_body_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.trim().is_empty())
        .collect()
}

/// Percent-encodes the way ALB does: `+`, `=` and `/` stay literal.
fn alb_encode(text: &str) -> String {
    text.replace(' ', "%20").replace('\n', "%0A")
}

/// Percent-encodes every byte except ALPHA, DIGIT, `-`, `.`, `_` and `~`,
/// as nginx does for `$ssl_client_escaped_cert`.
fn nginx_encode(text: &str, lowercase_hex: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else if lowercase_hex {
            out.push_str(&format!("%{byte:02x}"));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---- clean input -------------------------------------------------------

#[test]
fn clean_bundle_gives_three_certificates() {
    let decoded = decode_str(BUNDLE);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(decoded.encoding, Encoding::Pem);
    assert!(decoded.limit.is_none());
    for block in &decoded.blocks {
        assert_eq!(block.kind, BlockKind::Certificate);
        assert_eq!(block.label.as_deref(), Some("CERTIFICATE"));
        assert_eq!(block.encoding, Encoding::Pem);
    }
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn clean_bundle_has_clean_layout() {
    let layout = decode_str(BUNDLE).layout;
    assert_eq!(layout.total_bytes, BUNDLE.len());
    assert!(!layout.bom);
    assert_eq!(layout.line_endings, LineEndings::Lf);
    assert!(layout.stray.is_empty());
    assert_eq!(layout.stray_omitted, 0);
    assert!(!layout.indented);
    assert!(!layout.whitespace_in_body);
    assert!(!layout.non_ascii);
}

#[test]
fn clean_bundle_blocks_cover_every_byte() {
    let decoded = decode_str(BUNDLE);
    let covered: usize = decoded.blocks.iter().map(|b| b.byte_len).sum();
    assert_eq!(covered, BUNDLE.len());
}

#[test]
fn origins_of_later_blocks_are_exact() {
    let decoded = decode(BUNDLE.as_bytes(), "bundle.pem");
    let offsets = begin_offsets(BUNDLE);
    for (index, (block, &offset)) in decoded.blocks.iter().zip(&offsets).enumerate().skip(1) {
        let origin = &block.origin;
        assert_eq!(origin.source, "bundle.pem");
        assert_eq!(origin.block, index);
        assert_eq!(origin.offset, offset);
        assert_eq!(origin.line, line_of(BUNDLE, offset));
    }
}

// ---- line endings, BOM, whitespace ---------------------------------------

#[test]
fn bom_and_crlf_are_tolerated() {
    let text = format!("\u{feff}{}", BUNDLE.replace('\n', "\r\n"));
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(
        bundle_ders(),
        decoded
            .blocks
            .iter()
            .map(|b| der(b).to_vec())
            .collect::<Vec<_>>()
    );
    assert!(decoded.layout.bom);
    assert_eq!(decoded.layout.line_endings, LineEndings::Crlf);
    assert!(!decoded.layout.non_ascii);
    assert!(decoded.layout.stray.is_empty());
}

#[test]
fn bom_counts_in_offsets() {
    let text = format!("\u{feff}{}", BUNDLE.replace('\n', "\r\n"));
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks[0].origin.offset, 3);
    assert_eq!(decoded.blocks[0].origin.line, 1);
    let second = begin_offsets(&text)[1];
    assert_eq!(decoded.blocks[1].origin.offset, second);
    assert_eq!(decoded.blocks[1].origin.line, line_of(&text, second));
}

#[test]
fn mixed_line_endings_are_tolerated() {
    // Alternate \n, \r\n and a lone \r, each of which ends a line.
    let mut text = String::new();
    for (i, line) in BUNDLE.lines().enumerate() {
        text.push_str(line);
        text.push_str(["\n", "\r\n", "\r"][i % 3]);
    }
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(decoded.layout.line_endings, LineEndings::Mixed);

    let third_line = BUNDLE[..begin_offsets(BUNDLE)[2]].lines().count() + 1;
    assert_eq!(decoded.blocks[2].origin.line, third_line);
}

#[test]
fn indented_lines_are_tolerated() {
    let text: String = BUNDLE.lines().map(|l| format!("    {l}  \n")).collect();
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert!(decoded.layout.indented);
    assert!(!decoded.layout.whitespace_in_body);
    assert!(decoded.layout.stray.is_empty());
}

#[test]
fn tab_folded_nginx_certificate_is_tolerated() {
    let leaf = &BUNDLE[..begin_offsets(BUNDLE)[1]];
    let text = leaf.trim_end().replace('\n', "\n\t");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 1);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert!(decoded.layout.indented);
}

#[test]
fn body_joined_by_spaces_is_tolerated() {
    let mut text = String::new();
    for block in BUNDLE.split_inclusive("-----END CERTIFICATE-----\n") {
        let lines: Vec<&str> = block.lines().collect();
        let (first, rest) = lines.split_first().expect("BEGIN line");
        let (last, body) = rest.split_last().expect("END line");
        text.push_str(&format!("{first}\n{}\n{last}\n", body.join(" ")));
    }
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert!(decoded.layout.whitespace_in_body);
    assert!(!decoded.layout.indented);
}

#[test]
fn pem_on_one_line_is_tolerated() {
    let text = BUNDLE.replace('\n', " ");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert_eq!(decoded.blocks[2].origin.line, 1);
    assert_eq!(decoded.layout.line_endings, LineEndings::None);
    assert!(decoded.layout.stray.is_empty());
}

#[test]
fn body_on_boundary_lines_is_tolerated() {
    let leaf = &BUNDLE[..begin_offsets(BUNDLE)[1]];
    let text = leaf
        .replacen("-----\n", "-----", 1)
        .replace("\n-----END", "-----END");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 1);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
}

#[test]
fn non_ascii_text_is_flagged() {
    let text = format!("# Zertifikat für München\n{BUNDLE}");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert!(decoded.layout.non_ascii);
}

// ---- stray lines -------------------------------------------------------------

#[test]
fn stray_lines_between_blocks_have_lines_and_kinds() {
    let blocks: Vec<&str> = BUNDLE
        .split_inclusive("-----END CERTIFICATE-----\n")
        .collect();
    let text = format!(
        "# Client chain\n{}\nSubject: CN=input-test\n{}   \n# root-ca\n{}\n",
        blocks[0], blocks[1], blocks[2]
    );
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);

    let line_after = |i: usize| line_of(&text, begin_offsets(&text)[i]) - 1;
    let stray = &decoded.layout.stray;
    let expected = [
        (1, StrayKind::Comment),
        (line_after(1) - 1, StrayKind::Blank),
        (line_after(1), StrayKind::Text),
        (line_after(2) - 1, StrayKind::Blank),
        (line_after(2), StrayKind::CommentWithDash),
        (text.lines().count(), StrayKind::Blank),
    ];
    assert_eq!(stray.len(), expected.len());
    for (found, (line, kind)) in stray.iter().zip(expected) {
        assert_eq!(found.line, line);
        assert_eq!(found.kind, kind);
        assert!(!found.inside_block);
    }
}

#[test]
fn stray_offset_is_line_start() {
    let text = format!("hello\n\n{BUNDLE}");
    let stray = decode_str(&text).layout.stray;
    assert_eq!(stray[0].offset, 0);
    assert_eq!(stray[1].offset, 6);
    assert_eq!(stray[1].kind, StrayKind::Blank);
}

#[test]
fn blank_line_inside_block_is_stray() {
    let text = BUNDLE.replacen("\n", "\n\n", 3);
    let decoded = decode_str(&text);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    let stray = &decoded.layout.stray;
    assert_eq!(stray.len(), 3);
    for (found, line) in stray.iter().zip([2, 4, 6]) {
        assert_eq!(found.line, line);
        assert_eq!(found.kind, StrayKind::Blank);
        assert!(found.inside_block);
    }
}

#[test]
fn text_before_boundary_on_same_line_is_stray() {
    let text = format!("\"cert\": {BUNDLE}");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(decoded.layout.stray.len(), 1);
    assert_eq!(decoded.layout.stray[0].kind, StrayKind::Text);
    assert_eq!(decoded.blocks[0].origin.offset, 8);
}

#[test]
fn stray_list_is_capped() {
    let text = format!("{}{BUNDLE}", "\n".repeat(MAX_STRAY_LINES + 5));
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(decoded.layout.stray.len(), MAX_STRAY_LINES);
    assert_eq!(decoded.layout.stray_omitted, 5);
}

// ---- broken blocks -----------------------------------------------------------

#[test]
fn missing_end_line_keeps_next_block() {
    let text = BUNDLE.replacen("-----END CERTIFICATE-----\n", "", 1);
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::MissingEndLine {
            label: "CERTIFICATE".to_owned()
        })
    );
    assert_eq!(decoded.blocks[0].kind, BlockKind::Certificate);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert_eq!(decoded.blocks[1].origin.offset, begin_offsets(&text)[1]);
    assert_eq!(
        decoded.blocks[0].byte_len,
        decoded.blocks[1].origin.offset - decoded.blocks[0].origin.offset
    );
}

#[test]
fn missing_end_line_at_end_of_input() {
    let text = BUNDLE
        .trim_end()
        .trim_end_matches("-----END CERTIFICATE-----");
    let decoded = decode_str(text);
    assert_eq!(decoded.blocks.len(), 3);
    assert!(matches!(
        decoded.blocks[2].der,
        Err(DecodeError::MissingEndLine { .. })
    ));
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn end_line_without_begin_is_a_block() {
    let text = BUNDLE.replacen("-----BEGIN CERTIFICATE-----\n", "", 1);
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::MissingBeginLine {
            label: "CERTIFICATE".to_owned()
        })
    );
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert!(decoded
        .layout
        .stray
        .iter()
        .all(|s| s.kind == StrayKind::Text && !s.inside_block));
}

#[test]
fn mismatched_end_label_is_an_error() {
    let text = BUNDLE.replacen("-----END CERTIFICATE-----", "-----END X509 CRL-----", 1);
    let decoded = decode_str(&text);
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::MismatchedEndLabel {
            begin: "CERTIFICATE".to_owned(),
            end: "X509 CRL".to_owned()
        })
    );
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn bad_base64_names_line_not_character() {
    let mut lines: Vec<String> = BUNDLE.lines().map(str::to_owned).collect();
    lines[4].replace_range(10..11, "!");
    let text = lines.join("\n");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    let error = decoded.blocks[0].der.clone().expect_err("bad character");
    assert_eq!(error, DecodeError::InvalidBase64 { line: 5 });
    let message = error.to_string();
    assert!(message.contains("line 5"));
    assert!(!message.contains('!'));
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn missing_body_line_is_an_error() {
    let mut lines: Vec<&str> = BUNDLE.lines().collect();
    lines.remove(3);
    let text = lines.join("\n");
    let decoded = decode_str(&text);
    assert!(matches!(
        decoded.blocks[0].der,
        Err(DecodeError::TruncatedDer { .. })
    ));
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn impossible_base64_length_is_an_error() {
    let text = BUNDLE.replacen("\n-----END", "A\n-----END", 1);
    let decoded = decode_str(&text);
    let end_line = line_of(&text, text.find("-----END").expect("END")) - 1;
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::TruncatedBase64 { line: end_line })
    );
}

#[test]
fn empty_body_is_an_error() {
    let decoded = decode_str("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    assert_eq!(decoded.blocks.len(), 1);
    assert_eq!(decoded.blocks[0].der, Err(DecodeError::EmptyBody));
}

#[test]
fn trailing_data_in_block_is_an_error() {
    let mut bytes = LEAF_DER.to_vec();
    bytes.extend_from_slice(&[0x05, 0x00, 0x05, 0x00]);
    let text = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        STANDARD.encode(&bytes)
    );
    let decoded = decode_str(&text);
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::TrailingData { extra: 4 })
    );
    assert_eq!(decoded.blocks[0].kind, BlockKind::Certificate);
}

#[test]
fn non_der_body_is_an_error() {
    let text = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        STANDARD.encode(b"\x30\x80\x00\x00")
    );
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks[0].der, Err(DecodeError::NotDer));
}

// ---- kinds and labels --------------------------------------------------------

#[test]
fn csr_and_crl_labels_give_kinds() {
    let decoded = decode_str(&format!("{CSR_PEM}{CRL_PEM}"));
    assert_eq!(decoded.blocks.len(), 2);
    assert_eq!(decoded.blocks[0].kind, BlockKind::CertificateRequest);
    assert_eq!(der(&decoded.blocks[0]), CSR_DER);
    assert_eq!(decoded.blocks[1].kind, BlockKind::Crl);
    assert_eq!(der(&decoded.blocks[1]), CRL_DER);
}

#[test]
fn new_certificate_request_label_is_csr() {
    let text = CSR_PEM.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks[0].kind, BlockKind::CertificateRequest);
    assert_eq!(der(&decoded.blocks[0]), CSR_DER);
}

#[test]
fn other_label_is_kept_verbatim() {
    let text = CSR_PEM.replace("CERTIFICATE REQUEST", "Weird Thing");
    let decoded = decode_str(&text);
    assert_eq!(
        decoded.blocks[0].kind,
        BlockKind::Other("Weird Thing".to_owned())
    );
    assert_eq!(decoded.blocks[0].label.as_deref(), Some("Weird Thing"));
    assert_eq!(der(&decoded.blocks[0]), CSR_DER);
}

#[test]
fn trusted_certificate_aux_data_is_dropped() {
    let decoded = decode_str(TRUSTED_PEM);
    assert_eq!(decoded.blocks.len(), 1);
    let block = &decoded.blocks[0];
    assert_eq!(block.kind, BlockKind::Certificate);
    assert_eq!(block.label.as_deref(), Some("TRUSTED CERTIFICATE"));
    let root = bundle_ders().remove(2);
    assert_eq!(der(block), root.as_slice());
}

#[test]
fn kinds_display_human_names() {
    assert_eq!(BlockKind::Certificate.to_string(), "certificate");
    assert_eq!(
        BlockKind::CertificateRequest.to_string(),
        "certificate request (CSR)"
    );
    assert_eq!(BlockKind::Crl.to_string(), "CRL");
    assert_eq!(BlockKind::PrivateKey.to_string(), "private key");
    assert_eq!(BlockKind::Pkcs7.to_string(), "PKCS#7");
    assert_eq!(BlockKind::PublicKey.to_string(), "public key");
    assert_eq!(
        BlockKind::Other("DH PARAMETERS".to_owned()).to_string(),
        "PEM block labelled DH PARAMETERS"
    );
    assert_eq!(BlockKind::Unknown.to_string(), "unknown data");
}

#[test]
fn blocks_serialize_kinds_in_kebab_case() {
    let json = serde_json::to_string(&BlockKind::CertificateRequest).expect("serializes");
    assert_eq!(json, "\"certificate-request\"");
    let json = serde_json::to_string(&Encoding::UrlEncodedPem).expect("serializes");
    assert_eq!(json, "\"url-encoded-pem\"");
}

// ---- private keys ------------------------------------------------------------

#[test]
fn private_key_blocks_keep_no_bytes() {
    for (pem, label) in [
        (KEY_PKCS8_PEM, "PRIVATE KEY"),
        (KEY_RSA_PEM, "RSA PRIVATE KEY"),
        (KEY_RSA_LEGACY_ENCRYPTED_PEM, "RSA PRIVATE KEY"),
        (KEY_EC_PEM, "EC PRIVATE KEY"),
        (KEY_ENCRYPTED_PEM, "ENCRYPTED PRIVATE KEY"),
    ] {
        let decoded = decode_str(pem);
        assert_eq!(decoded.blocks.len(), 1, "{label}");
        let block = &decoded.blocks[0];
        assert_eq!(block.kind, BlockKind::PrivateKey, "{label}");
        assert_eq!(block.label.as_deref(), Some(label));
        assert_eq!(block.der, Ok(Vec::new()), "{label}");
    }
}

#[test]
fn legacy_key_headers_are_not_strays() {
    let decoded = decode_str(KEY_RSA_LEGACY_ENCRYPTED_PEM);
    assert_eq!(decoded.blocks[0].der, Ok(Vec::new()));
    assert!(decoded.layout.stray.is_empty());
}

#[test]
fn openssh_private_key_label_is_a_key() {
    let text = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    let block = &decode_str(text).blocks[0];
    assert_eq!(block.kind, BlockKind::PrivateKey);
    assert_eq!(block.der, Ok(Vec::new()));
}

#[test]
fn key_under_certificate_label_is_still_a_key() {
    let text = KEY_PKCS8_PEM.replace("PRIVATE KEY", "CERTIFICATE");
    let block = &decode_str(&text).blocks[0];
    assert_eq!(block.kind, BlockKind::PrivateKey);
    assert_eq!(block.der, Ok(Vec::new()));
}

#[test]
fn key_bytes_never_appear_in_debug_output() {
    let mut text = String::from(BUNDLE);
    for pem in KEY_PEMS {
        text.push_str(pem);
    }
    // The same key mislabelled, broken, and with a missing END line.
    text.push_str(&KEY_RSA_PEM.replace("RSA PRIVATE KEY", "CERTIFICATE"));
    text.push_str(&KEY_EC_PEM.replacen("\n", "\n!", 2));
    text.push_str(&KEY_PKCS8_PEM.replace("-----END PRIVATE KEY-----", ""));
    text.push_str(BUNDLE);
    let debug = format!("{:?}", decode_str(&text));

    for pem in KEY_PEMS {
        let body: String = pem_body_lines(pem).concat();
        for window in body.as_bytes().windows(12) {
            let window = std::str::from_utf8(window).expect("base64 is ASCII");
            assert!(!debug.contains(window), "key text {window} leaked");
        }
    }
    for key_der in [KEY_PKCS8_DER, KEY_RSA_DER, KEY_EC_DER] {
        // 16 bytes: longer than any OID, which a certificate may share.
        for window in key_der.windows(16) {
            let rendered = format!("{window:?}");
            let rendered = rendered.trim_start_matches('[').trim_end_matches(']');
            assert!(!debug.contains(rendered), "key bytes {rendered} leaked");
        }
    }
}

#[test]
fn der_private_keys_are_recognised() {
    for (name, key) in [
        ("PKCS#8", KEY_PKCS8_DER),
        ("PKCS#1", KEY_RSA_DER),
        ("SEC1", KEY_EC_DER),
        ("encrypted PKCS#8", KEY_ENCRYPTED_DER),
        ("PKCS#12", PKCS12_DER),
    ] {
        let decoded = decode(key, "key.der");
        assert_eq!(decoded.encoding, Encoding::Der, "{name}");
        assert_eq!(decoded.blocks.len(), 1, "{name}");
        assert_eq!(decoded.blocks[0].kind, BlockKind::PrivateKey, "{name}");
        assert_eq!(decoded.blocks[0].der, Ok(Vec::new()), "{name}");
    }
}

#[test]
fn base64_private_key_is_recognised() {
    let decoded = decode(STANDARD.encode(KEY_EC_DER).as_bytes(), "key.b64");
    assert_eq!(decoded.encoding, Encoding::Base64);
    assert_eq!(decoded.blocks[0].kind, BlockKind::PrivateKey);
    assert_eq!(decoded.blocks[0].der, Ok(Vec::new()));
}

// ---- DER input ---------------------------------------------------------------

#[test]
fn der_single_certificate() {
    let decoded = decode(LEAF_DER, "leaf.der");
    assert_eq!(decoded.encoding, Encoding::Der);
    assert_eq!(decoded.blocks.len(), 1);
    let block = &decoded.blocks[0];
    assert_eq!(block.kind, BlockKind::Certificate);
    assert_eq!(block.label, None);
    assert_eq!(der(block), LEAF_DER);
    assert_eq!(block.origin.offset, 0);
    assert_eq!(block.origin.line, 0);
    assert_eq!(block.byte_len, LEAF_DER.len());
    assert_eq!(decoded.layout.total_bytes, LEAF_DER.len());
    assert_eq!(decoded.layout.line_endings, LineEndings::None);
}

#[test]
fn der_concatenated_objects_are_split() {
    let input = [LEAF_DER, INT_DER, CSR_DER, CRL_DER].concat();
    let decoded = decode(&input, "chain.der");
    assert_eq!(decoded.blocks.len(), 4);
    let kinds: Vec<BlockKind> = decoded.blocks.iter().map(|b| b.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Certificate,
            BlockKind::Certificate,
            BlockKind::CertificateRequest,
            BlockKind::Crl
        ]
    );
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert_eq!(decoded.blocks[1].origin.offset, LEAF_DER.len());
    assert_eq!(
        decoded.blocks[2].origin.offset,
        LEAF_DER.len() + INT_DER.len()
    );
    assert_eq!(decoded.blocks[3].origin.block, 3);
}

#[test]
fn der_truncated_tail_is_an_error_block() {
    let input = [LEAF_DER, &INT_DER[..100]].concat();
    let decoded = decode(&input, "chain.der");
    assert_eq!(decoded.blocks.len(), 2);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert!(matches!(
        decoded.blocks[1].der,
        Err(DecodeError::TruncatedDer { available: 100, .. })
    ));
    assert_eq!(decoded.blocks[1].origin.offset, LEAF_DER.len());
    assert_eq!(decoded.blocks[1].byte_len, 100);
}

#[test]
fn der_trailing_garbage_is_an_error_block() {
    let input = [LEAF_DER, b"\n"].concat();
    let decoded = decode(&input, "leaf.der");
    assert_eq!(decoded.blocks.len(), 2);
    assert_eq!(decoded.blocks[1].der, Err(DecodeError::NotDer));
    assert_eq!(decoded.blocks[1].kind, BlockKind::Unknown);
}

// ---- bare base64 -------------------------------------------------------------

#[test]
fn bare_base64_on_one_line() {
    let decoded = decode(STANDARD.encode(LEAF_DER).as_bytes(), "leaf.b64");
    assert_eq!(decoded.encoding, Encoding::Base64);
    assert_eq!(decoded.blocks.len(), 1);
    assert_eq!(decoded.blocks[0].kind, BlockKind::Certificate);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
}

#[test]
fn bare_base64_with_line_breaks() {
    let encoded = STANDARD.encode(LEAF_DER);
    let wrapped: Vec<&str> = encoded
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("ASCII"))
        .collect();
    let text = format!("\n  {}\r\n", wrapped.join("\r\n  "));
    let decoded = decode(text.as_bytes(), "leaf.b64");
    assert_eq!(decoded.encoding, Encoding::Base64);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(decoded.blocks[0].origin.offset, 3);
    assert_eq!(decoded.blocks[0].origin.line, 2);
    assert!(decoded.layout.indented);
    assert_eq!(decoded.layout.line_endings, LineEndings::Mixed);
}

#[test]
fn bare_base64_url_safe_without_padding() {
    let decoded = decode(URL_SAFE_NO_PAD.encode(INT_DER).as_bytes(), "int.b64");
    assert_eq!(decoded.encoding, Encoding::Base64);
    assert_eq!(der(&decoded.blocks[0]), INT_DER);
}

#[test]
fn bare_base64_of_concatenated_der() {
    let text = STANDARD.encode([LEAF_DER, INT_DER].concat());
    let decoded = decode(text.as_bytes(), "chain.b64");
    assert_eq!(decoded.blocks.len(), 2);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    let second = decoded.blocks[1].origin.offset;
    assert_eq!(second, LEAF_DER.len() * 4 / 3);
}

#[test]
fn rfc9440_and_comma_lists_are_split() {
    for separator in [":, :", ", ", ","] {
        let text = format!(
            ":{}{separator}{}:",
            STANDARD.encode(LEAF_DER),
            STANDARD.encode(INT_DER)
        );
        let text = if separator == ":, :" {
            text
        } else {
            text.trim_matches(':').to_owned()
        };
        let decoded = decode(text.as_bytes(), "header");
        assert_eq!(decoded.encoding, Encoding::Base64, "{separator}");
        assert_eq!(decoded.blocks.len(), 2, "{separator}");
        assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
        assert_eq!(der(&decoded.blocks[1]), INT_DER);
        assert_eq!(
            decoded.blocks[1].origin.offset,
            text.find(&STANDARD.encode(INT_DER)).expect("present")
        );
    }
}

#[test]
fn bare_base64_bad_length_errors() {
    let mut text = STANDARD.encode(LEAF_DER);
    text.truncate(text.trim_end_matches('=').len());
    text.push_str("A\n");
    let decoded = decode(text.as_bytes(), "leaf.b64");
    assert_eq!(decoded.encoding, Encoding::Base64);
    assert_eq!(
        decoded.blocks[0].der,
        Err(DecodeError::TruncatedBase64 { line: 1 })
    );
}

// ---- forwarded formats -------------------------------------------------------

#[test]
fn url_encoded_pem_with_literal_plus_and_equals() {
    let text = alb_encode(BUNDLE);
    assert!(text.contains('+'));
    assert!(!text.contains('\n'));
    let decoded = decode_str(&text);
    assert_eq!(decoded.encoding, Encoding::UrlEncodedPem);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(decoded.blocks[0].encoding, Encoding::UrlEncodedPem);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
    assert_eq!(decoded.layout.total_bytes, text.len());
}

#[test]
fn url_encoded_pem_with_escaped_equals() {
    let text = alb_encode(BUNDLE).replace('=', "%3D");
    assert!(text.contains("%3D"));
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn url_encoded_pem_in_nginx_style() {
    for lowercase_hex in [false, true] {
        let text = nginx_encode(BUNDLE, lowercase_hex);
        assert!(!text.contains('+'));
        let decoded = decode_str(&text);
        assert_eq!(decoded.encoding, Encoding::UrlEncodedPem);
        assert_eq!(decoded.blocks.len(), 3, "lowercase hex: {lowercase_hex}");
        assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    }
}

#[test]
fn url_encoded_pem_origin_refers_to_decoded_text() {
    let decoded = decode_str(&alb_encode(BUNDLE));
    let second = begin_offsets(BUNDLE)[1];
    assert_eq!(decoded.blocks[1].origin.offset, second);
    assert_eq!(decoded.blocks[1].origin.line, line_of(BUNDLE, second));
}

#[test]
fn envoy_xfcc_cert_field_is_read() {
    let leaf = &BUNDLE[..begin_offsets(BUNDLE)[1]];
    let text = format!(
        "By=spiffe://example/proxy;Hash=ab12;Cert=\"{}\";Subject=\"CN=input-test-client\"",
        alb_encode(leaf)
    );
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), 1);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
}

#[test]
fn json_escaped_pem_is_read() {
    let escaped = BUNDLE.replace('\n', "\\n");
    let text = format!("{{\"clientCertPem\": \"{escaped}\"}}");
    let decoded = decode_str(&text);
    assert_eq!(decoded.encoding, Encoding::Pem);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[0]), LEAF_DER);
    assert_eq!(der(&decoded.blocks[1]), INT_DER);
}

#[test]
fn json_escaped_pem_with_escaped_slashes_and_plus() {
    let escaped = BUNDLE
        .replace('\n', "\\r\\n")
        .replace('/', "\\/")
        .replace('+', "\\u002B");
    let decoded = decode_str(&escaped);
    assert_eq!(decoded.blocks.len(), 3);
    assert_eq!(der(&decoded.blocks[2]), bundle_ders()[2].as_slice());
}

// ---- no blocks -----------------------------------------------------------------

#[test]
fn empty_input_has_no_blocks() {
    let decoded = decode(b"", "empty");
    assert!(decoded.blocks.is_empty());
    assert!(decoded.layout.stray.is_empty());
    assert_eq!(decoded.layout.total_bytes, 0);
    assert!(decoded.limit.is_none());
}

#[test]
fn text_without_pem_is_all_stray_lines() {
    let text = "Certificate:\n    Data:\n\n        Version: 3 (0x2)\n";
    let decoded = decode_str(text);
    assert!(decoded.blocks.is_empty());
    let kinds: Vec<StrayKind> = decoded
        .layout
        .stray
        .iter()
        .map(|s| s.kind.clone())
        .collect();
    assert_eq!(
        kinds,
        [
            StrayKind::Text,
            StrayKind::Text,
            StrayKind::Blank,
            StrayKind::Text
        ]
    );
    assert_eq!(decoded.layout.stray[3].line, 4);
}

#[test]
fn binary_garbage_has_no_blocks() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_ne!(garbage[0], 0x30);
    let decoded = decode(&garbage, "garbage");
    assert!(decoded.blocks.is_empty());
    assert!(decoded.layout.non_ascii);
}

#[test]
fn sequence_tag_garbage_is_one_block() {
    let garbage = [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x02];
    let decoded = decode(&garbage, "garbage");
    assert_eq!(decoded.encoding, Encoding::Der);
    assert_eq!(decoded.blocks.len(), 1);
    assert!(matches!(
        decoded.blocks[0].der,
        Err(DecodeError::TruncatedDer { .. })
    ));
    assert_eq!(decoded.blocks[0].byte_len, garbage.len());
}

// ---- limits and robustness -----------------------------------------------------

#[test]
fn oversized_input_is_reported_not_read() {
    let input = vec![b'A'; MAX_INPUT_BYTES + 1];
    let decoded = decode(&input, "big");
    assert!(decoded.blocks.is_empty());
    assert_eq!(
        decoded.limit,
        Some(LimitExceeded::InputTooLarge {
            bytes: MAX_INPUT_BYTES + 1,
            max: MAX_INPUT_BYTES
        })
    );
    assert_eq!(decoded.layout.total_bytes, MAX_INPUT_BYTES + 1);
}

#[test]
fn block_count_is_capped() {
    let block = "-----BEGIN X-----\nMAA=\n-----END X-----\n";
    let text = block.repeat(MAX_BLOCKS + 2);
    let decoded = decode_str(&text);
    assert_eq!(decoded.blocks.len(), MAX_BLOCKS);
    assert_eq!(
        decoded.limit,
        Some(LimitExceeded::TooManyBlocks {
            max: MAX_BLOCKS,
            offset: block.len() * MAX_BLOCKS
        })
    );
}

#[test]
fn der_block_count_is_capped() {
    let input = [0x30, 0x00].repeat(MAX_BLOCKS + 1);
    let decoded = decode(&input, "many.der");
    assert_eq!(decoded.blocks.len(), MAX_BLOCKS);
    assert!(matches!(
        decoded.limit,
        Some(LimitExceeded::TooManyBlocks { .. })
    ));
}

#[test]
fn every_truncation_of_bundle_decodes() {
    let bytes = format!("# comment\n{BUNDLE}{KEY_EC_PEM}").into_bytes();
    for end in 0..bytes.len() {
        let decoded = decode(&bytes[..end], "cut");
        for block in &decoded.blocks {
            assert!(block.origin.offset + block.byte_len <= end);
        }
    }
}

#[test]
fn every_truncation_of_der_decodes() {
    let input = [LEAF_DER, KEY_EC_DER, CRL_DER].concat();
    // From two bytes on the input is not text, so it is read as DER.
    for end in 2..input.len() {
        let decoded = decode(&input[..end], "cut");
        let covered: usize = decoded.blocks.iter().map(|b| b.byte_len).sum();
        assert_eq!(covered, end);
    }
}

#[test]
fn pathological_inputs_decode() {
    let inputs = [
        "-----BEGIN ".repeat(50_000),
        "-----END -----".repeat(50_000),
        "-".repeat(500_000),
        format!("-----BEGIN A-----{}", "=".repeat(500_000)),
        format!("M{}", "A".repeat(500_001)),
        "\r".repeat(100_000),
    ];
    for input in inputs {
        let decoded = decode_str(&input);
        assert!(decoded.blocks.len() <= MAX_BLOCKS);
    }
}

#[test]
fn errors_display_plain_messages() {
    let error = DecodeError::MissingEndLine {
        label: "CERTIFICATE".to_owned(),
    };
    assert!(error.to_string().contains("-----END CERTIFICATE-----"));
    let error = DecodeError::TruncatedDer {
        declared: 10,
        available: 4,
    };
    assert!(error.to_string().contains("10 bytes"));
    let error = DecodeError::MismatchedEndLabel {
        begin: String::new(),
        end: "X".to_owned(),
    };
    assert!(error.to_string().contains("(unreadable)"));
}

/// A small deterministic generator (xorshift64) for the mutation test.
fn next_random(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_mutations_never_keep_key_bytes() {
    let original = format!("{BUNDLE}{KEY_RSA_PEM}{CSR_PEM}").into_bytes();
    let alphabet = b"-\n\r =:#%ABCM0\\\x30\x82\xff";
    let mut state = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2_000 {
        let mut bytes = original.clone();
        for _ in 0..(next_random(&mut state) % 8 + 1) {
            let position = (next_random(&mut state) as usize) % bytes.len();
            let byte = alphabet[(next_random(&mut state) as usize) % alphabet.len()];
            bytes[position] = byte;
        }
        let decoded = decode(&bytes, "mutated");
        for block in decoded.blocks {
            if block.kind == BlockKind::PrivateKey {
                assert!(block.der.as_ref().map_or(true, Vec::is_empty));
            }
        }
    }
}

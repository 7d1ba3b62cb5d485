//! Tests of the signature backend against the OpenSSL-made certificates in
//! `testdata/` (regenerate them with `testdata/make.sh`).

use core::time::Duration;

use rustls_pki_types::{alg_id, CertificateDer, UnixTime};
use webpki::{anchor_from_trusted_cert, EndEntityCert, KeyUsage};
use x509_parser::asn1_rs::{Any, FromDer};
use x509_parser::pem::parse_x509_pem;

use super::*;

/// 2100-01-01T00:00:00Z: inside the 36500-day validity of every fixture.
const CHECK_TIME_SECONDS: u64 = 4_102_444_800;

fn read_pem_certificate(path: &str) -> Vec<u8> {
    let full_path = format!("{}/src/crypto/testdata/{path}", env!("CARGO_MANIFEST_DIR"));
    let pem = std::fs::read(&full_path).unwrap_or_else(|error| panic!("{full_path}: {error}"));
    let (_, pem) = parse_x509_pem(&pem).unwrap_or_else(|error| panic!("{full_path}: {error}"));
    pem.contents
}

/// The pieces of a certificate that a signature check takes.
struct SignedCertificate {
    /// The issuer's SPKI, full DER. Fixtures are self-signed, so it is the subject's.
    spki: Vec<u8>,
    /// The signatureAlgorithm AlgorithmIdentifier, full DER.
    signature_algorithm: Vec<u8>,
    tbs: Vec<u8>,
    signature: Vec<u8>,
}

fn self_signed(name: &str) -> SignedCertificate {
    let der = read_pem_certificate(&format!("self-signed/{name}.pem"));
    let (_, certificate) = x509_parser::parse_x509_certificate(&der).expect(name);

    // x509-parser keeps no raw bytes for the outer signatureAlgorithm, so
    // slice it out of Certificate ::= SEQUENCE { tbs, signatureAlgorithm, signature }.
    let (_, outer) = Any::from_der(&der).expect(name);
    let (after_tbs, _) = Any::from_der(outer.data).expect(name);
    let (after_algorithm, _) = Any::from_der(after_tbs).expect(name);
    let signature_algorithm = after_tbs[..after_tbs.len() - after_algorithm.len()].to_vec();

    SignedCertificate {
        spki: certificate.tbs_certificate.subject_pki.raw.to_vec(),
        signature_algorithm,
        tbs: certificate.tbs_certificate.as_ref().to_vec(),
        signature: certificate.signature_value.data.to_vec(),
    }
}

fn verify(signed: &SignedCertificate) -> Result<(), VerifyError> {
    verify_signature(
        &signed.spki,
        &signed.signature_algorithm,
        &signed.tbs,
        &signed.signature,
    )
}

/// Fixtures whose parameters webpki matches byte for byte in [`ALL_ALGORITHMS`].
const EXACT_MATCH_FIXTURES: &[&str] = &[
    "rsa2048-sha1",
    "rsa2048-sha256",
    "rsa2048-sha384",
    "rsa2048-sha512",
    "rsa512-sha256",
    "rsa1024-sha256",
    "rsa3072-sha256",
    "rsa4096-sha256",
    "rsa2048-pss-sha256",
    "rsa2048-pss-sha384",
    "rsa2048-pss-sha512",
    "rsapss2048-sha256",
    "rsapss2048-params-sha256",
    "rsapss2048-params-sha384",
    "rsapss2048-params-sha512",
    "p256-sha1",
    "p256-sha256",
    "p256-sha384",
    "p256-sha512",
    "p384-sha1",
    "p384-sha256",
    "p384-sha384",
    "p384-sha512",
    "p521-sha256",
    "p521-sha384",
    "p521-sha512",
    "ed25519",
];

/// RSASSA-PSS fixtures only [`verify_signature`]'s parameter decoding accepts.
const DECODED_PSS_FIXTURES: &[&str] = &[
    "rsa2048-pss-sha1",
    "rsa2048-pss-sha256-salt20",
    "rsapss2048-sha256-saltmax",
];

fn supported_fixtures() -> impl Iterator<Item = &'static str> {
    EXACT_MATCH_FIXTURES
        .iter()
        .chain(DECODED_PSS_FIXTURES)
        .copied()
}

fn exact_match(signed: &SignedCertificate) -> Option<&'static dyn SignatureVerificationAlgorithm> {
    let signature_alg_id = asn1::sequence_contents(&signed.signature_algorithm)?;
    let spki = asn1::split_spki(&signed.spki)?;
    ALL_ALGORITHMS.iter().copied().find(|algorithm| {
        algorithm.signature_alg_id().as_ref() == signature_alg_id
            && algorithm.public_key_alg_id().as_ref() == spki.algorithm_contents
    })
}

#[test]
fn good_signatures_verify() {
    for name in supported_fixtures() {
        assert_eq!(verify(&self_signed(name)), Ok(()), "{name}");
    }
}

#[test]
fn webpki_facing_algorithms_match_exactly() {
    for &name in EXACT_MATCH_FIXTURES {
        let signed = self_signed(name);
        let algorithm = exact_match(&signed).unwrap_or_else(|| panic!("{name}: no exact match"));
        let spki = asn1::split_spki(&signed.spki).expect(name);
        assert!(
            algorithm
                .verify_signature(spki.public_key, &signed.tbs, &signed.signature)
                .is_ok(),
            "{name}"
        );
    }
    for &name in DECODED_PSS_FIXTURES {
        assert!(exact_match(&self_signed(name)).is_none(), "{name}");
    }
}

#[test]
fn flipped_signature_bit_is_invalid() {
    for name in supported_fixtures() {
        let mut signed = self_signed(name);
        let last = signed.signature.last_mut().expect(name);
        *last ^= 0x01;
        assert_eq!(verify(&signed), Err(VerifyError::Invalid), "{name}");
    }
}

#[test]
fn flipped_message_bit_is_invalid() {
    for name in supported_fixtures() {
        let mut signed = self_signed(name);
        let middle = signed.tbs.len() / 2;
        signed.tbs[middle] ^= 0x80;
        assert_eq!(verify(&signed), Err(VerifyError::Invalid), "{name}");
    }
}

#[test]
fn truncated_or_empty_signature_is_invalid() {
    for name in supported_fixtures() {
        let mut signed = self_signed(name);
        signed.signature.pop();
        assert_eq!(verify(&signed), Err(VerifyError::Invalid), "{name}");
        signed.signature.clear();
        assert_eq!(verify(&signed), Err(VerifyError::Invalid), "{name}");
    }
}

fn unsupported(signature_algorithm: &str, key: &str) -> Result<(), VerifyError> {
    Err(VerifyError::Unsupported {
        signature_algorithm: signature_algorithm.to_owned(),
        key: key.to_owned(),
    })
}

#[test]
fn unimplemented_algorithms_are_unsupported() {
    let cases = [
        ("rsa2048-md5", "md5WithRSAEncryption", "RSA 2048"),
        ("secp256k1-sha256", "ecdsa-with-SHA256", "EC secp256k1"),
        (
            "brainpoolP256r1-sha256",
            "ecdsa-with-SHA256",
            "EC brainpoolP256r1",
        ),
        ("ed448", "ed448", "Ed448"),
        ("dsa2048-sha256", "dsa-with-sha256", "DSA 2048"),
        (
            "rsa2048-pss-sha256-mgf1sha1",
            "rsassaPss(sha256, mgf1-sha1, salt 32)",
            "RSA 2048",
        ),
    ];
    for (name, signature_algorithm, key) in cases {
        assert_eq!(
            verify(&self_signed(name)),
            unsupported(signature_algorithm, key),
            "{name}"
        );
    }
}

fn spki_of(path: &str) -> Vec<u8> {
    let der = read_pem_certificate(path);
    let (_, certificate) = x509_parser::parse_x509_certificate(&der).expect(path);
    certificate.tbs_certificate.subject_pki.raw.to_vec()
}

/// Verifies the self-signed `signature_source`'s signature and message with
/// the key of the certificate at `key_path`.
fn verify_with_key_of(signature_source: &str, key_path: &str) -> Result<(), VerifyError> {
    let mut signed = self_signed(signature_source);
    signed.spki = spki_of(key_path);
    verify(&signed)
}

#[test]
fn mismatched_key_type_is_unsupported() {
    let cases = [
        (
            "rsa2048-sha256",
            "self-signed/ed25519.pem",
            "sha256WithRSAEncryption",
            "Ed25519",
        ),
        (
            "rsa2048-sha256",
            "self-signed/p256-sha256.pem",
            "sha256WithRSAEncryption",
            "EC P-256",
        ),
        (
            "p256-sha256",
            "self-signed/rsa2048-sha256.pem",
            "ecdsa-with-SHA256",
            "RSA 2048",
        ),
        (
            "ed25519",
            "self-signed/p256-sha256.pem",
            "ed25519",
            "EC P-256",
        ),
        (
            "p256-sha1",
            "self-signed/p521-sha256.pem",
            "ecdsa-with-SHA1",
            "EC P-521",
        ),
        // An id-RSASSA-PSS key is for RSASSA-PSS only.
        (
            "rsa2048-sha256",
            "self-signed/rsapss2048-sha256.pem",
            "sha256WithRSAEncryption",
            "RSA-PSS 2048",
        ),
        (
            "rsa2048-pss-sha384",
            "self-signed/rsapss2048-params-sha256.pem",
            "rsassaPss(sha384, mgf1-sha384, salt 48)",
            "RSA-PSS 2048",
        ),
    ];
    for (signature_source, key_path, signature_algorithm, key) in cases {
        assert_eq!(
            verify_with_key_of(signature_source, key_path),
            unsupported(signature_algorithm, key),
            "{signature_source} with the key of {key_path}"
        );
    }
}

#[test]
fn same_key_type_other_key_is_invalid() {
    let cases = [
        ("rsa2048-sha256", "self-signed/rsa1024-sha256.pem"),
        ("p256-sha256", "chain/p256-leaf.pem"),
        ("ed25519", "chain/ed25519-leaf.pem"),
        (
            "rsapss2048-params-sha256",
            "self-signed/rsapss2048-sha256.pem",
        ),
    ];
    for (signature_source, key_path) in cases {
        assert_eq!(
            verify_with_key_of(signature_source, key_path),
            Err(VerifyError::Invalid),
            "{signature_source} with the key of {key_path}"
        );
    }
}

#[test]
fn absent_rsa_parameters_verify_like_null() {
    let signed = self_signed("rsa2048-sha256");
    // sha256WithRSAEncryption without its NULL parameters.
    let absent_parameters = [
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
    ];
    assert_eq!(
        verify_signature(
            &signed.spki,
            &absent_parameters,
            &signed.tbs,
            &signed.signature
        ),
        Ok(())
    );
}

#[test]
fn malformed_inputs_do_not_panic() {
    let signed = self_signed("rsa2048-sha256");
    let garbage: [&[u8]; 5] = [
        &[],
        &[0x30],
        &[0x30, 0x80, 0x00, 0x00],
        &[0xff; 64],
        &[0x30, 0x00],
    ];
    for bytes in garbage {
        assert!(verify_signature(bytes, bytes, bytes, bytes).is_err());
        assert!(verify_signature(
            bytes,
            &signed.signature_algorithm,
            &signed.tbs,
            &signed.signature
        )
        .is_err());
        assert!(verify_signature(&signed.spki, bytes, &signed.tbs, &signed.signature).is_err());
        describe_public_key(bytes);
        describe_signature_algorithm(bytes);
    }
}

/// DER tag-length-value with a definite length.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut encoded = vec![tag];
    let length = contents.len();
    if length < 0x80 {
        encoded.push(u8::try_from(length).unwrap_or(0));
    } else {
        let length_bytes: Vec<u8> = length
            .to_be_bytes()
            .into_iter()
            .skip_while(|&byte| byte == 0)
            .collect();
        encoded.push(0x80 | u8::try_from(length_bytes.len()).unwrap_or(0));
        encoded.extend_from_slice(&length_bytes);
    }
    encoded.extend_from_slice(contents);
    encoded
}

/// Builds an rsaEncryption SPKI with an all-ones modulus of `modulus_bytes` bytes and e = 65537.
fn rsa_spki_with_modulus_bytes(modulus_bytes: usize) -> Vec<u8> {
    let mut modulus = vec![0x00];
    modulus.resize(modulus_bytes + 1, 0xff);
    let rsa_public_key = der(
        0x30,
        &[der(0x02, &modulus), der(0x02, &[0x01, 0x00, 0x01])].concat(),
    );
    let bit_string = der(0x03, &[&[0x00][..], &rsa_public_key].concat());
    let algorithm = der(0x30, alg_id::RSA_ENCRYPTION.as_ref());
    der(0x30, &[algorithm, bit_string].concat())
}

#[test]
fn oversized_rsa_modulus_is_invalid() {
    let signed = self_signed("rsa2048-sha256");
    let spki = rsa_spki_with_modulus_bytes(1025);
    assert_eq!(describe_public_key(&spki).name, "RSA 8200");
    assert_eq!(
        verify_signature(
            &spki,
            &signed.signature_algorithm,
            &signed.tbs,
            &[0x01; 1025]
        ),
        Err(VerifyError::Invalid)
    );

    let largest = rsa_spki_with_modulus_bytes(1024);
    assert_eq!(describe_public_key(&largest).name, "RSA 8192");
    assert_eq!(
        verify_signature(
            &largest,
            &signed.signature_algorithm,
            &signed.tbs,
            &[0x01; 1024]
        ),
        Err(VerifyError::Invalid)
    );
}

#[test]
fn malformed_spki_is_invalid_for_known_algorithm() {
    let signed = self_signed("rsa2048-sha256");
    let truncated_spki = &signed.spki[..signed.spki.len() - 1];
    assert_eq!(
        verify_signature(
            truncated_spki,
            &signed.signature_algorithm,
            &signed.tbs,
            &signed.signature
        ),
        Err(VerifyError::Invalid)
    );
}

#[test]
fn malformed_algorithm_identifier_is_unsupported() {
    let signed = self_signed("rsa2048-sha256");
    assert_eq!(
        verify_signature(
            &signed.spki,
            &[0x30, 0x03, 0x06],
            &signed.tbs,
            &signed.signature
        ),
        unsupported("malformed", "RSA 2048")
    );
}

#[test]
fn every_algorithm_is_listed_once() {
    for (index, algorithm) in ALL_ALGORITHMS.iter().enumerate() {
        let duplicate = ALL_ALGORITHMS[index + 1..].iter().any(|other| {
            other.signature_alg_id() == algorithm.signature_alg_id()
                && other.public_key_alg_id() == algorithm.public_key_alg_id()
        });
        assert!(!duplicate, "{algorithm:?}");
        assert!(!algorithm.fips(), "{algorithm:?}");
    }
}

#[test]
fn restricted_pss_keys_use_pki_types_identifiers() {
    for (name, expected) in [
        ("rsapss2048-params-sha256", alg_id::RSA_PSS_SHA256),
        ("rsapss2048-params-sha384", alg_id::RSA_PSS_SHA384),
        ("rsapss2048-params-sha512", alg_id::RSA_PSS_SHA512),
    ] {
        let signed = self_signed(name);
        let spki = asn1::split_spki(&signed.spki).expect(name);
        assert_eq!(spki.algorithm_contents, expected.as_ref(), "{name}");
    }
}

#[test]
fn describe_public_key_sizes_and_curves() {
    let cases = [
        ("rsa512-sha256", KeyType::Rsa, Some(512), None, "RSA 512"),
        ("rsa1024-sha256", KeyType::Rsa, Some(1024), None, "RSA 1024"),
        ("rsa2048-sha256", KeyType::Rsa, Some(2048), None, "RSA 2048"),
        ("rsa3072-sha256", KeyType::Rsa, Some(3072), None, "RSA 3072"),
        ("rsa4096-sha256", KeyType::Rsa, Some(4096), None, "RSA 4096"),
        (
            "rsapss2048-sha256",
            KeyType::RsaPss,
            Some(2048),
            None,
            "RSA-PSS 2048",
        ),
        (
            "rsapss2048-params-sha384",
            KeyType::RsaPss,
            Some(2048),
            None,
            "RSA-PSS 2048",
        ),
        (
            "p256-sha256",
            KeyType::Ec,
            Some(256),
            Some("P-256"),
            "EC P-256",
        ),
        (
            "p384-sha256",
            KeyType::Ec,
            Some(384),
            Some("P-384"),
            "EC P-384",
        ),
        (
            "p521-sha256",
            KeyType::Ec,
            Some(521),
            Some("P-521"),
            "EC P-521",
        ),
        (
            "secp256k1-sha256",
            KeyType::Ec,
            Some(256),
            Some("secp256k1"),
            "EC secp256k1",
        ),
        (
            "brainpoolP256r1-sha256",
            KeyType::Ec,
            Some(256),
            Some("brainpoolP256r1"),
            "EC brainpoolP256r1",
        ),
        ("ed25519", KeyType::Ed25519, Some(256), None, "Ed25519"),
        ("ed448", KeyType::Ed448, Some(448), None, "Ed448"),
        ("dsa2048-sha256", KeyType::Dsa, Some(2048), None, "DSA 2048"),
    ];
    for (name, key_type, bits, curve, key_name) in cases {
        let info = describe_public_key(&self_signed(name).spki);
        assert_eq!(info.key_type, key_type, "{name}");
        assert_eq!(info.bits, bits, "{name}");
        assert_eq!(info.curve.as_deref(), curve, "{name}");
        assert_eq!(info.name, key_name, "{name}");
    }
}

#[test]
fn describe_public_key_oids() {
    let rsa = describe_public_key(&self_signed("rsa2048-sha256").spki);
    assert_eq!(rsa.algorithm_oid, "1.2.840.113549.1.1.1");
    let pss = describe_public_key(&self_signed("rsapss2048-params-sha256").spki);
    assert_eq!(pss.algorithm_oid, "1.2.840.113549.1.1.10");
    let ec = describe_public_key(&self_signed("p256-sha256").spki);
    assert_eq!(ec.algorithm_oid, "1.2.840.10045.2.1");
}

#[test]
fn describe_public_key_unknown_and_malformed() {
    // SEQUENCE { SEQUENCE { OID 1.2.3.4 }, BIT STRING { 0 unused bits, 0x00 } }
    let unknown = [
        0x30, 0x0a, 0x30, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04, 0x03, 0x01, 0x00,
    ];
    let info = describe_public_key(&unknown[..]);
    assert_eq!(info.key_type, KeyType::Other);
    assert_eq!(info.algorithm_oid, "1.2.3.4");
    assert_eq!(info.name, "1.2.3.4");

    let malformed = describe_public_key(&[0x30, 0x01]);
    assert_eq!(malformed.key_type, KeyType::Other);
    assert_eq!(malformed.algorithm_oid, "");
    assert_eq!(malformed.name, "malformed");

    // SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { 0 unused bits, NULL } }:
    // the key bits are no RSAPublicKey.
    let bad_rsa = [
        0x30, 0x14, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
        0x05, 0x00, 0x03, 0x03, 0x00, 0x05, 0x00,
    ];
    let info = describe_public_key(&bad_rsa);
    assert_eq!(info.key_type, KeyType::Other);
    assert_eq!(info.algorithm_oid, "1.2.840.113549.1.1.1");
    assert_eq!(info.name, "RSA (malformed key)");
}

#[test]
fn describe_signature_algorithm_names() {
    let cases = [
        (
            "rsa2048-md5",
            "md5WithRSAEncryption",
            SignatureFamily::RsaPkcs1,
            HashAlgorithm::Md5,
        ),
        (
            "rsa2048-sha1",
            "sha1WithRSAEncryption",
            SignatureFamily::RsaPkcs1,
            HashAlgorithm::Sha1,
        ),
        (
            "rsa2048-sha256",
            "sha256WithRSAEncryption",
            SignatureFamily::RsaPkcs1,
            HashAlgorithm::Sha256,
        ),
        (
            "rsa2048-sha384",
            "sha384WithRSAEncryption",
            SignatureFamily::RsaPkcs1,
            HashAlgorithm::Sha384,
        ),
        (
            "rsa2048-sha512",
            "sha512WithRSAEncryption",
            SignatureFamily::RsaPkcs1,
            HashAlgorithm::Sha512,
        ),
        (
            "rsa2048-pss-sha256",
            "rsassaPss(sha256, mgf1-sha256, salt 32)",
            SignatureFamily::RsaPss,
            HashAlgorithm::Sha256,
        ),
        (
            "rsapss2048-params-sha512",
            "rsassaPss(sha512, mgf1-sha512, salt 64)",
            SignatureFamily::RsaPss,
            HashAlgorithm::Sha512,
        ),
        (
            "rsapss2048-sha256-saltmax",
            "rsassaPss(sha256, mgf1-sha256, salt 222)",
            SignatureFamily::RsaPss,
            HashAlgorithm::Sha256,
        ),
        (
            "p256-sha1",
            "ecdsa-with-SHA1",
            SignatureFamily::Ecdsa,
            HashAlgorithm::Sha1,
        ),
        (
            "p384-sha384",
            "ecdsa-with-SHA384",
            SignatureFamily::Ecdsa,
            HashAlgorithm::Sha384,
        ),
        (
            "p521-sha512",
            "ecdsa-with-SHA512",
            SignatureFamily::Ecdsa,
            HashAlgorithm::Sha512,
        ),
        (
            "ed25519",
            "ed25519",
            SignatureFamily::Ed25519,
            HashAlgorithm::Intrinsic,
        ),
        (
            "ed448",
            "ed448",
            SignatureFamily::Ed448,
            HashAlgorithm::Intrinsic,
        ),
        (
            "dsa2048-sha256",
            "dsa-with-sha256",
            SignatureFamily::Dsa,
            HashAlgorithm::Sha256,
        ),
    ];
    for (name, algorithm_name, family, hash) in cases {
        let info = describe_signature_algorithm(&self_signed(name).signature_algorithm);
        assert_eq!(info.name, algorithm_name, "{name}");
        assert_eq!(info.family, family, "{name}");
        assert_eq!(info.hash, hash, "{name}");
    }
}

#[test]
fn describe_signature_algorithm_unknown_and_malformed() {
    let unknown = describe_signature_algorithm(&[0x30, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04]);
    assert_eq!(unknown.name, "1.2.3.4");
    assert_eq!(unknown.oid, "1.2.3.4");
    assert_eq!(unknown.family, SignatureFamily::Other);
    assert_eq!(unknown.hash, HashAlgorithm::Unknown);

    let malformed = describe_signature_algorithm(&[0x30, 0x05, 0x06]);
    assert_eq!(malformed.name, "malformed");
    assert_eq!(malformed.oid, "");
    assert_eq!(malformed.family, SignatureFamily::Other);

    // id-RSASSA-PSS without parameters, and with the empty SEQUENCE that means
    // all RFC 4055 defaults.
    let pss = [
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
    ];
    let mut missing = vec![0x30, 0x0b];
    missing.extend_from_slice(&pss);
    assert_eq!(
        describe_signature_algorithm(&missing).name,
        "rsassaPss(parameters missing)"
    );
    let mut defaults = vec![0x30, 0x0d];
    defaults.extend_from_slice(&pss);
    defaults.extend_from_slice(&[0x30, 0x00]);
    let info = describe_signature_algorithm(&defaults);
    assert_eq!(info.name, "rsassaPss(sha1, mgf1-sha1, salt 20)");
    assert_eq!(info.hash, HashAlgorithm::Sha1);
}

#[test]
fn enums_serialize_in_kebab_case() {
    assert_eq!(
        serde_json::to_string(&HashAlgorithm::Sha256)
            .ok()
            .as_deref(),
        Some("\"sha256\"")
    );
    assert_eq!(
        serde_json::to_string(&HashAlgorithm::Intrinsic)
            .ok()
            .as_deref(),
        Some("\"intrinsic\"")
    );
    assert_eq!(
        serde_json::to_string(&SignatureFamily::RsaPkcs1)
            .ok()
            .as_deref(),
        Some("\"rsa-pkcs1\"")
    );
    assert_eq!(
        serde_json::to_string(&SignatureFamily::RsaPss)
            .ok()
            .as_deref(),
        Some("\"rsa-pss\"")
    );
    assert_eq!(
        serde_json::to_string(&KeyType::RsaPss).ok().as_deref(),
        Some("\"rsa-pss\"")
    );
    assert_eq!(
        serde_json::to_string(&KeyType::Ed25519).ok().as_deref(),
        Some("\"ed25519\"")
    );
}

#[test]
fn verify_error_messages() {
    let error = VerifyError::Unsupported {
        signature_algorithm: "md5WithRSAEncryption".to_owned(),
        key: "RSA 2048".to_owned(),
    };
    assert_eq!(
        error.to_string(),
        "signature algorithm md5WithRSAEncryption with a RSA 2048 key is not supported"
    );
    assert_eq!(
        VerifyError::Invalid.to_string(),
        "the signature does not verify with the public key"
    );
}

fn verify_chain(root: &[u8], leaf: &[u8]) -> Result<(), webpki::Error> {
    let root = CertificateDer::from(root);
    let leaf = CertificateDer::from(leaf);
    let anchor = anchor_from_trusted_cert(&root)?;
    let end_entity = EndEntityCert::try_from(&leaf)?;
    end_entity
        .verify_for_usage(
            ALL_ALGORITHMS,
            &[anchor],
            &[],
            UnixTime::since_unix_epoch(Duration::from_secs(CHECK_TIME_SECONDS)),
            KeyUsage::client_auth(),
            None,
            None,
        )
        .map(|_| ())
}

const CHAINS: &[&str] = &[
    "rsa2048",
    "p256",
    "p384",
    "ed25519",
    "rsa-pss-signature",
    "rsapss",
];

#[test]
fn webpki_accepts_client_chains() {
    for name in CHAINS {
        let root = read_pem_certificate(&format!("chain/{name}-root.pem"));
        let leaf = read_pem_certificate(&format!("chain/{name}-leaf.pem"));
        assert_eq!(verify_chain(&root, &leaf), Ok(()), "{name}");
    }
}

#[test]
fn webpki_rejects_tampered_leaf_signature() {
    for name in CHAINS {
        let root = read_pem_certificate(&format!("chain/{name}-root.pem"));
        let mut leaf = read_pem_certificate(&format!("chain/{name}-leaf.pem"));
        let last = leaf.len() - 1;
        leaf[last] ^= 0x01;
        assert_eq!(
            verify_chain(&root, &leaf),
            Err(webpki::Error::InvalidSignatureForPublicKey),
            "{name}"
        );
    }
}

#[test]
fn webpki_rejects_wrong_root() {
    let root = read_pem_certificate("chain/p256-root.pem");
    let leaf = read_pem_certificate("chain/rsa2048-leaf.pem");
    assert_eq!(
        verify_chain(&root, &leaf),
        Err(webpki::Error::UnknownIssuer)
    );
}

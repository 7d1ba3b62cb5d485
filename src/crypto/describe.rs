//! Names, families and sizes of signature algorithms and public keys, for
//! reports and for the profiles' algorithm and key-size rules. Describing
//! never fails: unknown or malformed input is described as such.

use rsa::pkcs1::der::Decode;
use rsa::pkcs1::RsaPublicKeyRef;
use serde::Serialize;
use x509_parser::asn1_rs::{Any, FromDer, Tag};
use x509_parser::signature_algorithm::RsaSsaPssParams;

use super::asn1::{parse_algorithm_identifier, split_spki, OID_MGF1, OID_RSASSA_PSS};
use super::hash::{hash_algorithm_from_oid, hash_name};

/// Hash used by a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashAlgorithm {
    Md2,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    /// The signature scheme hashes internally (Ed25519, Ed448).
    Intrinsic,
    Unknown,
}

/// Signature scheme, independent of the hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureFamily {
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    Ed25519,
    Ed448,
    Dsa,
    Other,
}

/// Description of a signature AlgorithmIdentifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureAlgorithmInfo {
    /// Conventional name such as "sha256WithRSAEncryption", "ecdsa-with-SHA384",
    /// "rsassaPss(sha256, mgf1-sha256, salt 32)" or "ed25519"; the dotted OID
    /// for an unknown algorithm and "malformed" when the DER does not decode.
    pub name: String,
    /// Dotted OID, empty when the DER does not decode.
    pub oid: String,
    pub family: SignatureFamily,
    pub hash: HashAlgorithm,
}

/// Public key algorithm of a SubjectPublicKeyInfo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    Rsa,
    RsaPss,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Other,
}

/// Description of a SubjectPublicKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKeyInfo {
    /// `Other` for an unknown algorithm and for a key that does not decode.
    pub key_type: KeyType,
    /// RSA and DSA: modulus (prime `p`) bits with leading zeros stripped;
    /// EC: field size of a known curve; Ed25519: 256; Ed448: 448.
    pub bits: Option<u32>,
    /// EC only: "P-256", "secp256k1", "brainpoolP256r1" and so on, the dotted
    /// OID of an unknown named curve, or "explicit parameters".
    pub curve: Option<String>,
    /// Dotted OID of the key algorithm, empty when the SPKI does not decode.
    pub algorithm_oid: String,
    /// Short name such as "RSA 2048", "EC P-256", "Ed25519" or "RSA-PSS 2048".
    pub name: String,
}

/// A signature algorithm known by OID alone (its parameters are ignored).
struct KnownSignatureAlgorithm {
    oid: &'static str,
    name: &'static str,
    family: SignatureFamily,
    hash: HashAlgorithm,
}

const fn known(
    oid: &'static str,
    name: &'static str,
    family: SignatureFamily,
    hash: HashAlgorithm,
) -> KnownSignatureAlgorithm {
    KnownSignatureAlgorithm {
        oid,
        name,
        family,
        hash,
    }
}

/// Signature algorithms from RFC 3279, RFC 4055, RFC 5758 and RFC 8410, plus
/// the OIW sha1WithRSASignature still found in old certificates.
const KNOWN_SIGNATURE_ALGORITHMS: &[KnownSignatureAlgorithm] = {
    use HashAlgorithm as H;
    use SignatureFamily as F;
    &[
        known(
            "1.2.840.113549.1.1.2",
            "md2WithRSAEncryption",
            F::RsaPkcs1,
            H::Md2,
        ),
        known(
            "1.2.840.113549.1.1.4",
            "md5WithRSAEncryption",
            F::RsaPkcs1,
            H::Md5,
        ),
        known(
            "1.2.840.113549.1.1.5",
            "sha1WithRSAEncryption",
            F::RsaPkcs1,
            H::Sha1,
        ),
        known(
            "1.3.14.3.2.29",
            "sha1WithRSASignature",
            F::RsaPkcs1,
            H::Sha1,
        ),
        known(
            "1.2.840.113549.1.1.14",
            "sha224WithRSAEncryption",
            F::RsaPkcs1,
            H::Sha224,
        ),
        known(
            "1.2.840.113549.1.1.11",
            "sha256WithRSAEncryption",
            F::RsaPkcs1,
            H::Sha256,
        ),
        known(
            "1.2.840.113549.1.1.12",
            "sha384WithRSAEncryption",
            F::RsaPkcs1,
            H::Sha384,
        ),
        known(
            "1.2.840.113549.1.1.13",
            "sha512WithRSAEncryption",
            F::RsaPkcs1,
            H::Sha512,
        ),
        known("1.2.840.10045.4.1", "ecdsa-with-SHA1", F::Ecdsa, H::Sha1),
        known(
            "1.2.840.10045.4.3.1",
            "ecdsa-with-SHA224",
            F::Ecdsa,
            H::Sha224,
        ),
        known(
            "1.2.840.10045.4.3.2",
            "ecdsa-with-SHA256",
            F::Ecdsa,
            H::Sha256,
        ),
        known(
            "1.2.840.10045.4.3.3",
            "ecdsa-with-SHA384",
            F::Ecdsa,
            H::Sha384,
        ),
        known(
            "1.2.840.10045.4.3.4",
            "ecdsa-with-SHA512",
            F::Ecdsa,
            H::Sha512,
        ),
        known("1.3.101.112", "ed25519", F::Ed25519, H::Intrinsic),
        known("1.3.101.113", "ed448", F::Ed448, H::Intrinsic),
        known("1.2.840.10040.4.3", "dsa-with-sha1", F::Dsa, H::Sha1),
        known(
            "2.16.840.1.101.3.4.3.1",
            "dsa-with-sha224",
            F::Dsa,
            H::Sha224,
        ),
        known(
            "2.16.840.1.101.3.4.3.2",
            "dsa-with-sha256",
            F::Dsa,
            H::Sha256,
        ),
    ]
};

/// Describes a signature AlgorithmIdentifier given as its full DER (SEQUENCE
/// included).
pub fn describe_signature_algorithm(algorithm_identifier_der: &[u8]) -> SignatureAlgorithmInfo {
    let Some(algorithm) = parse_algorithm_identifier(algorithm_identifier_der) else {
        return SignatureAlgorithmInfo {
            name: "malformed".to_owned(),
            oid: String::new(),
            family: SignatureFamily::Other,
            hash: HashAlgorithm::Unknown,
        };
    };
    let oid = algorithm.algorithm.to_id_string();

    if oid == OID_RSASSA_PSS {
        let (name, hash) = describe_pss_parameters(algorithm.parameters.as_ref());
        return SignatureAlgorithmInfo {
            name,
            oid,
            family: SignatureFamily::RsaPss,
            hash,
        };
    }

    match KNOWN_SIGNATURE_ALGORITHMS
        .iter()
        .find(|known| known.oid == oid)
    {
        Some(known) => SignatureAlgorithmInfo {
            name: known.name.to_owned(),
            oid,
            family: known.family,
            hash: known.hash,
        },
        None => SignatureAlgorithmInfo {
            name: oid.clone(),
            oid,
            family: SignatureFamily::Other,
            hash: HashAlgorithm::Unknown,
        },
    }
}

/// Names RSASSA-PSS parameters as "rsassaPss(sha256, mgf1-sha256, salt 32)",
/// with the RFC 4055 defaults filled in for absent fields.
fn describe_pss_parameters(parameters: Option<&Any<'_>>) -> (String, HashAlgorithm) {
    let Some(parameters) = parameters else {
        return (
            "rsassaPss(parameters missing)".to_owned(),
            HashAlgorithm::Unknown,
        );
    };
    let Ok(decoded) = RsaSsaPssParams::try_from(parameters) else {
        return (
            "rsassaPss(malformed parameters)".to_owned(),
            HashAlgorithm::Unknown,
        );
    };
    let Ok(mask_generation) = decoded.mask_gen_algorithm() else {
        return (
            "rsassaPss(malformed parameters)".to_owned(),
            HashAlgorithm::Unknown,
        );
    };

    let hash_oid = decoded.hash_algorithm_oid().to_id_string();
    let mask_generation_oid = mask_generation.mgf.to_id_string();
    let mask_generation_name = if mask_generation_oid == OID_MGF1 {
        format!("mgf1-{}", hash_name(&mask_generation.hash.to_id_string()))
    } else {
        mask_generation_oid
    };
    let trailer = match decoded.trailer_field() {
        1 => String::new(),
        other => format!(", trailer {other}"),
    };

    let name = format!(
        "rsassaPss({}, {mask_generation_name}, salt {}{trailer})",
        hash_name(&hash_oid),
        decoded.salt_length(),
    );
    (name, hash_algorithm_from_oid(&hash_oid))
}

/// A named elliptic curve: OID, name, field size in bits.
const NAMED_CURVES: &[(&str, &str, u32)] = &[
    ("1.2.840.10045.3.1.7", "P-256", 256),
    ("1.3.132.0.34", "P-384", 384),
    ("1.3.132.0.35", "P-521", 521),
    ("1.3.132.0.10", "secp256k1", 256),
    ("1.2.840.10045.3.1.1", "P-192", 192),
    ("1.3.132.0.33", "P-224", 224),
    ("1.3.36.3.3.2.8.1.1.5", "brainpoolP224r1", 224),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1", 256),
    ("1.3.36.3.3.2.8.1.1.9", "brainpoolP320r1", 320),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1", 384),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1", 512),
];

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";
const OID_DSA: &str = "1.2.840.10040.4.1";

/// Ed25519 and Ed448 public key lengths in bytes (RFC 8032 sections 5.1.5 and 5.2.5).
const ED25519_PUBLIC_KEY_LEN: usize = 32;
const ED448_PUBLIC_KEY_LEN: usize = 57;

/// Describes a SubjectPublicKeyInfo given as full DER.
pub fn describe_public_key(spki_der: &[u8]) -> PublicKeyInfo {
    let Some(spki) = split_spki(spki_der) else {
        return other_key(String::new(), "malformed".to_owned());
    };
    let Some(algorithm) = parse_algorithm_identifier(spki.algorithm_der) else {
        return other_key(String::new(), "malformed".to_owned());
    };
    let oid = algorithm.algorithm.to_id_string();
    let parameters = algorithm.parameters.as_ref();

    match oid.as_str() {
        OID_RSA_ENCRYPTION => describe_rsa_key(KeyType::Rsa, "RSA", oid, spki.public_key),
        OID_RSASSA_PSS => describe_rsa_key(KeyType::RsaPss, "RSA-PSS", oid, spki.public_key),
        OID_EC_PUBLIC_KEY => describe_ec_key(oid, parameters),
        OID_ED25519 if spki.public_key.len() == ED25519_PUBLIC_KEY_LEN => {
            simple_key(KeyType::Ed25519, 256, oid, "Ed25519")
        }
        OID_ED448 if spki.public_key.len() == ED448_PUBLIC_KEY_LEN => {
            simple_key(KeyType::Ed448, 448, oid, "Ed448")
        }
        OID_ED25519 => other_key(oid, "Ed25519 (malformed key)".to_owned()),
        OID_ED448 => other_key(oid, "Ed448 (malformed key)".to_owned()),
        OID_DSA => describe_dsa_key(oid, parameters),
        _ => other_key(oid.clone(), oid),
    }
}

fn other_key(algorithm_oid: String, name: String) -> PublicKeyInfo {
    PublicKeyInfo {
        key_type: KeyType::Other,
        bits: None,
        curve: None,
        algorithm_oid,
        name,
    }
}

fn simple_key(key_type: KeyType, bits: u32, algorithm_oid: String, name: &str) -> PublicKeyInfo {
    PublicKeyInfo {
        key_type,
        bits: Some(bits),
        curve: None,
        algorithm_oid,
        name: name.to_owned(),
    }
}

/// Reads the size from the RSAPublicKey alone, so a key the verifiers
/// reject (say 16384 bits) is still described with its real size.
fn describe_rsa_key(
    key_type: KeyType,
    label: &str,
    algorithm_oid: String,
    public_key: &[u8],
) -> PublicKeyInfo {
    let bits = RsaPublicKeyRef::from_der(public_key)
        .ok()
        .and_then(|key| unsigned_integer_bits(key.modulus.as_bytes()));
    match bits {
        Some(bits) => PublicKeyInfo {
            key_type,
            bits: Some(bits),
            curve: None,
            algorithm_oid,
            name: format!("{label} {bits}"),
        },
        None => other_key(algorithm_oid, format!("{label} (malformed key)")),
    }
}

fn describe_ec_key(algorithm_oid: String, parameters: Option<&Any<'_>>) -> PublicKeyInfo {
    let (curve, bits) = match parameters {
        Some(parameters) if parameters.header.tag() == Tag::Oid => match parameters.as_oid() {
            Ok(curve_oid) => {
                let curve_oid = curve_oid.to_id_string();
                match NAMED_CURVES.iter().find(|(oid, _, _)| *oid == curve_oid) {
                    Some((_, name, bits)) => ((*name).to_owned(), Some(*bits)),
                    None => (curve_oid, None),
                }
            }
            Err(_) => return other_key(algorithm_oid, "EC (malformed parameters)".to_owned()),
        },
        Some(parameters) if parameters.header.tag() == Tag::Sequence => {
            ("explicit parameters".to_owned(), None)
        }
        _ => return other_key(algorithm_oid, "EC (no curve)".to_owned()),
    };

    PublicKeyInfo {
        key_type: KeyType::Ec,
        bits,
        name: format!("EC {curve}"),
        curve: Some(curve),
        algorithm_oid,
    }
}

/// DSA keys carry their size in the domain parameters (RFC 3279 section
/// 2.3.2: Dss-Parms ::= SEQUENCE { p, q, g }); without them the size is unknown.
fn describe_dsa_key(algorithm_oid: String, parameters: Option<&Any<'_>>) -> PublicKeyInfo {
    let bits = parameters
        .filter(|parameters| parameters.header.tag() == Tag::Sequence)
        .and_then(|parameters| Any::from_der(parameters.data).ok())
        .filter(|(_, prime)| prime.header.tag() == Tag::Integer)
        .and_then(|(_, prime)| unsigned_integer_bits(prime.data));

    PublicKeyInfo {
        key_type: KeyType::Dsa,
        bits,
        curve: None,
        algorithm_oid,
        name: bits.map_or_else(|| "DSA".to_owned(), |bits| format!("DSA {bits}")),
    }
}

/// Bit length of a big-endian unsigned INTEGER's contents, leading zeros stripped.
fn unsigned_integer_bits(contents: &[u8]) -> Option<u32> {
    let first_nonzero = contents.iter().position(|&byte| byte != 0)?;
    let significant = contents.get(first_nonzero..)?;
    let first = significant.first()?;
    let whole_bytes = u32::try_from(significant.len() - 1).ok()?;
    whole_bytes
        .checked_mul(8)?
        .checked_add(8 - first.leading_zeros())
}

//! RSASSA-PKCS1-v1_5 (RFC 8017 section 8.2) with SHA-1 and SHA-2, for
//! rsaEncryption keys.
//!
//! Each digest is listed twice, with NULL parameters and with absent
//! parameters. RFC 4055 section 5 requires NULL for the SHA-2 identifiers
//! but has verifiers accept absent parameters too, as webpki's own
//! algorithm sets do. sha1WithRSAEncryption is treated the same way.

use rsa::pkcs1v15::Pkcs1v15Sign;
use rustls_pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use super::hash::SupportedHash;
use super::rsa_key::decode_public_key;

/// An RSASSA-PKCS1-v1_5 signature algorithm for rsaEncryption keys.
#[derive(Debug)]
pub(crate) struct RsaPkcs1Algorithm {
    signature_alg_id: AlgorithmIdentifier,
    hash: SupportedHash,
}

impl SignatureVerificationAlgorithm for RsaPkcs1Algorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        verify_pkcs1(self.hash, public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }

    fn fips(&self) -> bool {
        false
    }
}

/// Verifies an RSASSA-PKCS1-v1_5 `signature` over `message` with an
/// RSAPublicKey in DER.
pub(crate) fn verify_pkcs1(
    hash: SupportedHash,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature> {
    let key = decode_public_key(public_key).ok_or(InvalidSignature)?;
    let scheme = match hash {
        SupportedHash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        SupportedHash::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        SupportedHash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        SupportedHash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        SupportedHash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    };
    key.verify(scheme, &hash.digest(message), signature)
        .map_err(|_| InvalidSignature)
}

/// sha1WithRSAEncryption (1.2.840.113549.1.1.5) with NULL parameters.
const SHA1_WITH_RSA: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
]);
/// sha1WithRSAEncryption with absent parameters.
const SHA1_WITH_RSA_ABSENT_PARAMS: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05,
]);
/// sha256WithRSAEncryption (1.2.840.113549.1.1.11) with absent parameters.
const SHA256_WITH_RSA_ABSENT_PARAMS: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
]);
/// sha384WithRSAEncryption (1.2.840.113549.1.1.12) with absent parameters.
const SHA384_WITH_RSA_ABSENT_PARAMS: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c,
]);
/// sha512WithRSAEncryption (1.2.840.113549.1.1.13) with absent parameters.
const SHA512_WITH_RSA_ABSENT_PARAMS: AlgorithmIdentifier = AlgorithmIdentifier::from_slice(&[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d,
]);

pub(crate) static RSA_PKCS1_SHA1: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: SHA1_WITH_RSA,
    hash: SupportedHash::Sha1,
};
pub(crate) static RSA_PKCS1_SHA1_ABSENT_PARAMS: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: SHA1_WITH_RSA_ABSENT_PARAMS,
    hash: SupportedHash::Sha1,
};
pub(crate) static RSA_PKCS1_SHA256: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: alg_id::RSA_PKCS1_SHA256,
    hash: SupportedHash::Sha256,
};
pub(crate) static RSA_PKCS1_SHA256_ABSENT_PARAMS: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: SHA256_WITH_RSA_ABSENT_PARAMS,
    hash: SupportedHash::Sha256,
};
pub(crate) static RSA_PKCS1_SHA384: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: alg_id::RSA_PKCS1_SHA384,
    hash: SupportedHash::Sha384,
};
pub(crate) static RSA_PKCS1_SHA384_ABSENT_PARAMS: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: SHA384_WITH_RSA_ABSENT_PARAMS,
    hash: SupportedHash::Sha384,
};
pub(crate) static RSA_PKCS1_SHA512: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: alg_id::RSA_PKCS1_SHA512,
    hash: SupportedHash::Sha512,
};
pub(crate) static RSA_PKCS1_SHA512_ABSENT_PARAMS: RsaPkcs1Algorithm = RsaPkcs1Algorithm {
    signature_alg_id: SHA512_WITH_RSA_ABSENT_PARAMS,
    hash: SupportedHash::Sha512,
};

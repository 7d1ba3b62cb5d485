//! RSASSA-PSS (RFC 8017 section 8.1, identifiers from RFC 4055) for
//! rsaEncryption keys and id-RSASSA-PSS keys.
//!
//! The statics cover the three parameter sets rustls-pki-types defines
//! (SHA-256/384/512, MGF1 with the same digest, salt as long as the digest),
//! matched byte for byte as webpki does. [`verify_pss`] and
//! [`key_allows`] serve the AlgorithmIdentifier helper, which decodes any
//! parameter set the rsa crate can verify.

use rsa::pss::Pss;
use rustls_pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

use super::asn1::PssParameters;
use super::hash::SupportedHash;
use super::rsa_key::decode_public_key;

/// An RSASSA-PSS signature algorithm with one fixed parameter set.
#[derive(Debug)]
pub(crate) struct RsaPssAlgorithm {
    public_key_alg_id: AlgorithmIdentifier,
    signature_alg_id: AlgorithmIdentifier,
    hash: SupportedHash,
}

impl SignatureVerificationAlgorithm for RsaPssAlgorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let parameters = PssParameters {
            hash: self.hash,
            salt_len: self.hash.output_len(),
        };
        verify_pss(parameters, public_key, message, signature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key_alg_id
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }

    fn fips(&self) -> bool {
        false
    }
}

/// Verifies an RSASSA-PSS `signature` over `message` with an RSAPublicKey in
/// DER. The salt length must match exactly; MGF1 uses the message digest.
pub(crate) fn verify_pss(
    parameters: PssParameters,
    public_key: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature> {
    let key = decode_public_key(public_key).ok_or(InvalidSignature)?;
    let hashed = parameters.hash.digest(message);
    let salt_len = parameters.salt_len;
    let result = match parameters.hash {
        SupportedHash::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt_len), &hashed, signature),
        SupportedHash::Sha224 => {
            key.verify(Pss::<Sha224>::new_with_salt(salt_len), &hashed, signature)
        }
        SupportedHash::Sha256 => {
            key.verify(Pss::<Sha256>::new_with_salt(salt_len), &hashed, signature)
        }
        SupportedHash::Sha384 => {
            key.verify(Pss::<Sha384>::new_with_salt(salt_len), &hashed, signature)
        }
        SupportedHash::Sha512 => {
            key.verify(Pss::<Sha512>::new_with_salt(salt_len), &hashed, signature)
        }
    };
    result.map_err(|_| InvalidSignature)
}

/// Whether an id-RSASSA-PSS key restricted to `key` parameters may verify a
/// signature made with `signature` parameters (RFC 4055 section 3.3): same
/// digest and mask generation function, salt at least as long.
pub(crate) fn key_allows(key: PssParameters, signature: PssParameters) -> bool {
    key.hash == signature.hash && signature.salt_len >= key.salt_len
}

/// id-RSASSA-PSS (1.2.840.113549.1.1.10) with absent parameters: a key that
/// may sign with any RSASSA-PSS parameters.
pub(crate) const RSASSA_PSS_KEY_UNRESTRICTED: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
    ]);

// An id-RSASSA-PSS key restricted to one parameter set carries the same
// RSASSA-PSS-params in its SPKI as the signatures it makes (OpenSSL 3 writes
// them byte for byte alike), so `alg_id::RSA_PSS_SHA*` serve as key
// identifiers too.

pub(crate) static RSA_PSS_SHA256_RSA_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_ENCRYPTION,
    signature_alg_id: alg_id::RSA_PSS_SHA256,
    hash: SupportedHash::Sha256,
};
pub(crate) static RSA_PSS_SHA384_RSA_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_ENCRYPTION,
    signature_alg_id: alg_id::RSA_PSS_SHA384,
    hash: SupportedHash::Sha384,
};
pub(crate) static RSA_PSS_SHA512_RSA_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_ENCRYPTION,
    signature_alg_id: alg_id::RSA_PSS_SHA512,
    hash: SupportedHash::Sha512,
};
pub(crate) static RSA_PSS_SHA256_UNRESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: RSASSA_PSS_KEY_UNRESTRICTED,
    signature_alg_id: alg_id::RSA_PSS_SHA256,
    hash: SupportedHash::Sha256,
};
pub(crate) static RSA_PSS_SHA384_UNRESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: RSASSA_PSS_KEY_UNRESTRICTED,
    signature_alg_id: alg_id::RSA_PSS_SHA384,
    hash: SupportedHash::Sha384,
};
pub(crate) static RSA_PSS_SHA512_UNRESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: RSASSA_PSS_KEY_UNRESTRICTED,
    signature_alg_id: alg_id::RSA_PSS_SHA512,
    hash: SupportedHash::Sha512,
};
pub(crate) static RSA_PSS_SHA256_RESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_PSS_SHA256,
    signature_alg_id: alg_id::RSA_PSS_SHA256,
    hash: SupportedHash::Sha256,
};
pub(crate) static RSA_PSS_SHA384_RESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_PSS_SHA384,
    signature_alg_id: alg_id::RSA_PSS_SHA384,
    hash: SupportedHash::Sha384,
};
pub(crate) static RSA_PSS_SHA512_RESTRICTED_PSS_KEY: RsaPssAlgorithm = RsaPssAlgorithm {
    public_key_alg_id: alg_id::RSA_PSS_SHA512,
    signature_alg_id: alg_id::RSA_PSS_SHA512,
    hash: SupportedHash::Sha512,
};

//! Ed25519 (RFC 8032 signatures, RFC 8410 identifiers).

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use rustls_pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};

/// Ed25519: the same identifier names the key and the signature algorithm.
#[derive(Debug)]
pub(crate) struct Ed25519Algorithm;

impl SignatureVerificationAlgorithm for Ed25519Algorithm {
    /// Verifies with the cofactorless equation and rejects an `S` that is
    /// not below the group order (RFC 8032 section 5.1.7).
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let public_key: &[u8; 32] = public_key.try_into().map_err(|_| InvalidSignature)?;
        let key = VerifyingKey::from_bytes(public_key).map_err(|_| InvalidSignature)?;
        let signature = Signature::from_slice(signature).map_err(|_| InvalidSignature)?;
        key.verify(message, &signature)
            .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::ED25519
    }

    fn fips(&self) -> bool {
        false
    }
}

pub(crate) static ED25519: Ed25519Algorithm = Ed25519Algorithm;

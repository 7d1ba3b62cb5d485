//! The signature backend: pure-Rust RustCrypto implementations of
//! rustls-pki-types' [`SignatureVerificationAlgorithm`], used by webpki for
//! path building ([`ALL_ALGORITHMS`]) and by our own checks through
//! [`verify_signature`], with the same code natively and in WebAssembly.
//!
//! The backend does the math only. Weak but well-defined algorithms
//! (SHA-1 signatures, 512-bit and 1024-bit RSA keys) verify here, so that a
//! profile can report them as weak instead of the chain failing as if no
//! issuer existed. MD5 and MD2 are not implemented: such signatures come
//! back as unsupported.
//!
//! | family | digests | keys |
//! | --- | --- | --- |
//! | RSASSA-PKCS1-v1_5 | SHA-1, SHA-256, SHA-384, SHA-512 | rsaEncryption, 512 to 8192 bits |
//! | RSASSA-PSS | SHA-256, SHA-384, SHA-512 (any supported set via [`verify_signature`]) | rsaEncryption, id-RSASSA-PSS |
//! | ECDSA | SHA-1, SHA-256, SHA-384, SHA-512 | P-256, P-384; P-521 without SHA-1 |
//! | Ed25519 | intrinsic | Ed25519 |

mod asn1;
mod describe;
mod ecdsa_nist;
mod ed25519;
mod hash;
pub mod memo;
pub mod offload;
mod rsa_key;
mod rsa_pkcs1;
mod rsa_pss;
mod verify;

#[cfg(test)]
mod tests;

use rustls_pki_types::SignatureVerificationAlgorithm;

use memo::Memoized;

pub use describe::{
    describe_public_key, describe_signature_algorithm, HashAlgorithm, KeyType, PublicKeyInfo,
    SignatureAlgorithmInfo, SignatureFamily,
};
pub use verify::{verify_signature, VerifyError};

/// Every algorithm the backend verifies, for webpki's `supported_sig_algs`.
///
/// webpki picks the first entry whose signature and public key
/// AlgorithmIdentifiers equal the certificate's byte for byte, so order only
/// matters between entries with equal identifiers, and there are none. Each
/// entry is wrapped in [`Memoized`], which skips the arithmetic for signatures
/// a host verifier already checked ([`memo::with_results`]).
pub static ALL_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA256),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA384),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA512),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA1),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA256_ABSENT_PARAMS),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA384_ABSENT_PARAMS),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA512_ABSENT_PARAMS),
    &Memoized(&rsa_pkcs1::RSA_PKCS1_SHA1_ABSENT_PARAMS),
    &Memoized(&rsa_pss::RSA_PSS_SHA256_RSA_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA384_RSA_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA512_RSA_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA256_UNRESTRICTED_PSS_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA384_UNRESTRICTED_PSS_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA512_UNRESTRICTED_PSS_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA256_RESTRICTED_PSS_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA384_RESTRICTED_PSS_KEY),
    &Memoized(&rsa_pss::RSA_PSS_SHA512_RESTRICTED_PSS_KEY),
    &Memoized(&ecdsa_nist::ECDSA_P256_SHA256),
    &Memoized(&ecdsa_nist::ECDSA_P256_SHA384),
    &Memoized(&ecdsa_nist::ECDSA_P256_SHA512),
    &Memoized(&ecdsa_nist::ECDSA_P256_SHA1),
    &Memoized(&ecdsa_nist::ECDSA_P384_SHA256),
    &Memoized(&ecdsa_nist::ECDSA_P384_SHA384),
    &Memoized(&ecdsa_nist::ECDSA_P384_SHA512),
    &Memoized(&ecdsa_nist::ECDSA_P384_SHA1),
    &Memoized(&ecdsa_nist::ECDSA_P521_SHA256),
    &Memoized(&ecdsa_nist::ECDSA_P521_SHA384),
    &Memoized(&ecdsa_nist::ECDSA_P521_SHA512),
    &Memoized(&ed25519::ED25519),
];

//! RSA public keys (PKCS#1 RSAPublicKey, RFC 8017 appendix A.1.1) decoded
//! within the modulus bounds the backend verifies with.

use rsa::pkcs1::der::Decode;
use rsa::pkcs1::RsaPublicKeyRef;
use rsa::{BoxedUint, PublicKey};

/// Smallest modulus, in bits, that the backend verifies with.
///
/// The rsa crate defaults to 1024, but whether a key is too small is a
/// profile decision (`cert.weak-key`), not a signature failure. With this
/// bound a chain of 512-bit RSA certificates reaches the profile, which
/// reports a weak key instead of a bad signature. 512 bits is the
/// export-grade size, the smallest seen in deployed X.509, and a PKCS#1 v1.5
/// SHA-256 signature needs at least 496 bits of modulus anyway.
pub(crate) const MIN_MODULUS_BITS: usize = 512;

/// Largest modulus, in bits, that the backend verifies with.
///
/// Verification cost grows with the square of the modulus size, so this caps
/// the work one untrusted certificate can cause. 8192 is also *ring*'s and the
/// rsa crate's maximum, so no key that another verifier accepts is refused.
pub(crate) const MAX_MODULUS_BITS: usize = 8192;

/// Largest public exponent, in bytes, worth decoding: the rsa crate rejects
/// any exponent above 2^33 - 1 (the same bound as *ring*), which fits in 5.
const MAX_EXPONENT_BYTES: usize = 8;

/// Decodes an RSAPublicKey and checks it against the bounds above and the
/// rsa crate's checks (odd modulus, odd exponent in 3..=2^33-1).
pub(crate) fn decode_public_key(der: &[u8]) -> Option<PublicKey> {
    let key = RsaPublicKeyRef::from_der(der).ok()?;
    let modulus = key.modulus.as_bytes();
    let exponent = key.public_exponent.as_bytes();

    if modulus.is_empty() || modulus.len() > MAX_MODULUS_BITS / 8 {
        return None;
    }
    if exponent.is_empty() || exponent.len() > MAX_EXPONENT_BYTES {
        return None;
    }

    let modulus = BoxedUint::from_be_slice(modulus, bit_capacity(modulus)?).ok()?;
    let exponent = BoxedUint::from_be_slice(exponent, bit_capacity(exponent)?).ok()?;
    PublicKey::new_with_size_limits(modulus, exponent, MIN_MODULUS_BITS..=MAX_MODULUS_BITS).ok()
}

fn bit_capacity(bytes: &[u8]) -> Option<u32> {
    u32::try_from(bytes.len()).ok()?.checked_mul(8)
}

//! ECDSA (RFC 5480 keys, RFC 5758 signature identifiers) over the NIST
//! curves P-256, P-384 and P-521, with DER-encoded (r, s) signatures.
//!
//! The digest is computed here and handed to the curve crate as a prehash,
//! so any digest pairs with any curve. The ecdsa crate truncates a longer
//! digest to the bit length of the group order (P-256 with SHA-384) and
//! takes a shorter one as is (P-521 with SHA-256), as ECDSA specifies.

use core::ops::Add;
use ecdsa::der::{MaxOverhead, MaxSize, Signature as DerSignature};
use ecdsa::elliptic_curve::array::ArraySize;
use ecdsa::elliptic_curve::sec1::{FromSec1Point, ModulusSize, ToSec1Point};
use ecdsa::elliptic_curve::{AffinePoint, CurveArithmetic, FieldBytesSize};
use ecdsa::signature::hazmat::PrehashVerifier;
use ecdsa::{EcdsaCurve, VerifyingKey};
use rustls_pki_types::{
    alg_id, AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm,
};

use super::hash::SupportedHash;

/// A NIST curve the backend verifies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    P256,
    P384,
    P521,
}

/// An ECDSA signature algorithm for one curve and one digest.
#[derive(Debug)]
pub(crate) struct EcdsaAlgorithm {
    curve: Curve,
    signature_alg_id: AlgorithmIdentifier,
    hash: SupportedHash,
}

impl SignatureVerificationAlgorithm for EcdsaAlgorithm {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let prehash = self.hash.digest(message);
        match self.curve {
            Curve::P256 => verify_prehash::<p256::NistP256>(public_key, &prehash, signature),
            Curve::P384 => verify_prehash::<p384::NistP384>(public_key, &prehash, signature),
            Curve::P521 => verify_prehash::<p521::NistP521>(public_key, &prehash, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        match self.curve {
            Curve::P256 => alg_id::ECDSA_P256,
            Curve::P384 => alg_id::ECDSA_P384,
            Curve::P521 => alg_id::ECDSA_P521,
        }
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature_alg_id
    }

    fn fips(&self) -> bool {
        false
    }
}

/// Verifies a DER signature over `prehash` with a SEC1-encoded point,
/// compressed or uncompressed.
fn verify_prehash<C>(
    public_key: &[u8],
    prehash: &[u8],
    signature: &[u8],
) -> Result<(), InvalidSignature>
where
    C: EcdsaCurve + CurveArithmetic,
    AffinePoint<C>: FromSec1Point<C> + ToSec1Point<C>,
    FieldBytesSize<C>: ModulusSize,
    MaxSize<C>: ArraySize,
    <FieldBytesSize<C> as Add>::Output: Add<MaxOverhead> + ArraySize,
{
    let key = VerifyingKey::<C>::from_sec1_bytes(public_key).map_err(|_| InvalidSignature)?;
    let signature = DerSignature::<C>::from_bytes(signature).map_err(|_| InvalidSignature)?;
    key.verify_prehash(prehash, &signature)
        .map_err(|_| InvalidSignature)
}

/// ecdsa-with-SHA1 (1.2.840.10045.4.1), parameters absent.
const ECDSA_SHA1: AlgorithmIdentifier =
    AlgorithmIdentifier::from_slice(&[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01]);

const fn ecdsa(
    curve: Curve,
    signature_alg_id: AlgorithmIdentifier,
    hash: SupportedHash,
) -> EcdsaAlgorithm {
    EcdsaAlgorithm {
        curve,
        signature_alg_id,
        hash,
    }
}

pub(crate) static ECDSA_P256_SHA1: EcdsaAlgorithm =
    ecdsa(Curve::P256, ECDSA_SHA1, SupportedHash::Sha1);
pub(crate) static ECDSA_P256_SHA256: EcdsaAlgorithm =
    ecdsa(Curve::P256, alg_id::ECDSA_SHA256, SupportedHash::Sha256);
pub(crate) static ECDSA_P256_SHA384: EcdsaAlgorithm =
    ecdsa(Curve::P256, alg_id::ECDSA_SHA384, SupportedHash::Sha384);
pub(crate) static ECDSA_P256_SHA512: EcdsaAlgorithm =
    ecdsa(Curve::P256, alg_id::ECDSA_SHA512, SupportedHash::Sha512);
pub(crate) static ECDSA_P384_SHA1: EcdsaAlgorithm =
    ecdsa(Curve::P384, ECDSA_SHA1, SupportedHash::Sha1);
pub(crate) static ECDSA_P384_SHA256: EcdsaAlgorithm =
    ecdsa(Curve::P384, alg_id::ECDSA_SHA256, SupportedHash::Sha256);
pub(crate) static ECDSA_P384_SHA384: EcdsaAlgorithm =
    ecdsa(Curve::P384, alg_id::ECDSA_SHA384, SupportedHash::Sha384);
pub(crate) static ECDSA_P384_SHA512: EcdsaAlgorithm =
    ecdsa(Curve::P384, alg_id::ECDSA_SHA512, SupportedHash::Sha512);
pub(crate) static ECDSA_P521_SHA256: EcdsaAlgorithm =
    ecdsa(Curve::P521, alg_id::ECDSA_SHA256, SupportedHash::Sha256);
pub(crate) static ECDSA_P521_SHA384: EcdsaAlgorithm =
    ecdsa(Curve::P521, alg_id::ECDSA_SHA384, SupportedHash::Sha384);
pub(crate) static ECDSA_P521_SHA512: EcdsaAlgorithm =
    ecdsa(Curve::P521, alg_id::ECDSA_SHA512, SupportedHash::Sha512);

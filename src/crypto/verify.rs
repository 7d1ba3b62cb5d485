//! Signature verification keyed by AlgorithmIdentifier, for the code that
//! checks signatures outside webpki's path building: CSR self-signatures,
//! CRLs, and the explainer trying candidate issuers.

use core::fmt;

use rustls_pki_types::{alg_id, SignatureVerificationAlgorithm};
use x509_parser::asn1_rs::Any;

use super::asn1::{
    parse_algorithm_identifier, parse_pss_parameters, sequence_contents, split_spki, PssParameters,
    PssParametersError, SpkiParts, OID_RSASSA_PSS,
};
use super::describe::{describe_public_key, describe_signature_algorithm};
use super::rsa_pss::{key_allows, verify_pss};
use super::ALL_ALGORITHMS;

/// Signature verification failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError {
    /// The backend has no implementation for this signature algorithm and key
    /// combination.
    Unsupported {
        /// Name of the signature algorithm, as [`describe_signature_algorithm`] gives it.
        signature_algorithm: String,
        /// Name of the key, as [`describe_public_key`] gives it.
        key: String,
    },
    /// The algorithm is supported but the signature does not verify, or the
    /// key is malformed for it.
    Invalid,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unsupported {
                signature_algorithm,
                key,
            } => write!(
                formatter,
                "signature algorithm {signature_algorithm} with a {key} key is not supported"
            ),
            Self::Invalid => {
                formatter.write_str("the signature does not verify with the public key")
            }
        }
    }
}

impl std::error::Error for VerifyError {}

/// Verifies `signature` over `message` with the key in `spki_der` (full
/// SubjectPublicKeyInfo DER) under `signature_algorithm_der` (full
/// AlgorithmIdentifier DER).
///
/// The implementation is the one webpki picks from [`ALL_ALGORITHMS`]: the
/// first whose signature and public key AlgorithmIdentifier contents equal
/// the given ones byte for byte. RSASSA-PSS signatures no algorithm matches
/// exactly are then verified by decoding their parameters, so any digest,
/// salt length and id-RSASSA-PSS key restriction the rsa crate can handle
/// is accepted (MGF1 must use the message digest).
///
/// # Errors
///
/// [`VerifyError::Unsupported`] when no implementation covers the algorithm
/// and key pair, [`VerifyError::Invalid`] when one does and the signature
/// fails, or the SPKI does not decode.
pub fn verify_signature(
    spki_der: &[u8],
    signature_algorithm_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let unsupported = || VerifyError::Unsupported {
        signature_algorithm: describe_signature_algorithm(signature_algorithm_der).name,
        key: describe_public_key(spki_der).name,
    };

    let Some(signature_alg_id) = sequence_contents(signature_algorithm_der) else {
        return Err(unsupported());
    };
    let candidates: Vec<&dyn SignatureVerificationAlgorithm> = ALL_ALGORITHMS
        .iter()
        .copied()
        .filter(|algorithm| algorithm.signature_alg_id().as_ref() == signature_alg_id)
        .collect();
    let pss_parameters = decode_pss_signature_parameters(signature_algorithm_der);
    if candidates.is_empty() && pss_parameters.is_none() {
        return Err(unsupported());
    }

    let Some(spki) = split_spki(spki_der) else {
        return Err(VerifyError::Invalid);
    };

    let exact_match = candidates
        .iter()
        .find(|algorithm| algorithm.public_key_alg_id().as_ref() == spki.algorithm_contents);
    if let Some(algorithm) = exact_match {
        return algorithm
            .verify_signature(spki.public_key, message, signature)
            .map_err(|_| VerifyError::Invalid);
    }

    let Some(pss_parameters) = pss_parameters else {
        return Err(unsupported());
    };
    match rsa_key_restriction(&spki) {
        RsaKeyRestriction::Unrestricted => {}
        RsaKeyRestriction::Restricted(key_parameters)
            if key_allows(key_parameters, pss_parameters) => {}
        RsaKeyRestriction::Restricted(_)
        | RsaKeyRestriction::UnsupportedParameters
        | RsaKeyRestriction::NotRsa => return Err(unsupported()),
        RsaKeyRestriction::MalformedParameters => return Err(VerifyError::Invalid),
    }
    verify_pss(pss_parameters, spki.public_key, message, signature)
        .map_err(|_| VerifyError::Invalid)
}

/// Decodes the RSASSA-PSS parameters of a signature AlgorithmIdentifier, if
/// it is one and the backend can apply them.
fn decode_pss_signature_parameters(signature_algorithm_der: &[u8]) -> Option<PssParameters> {
    let algorithm = parse_algorithm_identifier(signature_algorithm_der)?;
    if algorithm.algorithm.to_id_string() != OID_RSASSA_PSS {
        return None;
    }
    // RFC 4055 section 3.1 requires the parameters in a signature
    // AlgorithmIdentifier; they are absent only in an SPKI.
    let parameters: &Any<'_> = algorithm.parameters.as_ref()?;
    parse_pss_parameters(parameters).ok()
}

/// Restriction an SPKI places on RSASSA-PSS verification (RFC 4055 section 3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RsaKeyRestriction {
    /// rsaEncryption, or id-RSASSA-PSS without parameters.
    Unrestricted,
    /// id-RSASSA-PSS restricted to these parameters.
    Restricted(PssParameters),
    /// id-RSASSA-PSS restricted to parameters the backend has no implementation for.
    UnsupportedParameters,
    /// id-RSASSA-PSS with parameters that do not decode.
    MalformedParameters,
    /// Not an RSA key.
    NotRsa,
}

fn rsa_key_restriction(spki: &SpkiParts<'_>) -> RsaKeyRestriction {
    if spki.algorithm_contents == alg_id::RSA_ENCRYPTION.as_ref() {
        return RsaKeyRestriction::Unrestricted;
    }
    let Some(algorithm) = parse_algorithm_identifier(spki.algorithm_der) else {
        return RsaKeyRestriction::NotRsa;
    };
    if algorithm.algorithm.to_id_string() != OID_RSASSA_PSS {
        return RsaKeyRestriction::NotRsa;
    }
    let Some(parameters) = algorithm.parameters.as_ref() else {
        return RsaKeyRestriction::Unrestricted;
    };
    match parse_pss_parameters(parameters) {
        Ok(parameters) => RsaKeyRestriction::Restricted(parameters),
        Err(PssParametersError::Unsupported) => RsaKeyRestriction::UnsupportedParameters,
        Err(PssParametersError::Malformed) => RsaKeyRestriction::MalformedParameters,
    }
}

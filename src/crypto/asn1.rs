//! Splits the DER structures around a signature check (AlgorithmIdentifier,
//! SubjectPublicKeyInfo, RSASSA-PSS parameters) into the pieces the backend
//! matches on. Every function returns `None` on malformed input.

use x509_parser::asn1_rs::{Any, FromDer, Tag};
use x509_parser::signature_algorithm::RsaSsaPssParams;
use x509_parser::x509::AlgorithmIdentifier;

use super::hash::SupportedHash;

/// id-RSASSA-PSS (RFC 4055), used both as a signature and as a key algorithm.
pub(crate) const OID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";

/// id-mgf1 (RFC 8017 appendix B.2.1).
pub(crate) const OID_MGF1: &str = "1.2.840.113549.1.1.8";

/// A SubjectPublicKeyInfo split into the parts rustls-webpki compares and verifies with.
#[derive(Debug)]
pub(crate) struct SpkiParts<'a> {
    /// The algorithm AlgorithmIdentifier, full DER including the SEQUENCE header.
    pub(crate) algorithm_der: &'a [u8],
    /// The algorithm AlgorithmIdentifier contents, without the SEQUENCE header.
    pub(crate) algorithm_contents: &'a [u8],
    /// The subjectPublicKey BIT STRING contents after the unused-bits octet.
    pub(crate) public_key: &'a [u8],
}

/// Returns the contents of the DER SEQUENCE that fills `der` exactly.
pub(crate) fn sequence_contents(der: &[u8]) -> Option<&[u8]> {
    let (rest, any) = Any::from_der(der).ok()?;
    if !rest.is_empty() || any.header.tag() != Tag::Sequence || !any.header.is_constructed() {
        return None;
    }
    Some(any.data)
}

/// Splits a SubjectPublicKeyInfo that fills `der` exactly. Like webpki, it
/// rejects a subjectPublicKey with unused bits.
pub(crate) fn split_spki(der: &[u8]) -> Option<SpkiParts<'_>> {
    let contents = sequence_contents(der)?;

    let (after_algorithm, algorithm) = Any::from_der(contents).ok()?;
    if algorithm.header.tag() != Tag::Sequence {
        return None;
    }
    let algorithm_len = contents.len().checked_sub(after_algorithm.len())?;
    let algorithm_der = contents.get(..algorithm_len)?;

    let (rest, bit_string) = Any::from_der(after_algorithm).ok()?;
    if !rest.is_empty() || bit_string.header.tag() != Tag::BitString {
        return None;
    }
    let (&unused_bits, public_key) = bit_string.data.split_first()?;
    if unused_bits != 0 {
        return None;
    }

    Some(SpkiParts {
        algorithm_der,
        algorithm_contents: algorithm.data,
        public_key,
    })
}

/// Parses an AlgorithmIdentifier (full DER) into its OID and parameters.
pub(crate) fn parse_algorithm_identifier(der: &[u8]) -> Option<AlgorithmIdentifier<'_>> {
    let (rest, algorithm) = AlgorithmIdentifier::from_der(der).ok()?;
    rest.is_empty().then_some(algorithm)
}

/// RSASSA-PSS parameters as the backend can apply them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PssParameters {
    /// Message digest, also used by MGF1: the rsa crate ties the two together.
    pub(crate) hash: SupportedHash,
    pub(crate) salt_len: usize,
}

/// Failure to apply RSASSA-PSS parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PssParametersError {
    /// The parameters do not decode.
    Malformed,
    /// Valid parameters the backend has no implementation for: an unknown
    /// digest, a mask generation function other than MGF1 with the message
    /// digest, or a trailer field other than 1.
    Unsupported,
}

/// Decodes RSASSA-PSS-params (RFC 4055 section 3.1), applying its defaults
/// (SHA-1, MGF1 with SHA-1, salt 20, trailer 1) to absent fields.
pub(crate) fn parse_pss_parameters(
    parameters: &Any<'_>,
) -> Result<PssParameters, PssParametersError> {
    let decoded =
        RsaSsaPssParams::try_from(parameters).map_err(|_| PssParametersError::Malformed)?;
    let hash = SupportedHash::from_oid(&decoded.hash_algorithm_oid().to_id_string())
        .ok_or(PssParametersError::Unsupported)?;
    let mask_generation = decoded
        .mask_gen_algorithm()
        .map_err(|_| PssParametersError::Malformed)?;

    let mgf1_with_same_hash = mask_generation.mgf.to_id_string() == OID_MGF1
        && SupportedHash::from_oid(&mask_generation.hash.to_id_string()) == Some(hash);
    if !mgf1_with_same_hash || decoded.trailer_field() != 1 {
        return Err(PssParametersError::Unsupported);
    }

    let salt_len =
        usize::try_from(decoded.salt_length()).map_err(|_| PssParametersError::Unsupported)?;
    Ok(PssParameters { hash, salt_len })
}

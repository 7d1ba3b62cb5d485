//! The signatures a call may verify, described for a host verifier such as
//! WebCrypto, so the host can check them before the call runs (see
//! [`super::memo`]).
//!
//! [`signature_jobs`] pairs every certificate in the inputs with every
//! certificate named as its issuer, itself included when it is self-issued.
//! It describes the pairs that WebCrypto verifies the same way RustCrypto
//! does: RSASSA-PKCS1-v1_5 with SHA-1 or SHA-2 on 2048- to 4096-bit keys with
//! exponent 65537, and ECDSA with SHA-2 on P-256 and P-384 with canonical DER
//! signatures. Both compute the same standard verification on these inputs,
//! so their results agree, and tests/js/webcrypto.test.mjs compares the
//! reports on every fixture, case folder and x509-limbo testcase. Any other
//! pair is left to RustCrypto. The jobs are a superset of what a call needs,
//! and an unneeded job costs only time.

use std::collections::{HashMap, HashSet};

use rsa::pkcs1::der::Decode;
use rsa::pkcs1::RsaPublicKeyRef;

use super::asn1::{sequence_contents, split_spki};
use super::describe::{
    describe_public_key, describe_signature_algorithm, HashAlgorithm, KeyType, SignatureFamily,
};
use super::memo::{signature_key, SignatureKey};
use super::ALL_ALGORITHMS;
use crate::input::{self, BlockKind};
use crate::limits::{MAX_CANDIDATE_ISSUERS, MAX_SIGNATURE_CHECKS};
use crate::x509::der::{read_tlv, split_signed};

/// A WebCrypto signature algorithm with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HostAlgorithm {
    /// `{name: "RSASSA-PKCS1-v1_5", hash}`.
    RsaPkcs1 { hash: &'static str },
    /// `{name: "ECDSA", namedCurve, hash}`, signature as r ‖ s (IEEE P1363).
    Ecdsa {
        named_curve: &'static str,
        hash: &'static str,
    },
}

impl HostAlgorithm {
    /// The algorithm a key is imported with. An ECDSA key is imported for
    /// its curve alone and serves every hash, an RSA key for one hash.
    pub fn import_form(self) -> HostAlgorithm {
        match self {
            HostAlgorithm::Ecdsa { named_curve, .. } => HostAlgorithm::Ecdsa {
                named_curve,
                hash: "SHA-256",
            },
            rsa => rsa,
        }
    }
}

/// One signature for the host to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureJob {
    pub algorithm: HostAlgorithm,
    /// Index of the issuer key in [`SignatureJobs::keys`].
    pub key: usize,
    /// The signed bytes (TBSCertificate).
    pub message: Vec<u8>,
    /// The signature in the host's encoding.
    pub signature: Vec<u8>,
    /// The key under which the result is installed.
    pub memo_key: SignatureKey,
}

/// The jobs of one call, with each issuer key (SPKI DER) once per import
/// form of its algorithms ([`HostAlgorithm::import_form`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureJobs {
    pub keys: Vec<(HostAlgorithm, Vec<u8>)>,
    pub jobs: Vec<SignatureJob>,
}

/// The parts of a certificate that pairing and verification read.
struct Signed<'a> {
    issuer: &'a [u8],
    subject: &'a [u8],
    spki: &'a [u8],
    tbs: &'a [u8],
    algorithm: &'a [u8],
    signature: &'a [u8],
}

/// Describes the signatures between the certificates of all `inputs` (each
/// decoded as the library decodes it) for a host verifier.
pub fn signature_jobs(inputs: &[&[u8]]) -> SignatureJobs {
    // NOTE: certificates inside PKCS#7 blocks are not unpacked here, so their
    // signatures are verified by RustCrypto alone.
    let ders: Vec<Vec<u8>> = inputs
        .iter()
        .flat_map(|bytes| input::decode(bytes, "input").blocks)
        .filter(|block| block.kind == BlockKind::Certificate)
        .filter_map(|block| block.der.ok())
        .collect();
    let certificates: Vec<Signed<'_>> = ders.iter().filter_map(|der| split(der)).collect();

    let mut by_subject: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (index, certificate) in certificates.iter().enumerate() {
        by_subject
            .entry(certificate.subject)
            .or_default()
            .push(index);
    }

    let mut jobs = SignatureJobs::default();
    let mut key_index: HashMap<(HostAlgorithm, Vec<u8>), usize> = HashMap::new();
    let mut described: HashSet<SignatureKey> = HashSet::new();
    for certificate in &certificates {
        let Some(issuers) = by_subject.get(certificate.issuer) else {
            continue;
        };
        for &issuer_index in issuers.iter().take(MAX_CANDIDATE_ISSUERS) {
            if jobs.jobs.len() >= MAX_SIGNATURE_CHECKS {
                return jobs;
            }
            let Some(issuer) = certificates.get(issuer_index) else {
                continue;
            };
            let Some(job) = describe_job(certificate, issuer.spki, &mut jobs, &mut key_index)
            else {
                continue;
            };
            // A certificate given twice, in the chain and the truststore, is checked once.
            if described.insert(job.memo_key) {
                jobs.jobs.push(job);
            }
        }
    }
    jobs
}

/// Splits a certificate into the parts [`Signed`] holds, or `None` when it
/// does not have the shape of one.
fn split(der: &[u8]) -> Option<Signed<'_>> {
    let parts = split_signed(der)?;
    let (tbs, _) = read_tlv(parts.tbs)?;
    let mut rest = tbs.content;
    let (first, after) = read_tlv(rest)?;
    // The version is an explicit [0] before the serial number.
    if first.tag == 0xa0 {
        rest = after;
    }
    let (_serial, rest) = read_tlv(rest)?;
    let (_algorithm, rest) = read_tlv(rest)?;
    let (issuer, rest) = read_tlv(rest)?;
    let (_validity, rest) = read_tlv(rest)?;
    let (subject, rest) = read_tlv(rest)?;
    let (spki, _) = read_tlv(rest)?;
    Some(Signed {
        issuer: issuer.full,
        subject: subject.full,
        spki: spki.full,
        tbs: parts.tbs,
        algorithm: parts.algorithm,
        signature: parts.signature,
    })
}

/// Describes the check of `certificate`'s signature with `issuer_spki`, if
/// the host verifies that algorithm and key the way RustCrypto does.
fn describe_job(
    certificate: &Signed<'_>,
    issuer_spki: &[u8],
    jobs: &mut SignatureJobs,
    key_index: &mut HashMap<(HostAlgorithm, Vec<u8>), usize>,
) -> Option<SignatureJob> {
    let signature_alg_id = sequence_contents(certificate.algorithm)?;
    let spki = split_spki(issuer_spki)?;
    // The memo key must name the backend algorithm webpki would pick: the
    // one whose identifiers equal the certificate's byte for byte.
    ALL_ALGORITHMS.iter().find(|algorithm| {
        algorithm.signature_alg_id().as_ref() == signature_alg_id
            && algorithm.public_key_alg_id().as_ref() == spki.algorithm_contents
    })?;

    let signature_info = describe_signature_algorithm(certificate.algorithm);
    let key_info = describe_public_key(issuer_spki);
    let (algorithm, signature) = match (signature_info.family, key_info.key_type) {
        (SignatureFamily::RsaPkcs1, KeyType::Rsa) => {
            let hash = match signature_info.hash {
                HashAlgorithm::Sha1 => "SHA-1",
                HashAlgorithm::Sha256 => "SHA-256",
                HashAlgorithm::Sha384 => "SHA-384",
                HashAlgorithm::Sha512 => "SHA-512",
                _ => return None,
            };
            if !matches!(key_info.bits, Some(2048..=4096)) || !has_exponent_65537(spki.public_key) {
                return None;
            }
            (
                HostAlgorithm::RsaPkcs1 { hash },
                certificate.signature.to_vec(),
            )
        }
        (SignatureFamily::Ecdsa, KeyType::Ec) => {
            let hash = match signature_info.hash {
                HashAlgorithm::Sha256 => "SHA-256",
                HashAlgorithm::Sha384 => "SHA-384",
                HashAlgorithm::Sha512 => "SHA-512",
                _ => return None,
            };
            let (named_curve, scalar_len) = match key_info.curve.as_deref() {
                Some("P-256") => ("P-256", 32),
                Some("P-384") => ("P-384", 48),
                _ => return None,
            };
            (
                HostAlgorithm::Ecdsa { named_curve, hash },
                ecdsa_der_to_fixed(certificate.signature, scalar_len)?,
            )
        }
        _ => return None,
    };

    let import = (algorithm.import_form(), issuer_spki.to_vec());
    let key = match key_index.get(&import) {
        Some(&index) => index,
        None => {
            jobs.keys.push(import.clone());
            key_index.insert(import, jobs.keys.len() - 1);
            jobs.keys.len() - 1
        }
    };
    Some(SignatureJob {
        algorithm,
        key,
        message: certificate.tbs.to_vec(),
        signature,
        memo_key: signature_key(
            signature_alg_id,
            spki.algorithm_contents,
            spki.public_key,
            certificate.signature,
            certificate.tbs,
        ),
    })
}

fn has_exponent_65537(public_key: &[u8]) -> bool {
    RsaPublicKeyRef::from_der(public_key)
        .is_ok_and(|key| key.public_exponent.as_bytes() == [0x01, 0x00, 0x01])
}

/// Converts a DER `SEQUENCE { INTEGER r, INTEGER s }` to r ‖ s, each
/// left-padded to `scalar_len` bytes. Only minimal encodings of positive
/// integers that fit are converted, so every signature converted is one
/// the ecdsa crate also decodes.
fn ecdsa_der_to_fixed(der: &[u8], scalar_len: usize) -> Option<Vec<u8>> {
    let (sequence, rest) = read_tlv(der)?;
    if sequence.tag != 0x30 || !rest.is_empty() || sequence.full.len() != der.len() {
        return None;
    }
    let (r, rest) = read_tlv(sequence.content)?;
    let (s, rest) = read_tlv(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let mut fixed = Vec::with_capacity(2 * scalar_len);
    for integer in [r, s] {
        if integer.tag != 0x02 {
            return None;
        }
        fixed.extend(fixed_width_unsigned(integer.content, scalar_len)?);
    }
    Some(fixed)
}

/// Left-pads the minimal DER contents of a positive INTEGER to `len` bytes.
fn fixed_width_unsigned(content: &[u8], len: usize) -> Option<Vec<u8>> {
    let magnitude = match content {
        [] => return None,
        [first, ..] if first & 0x80 != 0 => return None,
        [0, second, ..] if second & 0x80 == 0 => return None,
        [0, rest @ ..] => rest,
        all => all,
    };
    if magnitude.is_empty() || magnitude.len() > len || magnitude.iter().all(|&byte| byte == 0) {
        return None;
    }
    let mut padded = vec![0u8; len - magnitude.len()];
    padded.extend_from_slice(magnitude);
    Some(padded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::memo::with_results;
    use std::collections::HashMap;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn jobs_pair_chain_and_truststore() {
        let chain = fixture("p256-chain.pem");
        let truststore = fixture("p256-truststore.pem");
        let jobs = signature_jobs(&[&chain, &truststore]);
        // At least the leaf by the intermediate, the intermediate by the
        // root and the root by itself.
        assert!(jobs.jobs.len() >= 3);
        assert!(jobs
            .jobs
            .iter()
            .all(|job| job.signature.len() == 64 && job.key < jobs.keys.len()));
    }

    #[test]
    fn jobs_skip_ed25519() {
        let chain = fixture("ed25519-chain.pem");
        let truststore = fixture("ed25519-truststore.pem");
        assert!(signature_jobs(&[&chain, &truststore]).jobs.is_empty());
    }

    #[test]
    fn jobs_cover_rsa() {
        let chain = fixture("rsa2048-chain.pem");
        let truststore = fixture("rsa2048-truststore.pem");
        let jobs = signature_jobs(&[&chain, &truststore]);
        assert!(jobs.jobs.len() >= 3);
        assert!(jobs
            .jobs
            .iter()
            .all(|job| job.algorithm == HostAlgorithm::RsaPkcs1 { hash: "SHA-256" }));
    }

    #[test]
    fn installed_results_keep_the_report() {
        let chain = fixture("p384-chain.pem");
        let truststore = fixture("p384-truststore.pem");
        let options = crate::Options::new("apigw-rest", 1_907_755_200);
        let plain = crate::verify_chain(&chain, &truststore, &options)
            .unwrap()
            .to_json();
        let results: HashMap<SignatureKey, bool> = signature_jobs(&[&chain, &truststore])
            .jobs
            .iter()
            .map(|job| (job.memo_key, true))
            .collect();
        assert!(results.len() >= 3);
        let memoized = with_results(results, || {
            crate::verify_chain(&chain, &truststore, &options)
                .unwrap()
                .to_json()
        });
        assert_eq!(plain, memoized);
    }

    #[test]
    fn installed_results_replace_the_arithmetic() {
        let chain = fixture("p256-chain.pem");
        let truststore = fixture("p256-truststore.pem");
        let options = crate::Options::new("apigw-rest", 1_907_755_200);
        let results: HashMap<SignatureKey, bool> = signature_jobs(&[&chain, &truststore])
            .jobs
            .iter()
            .map(|job| (job.memo_key, false))
            .collect();
        let report = with_results(results, || {
            crate::verify_chain(&chain, &truststore, &options).unwrap()
        });
        assert_eq!(report.verdict, crate::Verdict::Deny);
        let after = crate::verify_chain(&chain, &truststore, &options).unwrap();
        assert_eq!(
            after.verdict,
            crate::Verdict::Accept,
            "results are uninstalled"
        );
    }

    #[test]
    fn ecdsa_conversion_rejects_non_minimal_integers() {
        assert_eq!(
            fixed_width_unsigned(&[0x00, 0x7f], 2),
            None,
            "a leading zero before a clear high bit is not minimal"
        );
        assert_eq!(fixed_width_unsigned(&[0x80], 2), None, "negative");
        assert_eq!(
            fixed_width_unsigned(&[0x00, 0x80], 2),
            Some(vec![0x00, 0x80])
        );
        assert_eq!(fixed_width_unsigned(&[1, 2, 3], 2), None, "too long");
        assert_eq!(fixed_width_unsigned(&[0x00], 2), None, "zero");
    }
}

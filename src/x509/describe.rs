//! Structured descriptions for `inspect` and `csr`: every field of a
//! certificate or request as JSON, the way `openssl x509 -text` lists them.

use serde_json::{json, Value};

use super::csr::Csr;
use super::extensions::{eku_name, key_usage_names};
use super::{format_time, Certificate};

/// Describes a certificate in full.
pub fn certificate(item: usize, cert: &Certificate) -> Value {
    json!({
        "item": item,
        "version": cert.version,
        "serial": { "hex": cert.serial.hex, "decimal": cert.serial.decimal, "negative": cert.serial.negative, "octets": cert.serial.value_octets },
        "subject": cert.subject.rfc4514,
        "issuer": cert.issuer.rfc4514,
        "validity": { "not_before": format_time(cert.not_before), "not_after": format_time(cert.not_after) },
        "public_key": {
            "type": cert.key.key_type,
            "name": cert.key.name,
            "bits": cert.key.bits,
            "curve": cert.key.curve,
            "algorithm_oid": cert.key.algorithm_oid,
            "spki_sha256": cert.spki_sha256,
        },
        "signature_algorithm": cert.signature_algorithm,
        "self_issued": cert.self_issued,
        "self_signed": cert.self_signed,
        "basic_constraints": cert.basic_constraints,
        "key_usage": cert.key_usage.map(key_usage_names),
        "extended_key_usage": cert.extended_key_usage.as_ref().map(|oids| oids.iter().map(|o| eku_name(o)).collect::<Vec<_>>()),
        "subject_key_id": cert.subject_key_id.as_deref().map(super::plain_hex),
        "authority_key_id": cert.authority_key_id.as_deref().map(super::plain_hex),
        "subject_alt_names": cert.san,
        "extensions": cert.extensions,
        "fingerprints": { "sha256": cert.sha256_fingerprint, "sha1": cert.sha1_fingerprint },
    })
}

/// Describes a certificate signing request in full (a challengePassword's value is never shown).
pub fn csr(request: &Csr) -> Value {
    json!({
        "version": request.version,
        "subject": request.subject.rfc4514,
        "public_key": {
            "type": request.key.key_type,
            "name": request.key.name,
            "bits": request.key.bits,
            "curve": request.key.curve,
            "algorithm_oid": request.key.algorithm_oid,
            "spki_sha256": request.spki_sha256,
        },
        "signature_algorithm": request.signature_algorithm,
        "signature_valid": request.verify_self_signature().is_ok(),
        "attributes": request.attributes,
        "challenge_password_present": request.challenge_password,
        "requested_extensions": request.extension_request,
        "basic_constraints": request.basic_constraints,
        "key_usage": request.key_usage.map(key_usage_names),
        "extended_key_usage": request.extended_key_usage.as_ref().map(|oids| oids.iter().map(|o| eku_name(o)).collect::<Vec<_>>()),
        "subject_alt_names": request.san,
        "notes": request.notes,
        "sha256_fingerprint": request.sha256_fingerprint,
    })
}

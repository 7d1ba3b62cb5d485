//! Rules over a certificate signing request: its self-signature, the
//! extensions it requests, and whether a certificate issued from it would
//! pass the profile.

use crate::crypto::{HashAlgorithm, KeyType, VerifyError};
use crate::profile::Profile;
use crate::report::{Finding, Severity};
use crate::x509::csr::Csr;
use crate::x509::EKU_CLIENT_AUTH;

use super::{finding, RuleInfo};

/// One request and what a rule needs to judge it.
pub struct CsrContext<'a> {
    pub csr: &'a Csr,
    pub item: usize,
    pub profile: &'a Profile,
}

/// A rule over one request.
pub struct CsrRule {
    pub info: RuleInfo,
    pub check: fn(&CsrContext) -> Option<Finding>,
}

fn csr_finding(
    context: &CsrContext,
    code: &str,
    severity: Severity,
    message: String,
    help: &str,
) -> Finding {
    let subject = (!context.csr.subject.is_empty).then(|| context.csr.subject.rfc4514.clone());
    finding(code, severity, message, subject, Some(context.item), help)
}

pub static BAD_SIGNATURE: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.bad-signature",
        severity: Severity::Error,
        summary: "the request's self-signature does not verify",
        citation: "RFC 2986 section 3: the signature proves possession of the private key",
    },
    check: |context| {
        match context.csr.verify_self_signature() {
        Ok(()) => None,
        Err(VerifyError::Invalid) => Some(csr_finding(
            context,
            "csr.bad-signature",
            Severity::Error,
            "the request's self-signature does not verify with its own public key".into(),
            "Generate the request again with the matching private key; CAs reject requests whose signature fails.",
        )),
        Err(error @ VerifyError::Unsupported { .. }) => Some(csr_finding(
            context,
            "csr.unsupported-signature-algorithm",
            Severity::Error,
            format!("the self-signature cannot be checked: {error}"),
            "Sign the request with RSA, ECDSA or Ed25519 and SHA-256 or stronger.",
        )),
    }
    },
};

pub static UNSUPPORTED_SIGNATURE_ALGORITHM: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.unsupported-signature-algorithm",
        severity: Severity::Error,
        summary: "the request is signed with an algorithm the backend cannot verify",
        citation: "RFC 2986 section 3",
    },
    check: |_| None,
};

pub static WEAK_SIGNATURE_ALGORITHM: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.weak-signature-algorithm",
        severity: Severity::Warning,
        summary: "the request is signed with MD5 or SHA-1",
        citation: "CAs and gateways require SHA-256 or stronger for the certificate; a weak request signature is a sign of old tooling",
    },
    check: |context| {
        let algorithm = &context.csr.signature_algorithm;
        matches!(algorithm.hash, HashAlgorithm::Md2 | HashAlgorithm::Md5 | HashAlgorithm::Sha1).then(|| {
            csr_finding(
                context,
                "csr.weak-signature-algorithm",
                Severity::Warning,
                format!("the request is signed with {}", algorithm.name),
                "Generate the request with SHA-256 (openssl req -sha256).",
            )
        })
    },
};

pub static REQUESTS_CA: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.requests-ca",
        severity: Severity::Error,
        summary: "the request asks for basicConstraints CA:TRUE",
        citation: "a client certificate must not be a CA; CAs that copy requested extensions would issue one",
    },
    check: |context| {
        context.csr.basic_constraints.filter(|bc| bc.ca).map(|_| {
            csr_finding(
                context,
                "csr.requests-ca",
                Severity::Error,
                "the request asks for basicConstraints CA:TRUE; a client certificate must not be a CA".into(),
                "Remove basicConstraints CA:TRUE from the request (openssl req -addext basicConstraints=CA:FALSE).",
            )
        })
    },
};

pub static CHALLENGE_PASSWORD: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.challenge-password",
        severity: Severity::Warning,
        summary: "a challengePassword attribute is present",
        citation:
            "RFC 2985 5.4.1: the password travels in clear inside the request; most CAs ignore it",
    },
    check: |context| {
        context.csr.challenge_password.then(|| {
            csr_finding(
                context,
                "csr.challenge-password",
                Severity::Warning,
                "the request carries a challengePassword attribute (its value is not shown); it is readable by anyone who sees the request".into(),
                "Generate the request without a challenge password, and do not reuse that password anywhere.",
            )
        })
    },
};

pub static NO_IDENTITY: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.no-identity",
        severity: Severity::Error,
        summary: "neither a subject nor a subjectAltName",
        citation: "AWS Private CA requires a subject name or a SAN; RFC 5280 4.1.2.6",
    },
    check: |context| {
        (context.csr.subject.is_empty && context.csr.san.is_empty()).then(|| {
            csr_finding(
                context,
                "csr.no-identity",
                Severity::Error,
                "the request has an empty subject and no subjectAltName, so the certificate would name no one".into(),
                "Set a subject (for example CN=client-001) or request a SAN.",
            )
        })
    },
};

pub static KEY: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.unsupported-key",
        severity: Severity::Error,
        summary: "the requested key is weak or not accepted by the profile",
        citation:
            "profile key list; a CA such as AWS Private CA copies the key without checking it",
    },
    check: |context| {
        let key = &context.csr.key;
        let why = key_rejection(context.profile, key)?;
        let code = if why.0 {
            "csr.weak-key"
        } else {
            "csr.unsupported-key"
        };
        Some(csr_finding(
            context,
            code,
            context.profile.algorithm_severity,
            format!("the request's {} key {}", key.name, why.1),
            "Generate a new key (RSA 2048+ or ECDSA P-256/P-384) and a new request.",
        ))
    },
};

pub static WEAK_KEY: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.weak-key",
        severity: Severity::Error,
        summary: "the requested key is below the profile's minimum",
        citation: "API Gateway, ALB, CloudFront: RSA-2048 or stronger",
    },
    check: |_| None,
};

/// Returns (weak, reason) when the profile would refuse a certificate with this key.
fn key_rejection(profile: &Profile, key: &crate::crypto::PublicKeyInfo) -> Option<(bool, String)> {
    match key.key_type {
        KeyType::Rsa | KeyType::RsaPss => {
            let bits = key.bits?;
            let rsa = profile.rsa.value;
            if bits < rsa.min_bits {
                return Some((true, format!("is below the {}-bit minimum", rsa.min_bits)));
            }
            if key.key_type == KeyType::RsaPss && !profile.rsa_pss.value {
                return Some((
                    false,
                    "is an RSA-PSS key, which the profile does not accept".into(),
                ));
            }
            if rsa.max_bits.is_some_and(|max| bits > max)
                || rsa.exact.is_some_and(|sizes| !sizes.contains(&bits))
            {
                return Some((false, "has a size the profile does not accept".into()));
            }
            None
        }
        KeyType::Ec => {
            let curve = key.curve.as_deref().unwrap_or("unnamed");
            if key.bits.is_some_and(|bits| bits < 256) {
                Some((true, "is on a curve below 256 bits".into()))
            } else if profile.curves.value.contains(&curve) {
                None
            } else {
                Some((
                    false,
                    format!(
                        "is on {curve}; the profile accepts {}",
                        profile.curves.value.join(", ")
                    ),
                ))
            }
        }
        KeyType::Ed25519 if profile.ed25519.value => None,
        KeyType::Ed25519 => Some((
            false,
            "is Ed25519, which the profile does not accept".into(),
        )),
        _ => Some((false, "is of a type the profile does not accept".into())),
    }
}

pub static EMPTY_EXTENSION_REQUEST: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.empty-extension-request",
        severity: Severity::Warning,
        summary: "an extensionRequest attribute with no extensions",
        citation: "RFC 2985 5.4.2; some parsers reject an empty SEQUENCE there",
    },
    check: |context| {
        context.csr.extension_request.as_ref().filter(|list| list.is_empty()).map(|_| {
            csr_finding(
                context,
                "csr.empty-extension-request",
                Severity::Warning,
                "the request has an extensionRequest attribute that lists no extensions; some CA software rejects it".into(),
                "Leave the attribute out, or request the extensions you need (SAN, extendedKeyUsage clientAuth).",
            )
        })
    },
};

pub static EKU_WITHOUT_CLIENT_AUTH: CsrRule = CsrRule {
    info: RuleInfo {
        code: "csr.eku-mismatch",
        severity: Severity::Warning,
        summary: "the requested extendedKeyUsage does not include clientAuth",
        citation: "RFC 5280 4.2.1.12; ALB and CloudFront check the certificate's purpose",
    },
    check: |context| {
        let ekus = context.csr.extended_key_usage.as_ref()?;
        let allows = ekus
            .iter()
            .any(|oid| oid == EKU_CLIENT_AUTH || oid == crate::x509::EKU_ANY);
        (!allows).then(|| {
            csr_finding(
                context,
                "csr.eku-mismatch",
                Severity::Warning,
                "the request asks for an extendedKeyUsage without clientAuth; a certificate copying it cannot authenticate a client".into(),
                "Request extendedKeyUsage clientAuth (openssl req -addext extendedKeyUsage=clientAuth).",
            )
        })
    },
};

pub static STRUCTURE: CsrRule =
    CsrRule {
        info: RuleInfo {
            code: "csr.structure",
            severity: Severity::Warning,
            summary: "the request departs from RFC 2986 in a way this tool tolerated",
            citation: "RFC 2986 section 4",
        },
        check: |context| {
            (!context.csr.notes.is_empty()).then(|| {
                csr_finding(
                context,
                "csr.structure",
                Severity::Warning,
                format!("the request is not strictly RFC 2986: {}", context.csr.notes.join("; ")),
                "Strict CAs may reject it; generate it again with a current tool (openssl req).",
            )
            })
        },
    };

/// Every CSR rule, in report order.
pub static RULES: &[&CsrRule] = &[
    &BAD_SIGNATURE,
    &UNSUPPORTED_SIGNATURE_ALGORITHM,
    &WEAK_SIGNATURE_ALGORITHM,
    &KEY,
    &WEAK_KEY,
    &REQUESTS_CA,
    &CHALLENGE_PASSWORD,
    &NO_IDENTITY,
    &EMPTY_EXTENSION_REQUEST,
    &EKU_WITHOUT_CLIENT_AUTH,
    &STRUCTURE,
];

/// Runs every CSR rule over one request.
pub fn check(context: &CsrContext) -> Vec<Finding> {
    RULES
        .iter()
        .filter_map(|rule| (rule.check)(context))
        .collect()
}

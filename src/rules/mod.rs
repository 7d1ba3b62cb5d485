//! The rule registry. A rule is a value with a `code`, a `severity` (the
//! most serious it reports), a `citation`, an `applies` test and a `check`.
//! The registry runs the rules and keeps the list printable, so docs do not
//! drift from code. Codes the chain and input stages emit are registered here
//! too, as metadata, so that every code a report can carry is listed.

pub mod certificate;
pub mod csr;
pub mod listing;
pub mod truststore;

use serde::Serialize;

use crate::report::{Finding, Severity};

/// The metadata every rule declares up front.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RuleInfo {
    pub code: &'static str,
    /// The maximum severity the rule reports. Profiles and roles may lower it.
    pub severity: Severity,
    pub summary: &'static str,
    pub citation: &'static str,
}

/// Builds a finding with no gateway message.
pub fn finding(
    code: &str,
    severity: Severity,
    message: String,
    subject: Option<String>,
    item: Option<usize>,
    help: &str,
) -> Finding {
    Finding {
        code: code.to_string(),
        severity,
        message,
        subject,
        item,
        gateway_message: None,
        help: help.to_string(),
        position: None,
    }
}

/// Codes emitted by the chain and input stages, listed for the registry.
pub const STAGE_CODES: &[RuleInfo] = &[
    RuleInfo { code: "chain.unknown-issuer", severity: Severity::Error, summary: "no issuer for a certificate in the truststore (or the presented chain)", citation: "RFC 5280 6.1; API Gateway: the issuer must be in the truststore" },
    RuleInfo { code: "chain.issuer-not-in-truststore", severity: Severity::Error, summary: "the issuer is only among the certificates the client sent, and the profile needs it in the truststore", citation: "API Gateway: the truststore must hold the complete chain" },
    RuleInfo { code: "chain.too-long", severity: Severity::Error, summary: "the path has more CA certificates than the profile allows", citation: "profile limit max_ca_certificates" },
    RuleInfo { code: "chain.self-signed-leaf", severity: Severity::Error, summary: "a self-signed client certificate that is not itself trusted", citation: "RFC 5280 6.1" },
    RuleInfo { code: "chain.bad-signature", severity: Severity::Error, summary: "a signature on the path does not verify", citation: "RFC 5280 6.1.3 (a)(1)" },
    RuleInfo { code: "chain.not-a-ca", severity: Severity::Error, summary: "an issuer on the path lacks basicConstraints CA:TRUE or keyCertSign", citation: "RFC 5280 6.1.4 (k), (n)" },
    RuleInfo { code: "chain.ca-as-leaf", severity: Severity::Error, summary: "the client certificate is a CA certificate", citation: "rustls-webpki end-entity rule" },
    RuleInfo { code: "chain.path-len-exceeded", severity: Severity::Error, summary: "a pathLenConstraint is violated", citation: "RFC 5280 6.1.4 (l), (m)" },
    RuleInfo { code: "chain.name-constraints", severity: Severity::Error, summary: "a name constraint is violated", citation: "RFC 5280 4.2.1.10" },
    RuleInfo { code: "chain.directory-name-constraints", severity: Severity::Info, summary: "directory-name or e-mail constraints were evaluated by mtls-check because rustls-webpki rejects them all", citation: "RFC 5280 4.2.1.10" },
    RuleInfo { code: "chain.eku-mismatch", severity: Severity::Error, summary: "the extended key usage does not allow the requested usage", citation: "RFC 5280 4.2.1.12" },
    RuleInfo { code: "chain.name-mismatch", severity: Severity::Error, summary: "the leaf is not valid for the requested peer name", citation: "RFC 6125; RFC 5280 4.2.1.6" },
    RuleInfo { code: "chain.key-usage-mismatch", severity: Severity::Error, summary: "the leaf's keyUsage lacks a bit the caller requires", citation: "RFC 5280 4.2.1.3" },
    RuleInfo { code: "chain.budget-exceeded", severity: Severity::Error, summary: "path building gave up after its signature or search budget", citation: "rustls-webpki path-building budget" },
    RuleInfo { code: "chain.invalid", severity: Severity::Error, summary: "the path is invalid for a reason without a more specific code", citation: "RFC 5280 6.1" },
    RuleInfo { code: "chain.candidate-rejected", severity: Severity::Info, summary: "a certificate with the issuer's name was tried and rejected", citation: "RFC 4158 path building" },
    RuleInfo { code: "input.private-key", severity: Severity::Error, summary: "a private key was supplied; it is never accepted and never echoed", citation: "key material must never leave its owner" },
    RuleInfo { code: "input.malformed", severity: Severity::Error, summary: "a block that does not decode; the rest is still checked", citation: "RFC 7468; RFC 5280 4.1" },
    RuleInfo { code: "input.not-a-certificate", severity: Severity::Error, summary: "a PEM block of another kind (CRL, CSR, PKCS#7 ...)", citation: "RFC 7468" },
    RuleInfo { code: "input.no-certificate", severity: Severity::Error, summary: "an input holds no usable certificate or request", citation: "usage" },
    RuleInfo { code: "input.limit-exceeded", severity: Severity::Error, summary: "an input, or the work it needs, goes past one of the limits in src/limits.rs", citation: "input limits" },
];

/// Codes of the fixed truststore (`lint --fix`): each reports one change, as info.
pub const FIX_CODES: &[RuleInfo] = &[
    RuleInfo { code: "fix.removed-duplicate", severity: Severity::Info, summary: "a second copy of a certificate was removed", citation: "truststore.duplicate" },
    RuleInfo { code: "fix.removed-leaf-certificate", severity: Severity::Info, summary: "a certificate that is not a CA was removed", citation: "truststore.leaf-certificate" },
    RuleInfo { code: "fix.removed-expired-ca", severity: Severity::Info, summary: "an expired CA was removed because the bundle holds a valid certificate with the same subject and key", citation: "cert.expired" },
    RuleInfo { code: "fix.removed-private-key", severity: Severity::Info, summary: "a private key block was removed; its bytes are never echoed", citation: "input.private-key" },
    RuleInfo { code: "fix.removed-non-certificate", severity: Severity::Info, summary: "a PEM block of another kind (CRL, CSR, PKCS#7 ...) was removed", citation: "input.not-a-certificate" },
    RuleInfo { code: "fix.removed-malformed", severity: Severity::Info, summary: "a block that does not decode was removed", citation: "input.malformed" },
    RuleInfo { code: "fix.normalized-format", severity: Severity::Info, summary: "the text was rewritten as PEM with LF line ends, no BOM, no blank lines and no text between blocks", citation: "truststore.format; ALB and CloudFront bundle format rules" },
    RuleInfo { code: "fix.reordered", severity: Severity::Info, summary: "the CAs were ordered root first, each after its issuer", citation: "readability only; gateways read the bundle as a set" },
];

/// Reason codes of the authorizer decision (`authorize`), carried in the
/// response's context rather than in a report.
pub const AUTHORIZE_CODES: &[RuleInfo] = &[
    RuleInfo { code: "policy.issuer-not-allowed", severity: Severity::Error, summary: "the client certificate's issuer is not among the policy's allowed issuers", citation: "authorizer policy allowedIssuers" },
    RuleInfo { code: "policy.subject-not-allowed", severity: Severity::Error, summary: "the client certificate's subject matches no subject pattern", citation: "authorizer policy subjectPatterns" },
    RuleInfo { code: "policy.san-not-allowed", severity: Severity::Error, summary: "no subjectAltName matches a SAN pattern", citation: "authorizer policy sanPatterns" },
    RuleInfo { code: "policy.fingerprint-not-pinned", severity: Severity::Error, summary: "the SHA-256 fingerprint is not among the pinned fingerprints", citation: "authorizer policy fingerprints" },
    RuleInfo { code: "policy.serial-denied", severity: Severity::Error, summary: "the serial number is on the deny list", citation: "authorizer policy deniedSerials" },
    RuleInfo { code: "event.invalid", severity: Severity::Error, summary: "the authorizer event is not JSON", citation: "API Gateway Lambda authorizer input" },
    RuleInfo { code: "event.no-client-certificate", severity: Severity::Error, summary: "the event carries no clientCertPem", citation: "API Gateway Lambda authorizer input: requestContext.identity.clientCert (REST, payload 1.0) or requestContext.authentication.clientCert (payload 2.0)" },
    RuleInfo { code: "event.malformed-certificate", severity: Severity::Error, summary: "clientCertPem holds no certificate that decodes", citation: "RFC 7468" },
];

/// Lists every rule's metadata: certificate, truststore and CSR rules, then stage codes.
pub fn registry() -> Vec<RuleInfo> {
    let mut all: Vec<RuleInfo> = Vec::new();
    all.extend(certificate::RULES.iter().map(|r| r.info));
    all.extend(truststore::CODES.iter().copied());
    all.extend(csr::RULES.iter().map(|r| r.info));
    all.extend(STAGE_CODES.iter().copied());
    all.extend(FIX_CODES.iter().copied());
    all.extend(AUTHORIZE_CODES.iter().copied());
    all.extend(crate::crl::CODES.iter().copied());
    all.extend(crate::forwarded::report::CODES.iter().copied());
    all
}

/// True when `code` is in the registry.
pub fn is_registered(code: &str) -> bool {
    registry().iter().any(|info| info.code == code)
}

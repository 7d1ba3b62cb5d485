//! The TLS alert a gateway sends when it refuses a client certificate, by
//! the finding code that decided the refusal.
//!
//! Managed gateways end TLS with OpenSSL-style stacks, which turn the
//! verify error into an alert. A missing or unusable issuer gives
//! `unknown_ca` and an expired certificate `certificate_expired`. A purpose
//! (EKU) failure gives `unsupported_certificate`, a revoked certificate
//! `certificate_revoked`, and a signature that does not verify
//! `decrypt_error`. Every other certificate problem gives `bad_certificate`.
//!
//! The table agrees with OpenSSL 3's own verify-error-to-alert table: a
//! not-yet-valid certificate gives `bad_certificate` there, not
//! `certificate_expired`, and a purpose failure `unsupported_certificate`.
//! Which alert each gateway puts on the wire has not been captured. The
//! documented outcome is only that the handshake fails or the request gets 403.

use rustls::{AlertDescription, CertificateError};

use crate::report::{Finding, Report, Severity, Verdict};

/// A fatal TLS alert sent to a refused client (RFC 8446 6.2, RFC 5246 7.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    UnknownCa,
    CertificateExpired,
    BadCertificate,
    UnsupportedCertificate,
    CertificateRevoked,
    DecryptError,
}

impl Alert {
    /// Returns the alert's name as RFC 8446 spells it.
    pub fn name(self) -> &'static str {
        match self {
            Alert::UnknownCa => "unknown_ca",
            Alert::CertificateExpired => "certificate_expired",
            Alert::BadCertificate => "bad_certificate",
            Alert::UnsupportedCertificate => "unsupported_certificate",
            Alert::CertificateRevoked => "certificate_revoked",
            Alert::DecryptError => "decrypt_error",
        }
    }

    /// Returns the rustls alert description.
    pub fn description(self) -> AlertDescription {
        match self {
            Alert::UnknownCa => AlertDescription::UnknownCA,
            Alert::CertificateExpired => AlertDescription::CertificateExpired,
            Alert::BadCertificate => AlertDescription::BadCertificate,
            Alert::UnsupportedCertificate => AlertDescription::UnsupportedCertificate,
            Alert::CertificateRevoked => AlertDescription::CertificateRevoked,
            Alert::DecryptError => AlertDescription::DecryptError,
        }
    }

    /// Returns the rustls certificate error that makes rustls send this alert.
    pub fn certificate_error(self) -> CertificateError {
        match self {
            Alert::UnknownCa => CertificateError::UnknownIssuer,
            Alert::CertificateExpired => CertificateError::Expired,
            Alert::BadCertificate => CertificateError::BadEncoding,
            Alert::UnsupportedCertificate => CertificateError::InvalidPurpose,
            Alert::CertificateRevoked => CertificateError::Revoked,
            Alert::DecryptError => CertificateError::UnsupportedSignatureAlgorithmContext {
                signature_algorithm_id: Vec::new(),
                supported_algorithms: Vec::new(),
            },
        }
    }
}

/// Finding codes with an alert other than `bad_certificate`.
const ALERTS: &[(&str, Alert)] = &[
    ("chain.unknown-issuer", Alert::UnknownCa),
    ("chain.issuer-not-in-truststore", Alert::UnknownCa),
    ("chain.self-signed-leaf", Alert::UnknownCa),
    ("chain.too-long", Alert::UnknownCa),
    ("chain.not-a-ca", Alert::UnknownCa),
    ("chain.path-len-exceeded", Alert::UnknownCa),
    ("chain.budget-exceeded", Alert::UnknownCa),
    ("cert.expired", Alert::CertificateExpired),
    ("chain.eku-mismatch", Alert::UnsupportedCertificate),
    ("chain.key-usage-mismatch", Alert::UnsupportedCertificate),
    ("cert.unsupported-key", Alert::UnsupportedCertificate),
    (
        "cert.unsupported-signature-algorithm",
        Alert::UnsupportedCertificate,
    ),
    ("chain.revoked", Alert::CertificateRevoked),
    ("chain.bad-signature", Alert::DecryptError),
];

/// Returns the alert for a finding code; codes not in the table, such as
/// `cert.not-yet-valid`, `cert.weak-key` or `input.malformed`, give `bad_certificate`.
pub fn alert_for_code(code: &str) -> Alert {
    ALERTS
        .iter()
        .find(|(listed, _)| *listed == code)
        .map(|(_, alert)| *alert)
        .unwrap_or(Alert::BadCertificate)
}

/// Returns the error finding that decides a deny: the first error in the
/// report's order, which puts path findings before the rest.
pub fn deciding_finding(report: &Report) -> Option<&Finding> {
    if report.verdict != Verdict::Deny {
        return None;
    }
    report
        .findings
        .iter()
        .find(|finding| finding.severity == Severity::Error)
}

/// Returns the alert for a report, or `None` when the report accepts.
pub fn alert_for_report(report: &Report) -> Option<Alert> {
    if report.verdict != Verdict::Deny {
        return None;
    }
    Some(
        deciding_finding(report)
            .map(|finding| alert_for_code(&finding.code))
            .unwrap_or(Alert::BadCertificate),
    )
}

/// Writes the gateway's log line for a deny: the finding's own gateway
/// message where the profile has one, else `Access denied. Reason: ` and
/// the finding's message.
pub fn access_denied_line(finding: &Finding) -> String {
    match &finding.gateway_message {
        Some(line) => line.clone(),
        None => format!("Access denied. Reason: {}", finding.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_maps_the_fixed_codes() {
        let expected = [
            ("chain.unknown-issuer", "unknown_ca"),
            ("chain.issuer-not-in-truststore", "unknown_ca"),
            ("chain.self-signed-leaf", "unknown_ca"),
            ("chain.too-long", "unknown_ca"),
            ("chain.not-a-ca", "unknown_ca"),
            ("chain.path-len-exceeded", "unknown_ca"),
            ("cert.expired", "certificate_expired"),
            ("cert.not-yet-valid", "bad_certificate"),
            ("chain.eku-mismatch", "unsupported_certificate"),
            ("cert.unsupported-key", "unsupported_certificate"),
            (
                "cert.unsupported-signature-algorithm",
                "unsupported_certificate",
            ),
            ("cert.weak-signature-algorithm", "bad_certificate"),
            ("cert.weak-key", "bad_certificate"),
            ("cert.v1", "bad_certificate"),
            ("chain.name-constraints", "bad_certificate"),
            ("chain.revoked", "certificate_revoked"),
            ("chain.bad-signature", "decrypt_error"),
            ("input.malformed", "bad_certificate"),
        ];
        for (code, alert) in expected {
            assert_eq!(alert_for_code(code).name(), alert, "{code}");
        }
    }

    #[test]
    fn table_lists_only_registered_codes() {
        for (code, _) in ALERTS {
            assert!(crate::rules::is_registered(code), "{code}");
        }
    }

    #[test]
    fn certificate_errors_give_the_alert() {
        for alert in [
            Alert::UnknownCa,
            Alert::CertificateExpired,
            Alert::BadCertificate,
            Alert::UnsupportedCertificate,
            Alert::CertificateRevoked,
            Alert::DecryptError,
        ] {
            assert_eq!(
                AlertDescription::from(alert.certificate_error()),
                alert.description(),
                "{}",
                alert.name()
            );
        }
    }
}

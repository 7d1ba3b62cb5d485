//! Revocation through the CLI: `--crl` on verify and lint, the CRL's own
//! checks, and the profiles' revocation rules.

mod common;

use common::{codes, fixture, run_cli, FIXTURE_TIME};
use serde_json::Value;

/// Runs `verify` with the CRLs and returns the exit code and the JSON report.
fn verify(chain: &str, truststore: &str, profile: &str, crls: &[&str]) -> (i32, Value) {
    let chain = fixture(chain);
    let truststore = fixture(truststore);
    let crl_paths: Vec<String> = crls.iter().map(|name| fixture(name)).collect();
    let mut args = vec![
        "verify",
        &chain,
        "--truststore",
        &truststore,
        "--profile",
        profile,
        "--at",
        FIXTURE_TIME,
        "--format",
        "json",
    ];
    for path in &crl_paths {
        args.extend(["--crl", path.as_str()]);
    }
    let run = run_cli(&args, None);
    (run.code, run.json())
}

fn lint(truststore: &str, profile: &str, crls: &[&str]) -> (i32, Value) {
    let truststore = fixture(truststore);
    let crl_paths: Vec<String> = crls.iter().map(|name| fixture(name)).collect();
    let mut args = vec![
        "lint",
        &truststore,
        "--profile",
        profile,
        "--at",
        FIXTURE_TIME,
        "--format",
        "json",
    ];
    for path in &crl_paths {
        args.extend(["--crl", path.as_str()]);
    }
    let run = run_cli(&args, None);
    (run.code, run.json())
}

fn finding<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .and_then(|list| list.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no {code} finding in {report:#}"))
}

#[test]
fn revoked_leaf_denied_under_rfc5280() {
    let (code, report) = verify(
        "revoked-leaf-chain.pem",
        "p256-truststore.pem",
        "rfc5280",
        &["p256-inter-crl.pem"],
    );
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "deny");
    let revoked = finding(&report, "chain.revoked");
    assert_eq!(revoked["severity"], "error");
    assert_eq!(revoked["item"], 0);
    assert_eq!(revoked["subject"], "CN=client-revoked,O=Example");
    let message = revoked["message"].as_str().unwrap_or_default();
    assert!(message.contains("2025-01-01T00:00:00Z"), "{message}");
    assert!(message.contains("reason unspecified"), "{message}");
}

#[test]
fn revoked_leaf_accepted_without_crl() {
    let (code, report) = verify(
        "revoked-leaf-chain.pem",
        "p256-truststore.pem",
        "rfc5280",
        &[],
    );
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "accept");
    assert!(codes(&report).is_empty(), "{:?}", codes(&report));
}

#[test]
fn crl_listed_as_item() {
    let (_, report) = verify(
        "revoked-leaf-chain.pem",
        "p256-truststore.pem",
        "rfc5280",
        &["p256-inter-crl.pem"],
    );
    let items = report["items"].as_array().cloned().unwrap_or_default();
    let crl = items.last().expect("items");
    assert_eq!(crl["kind"], "crl");
    assert_eq!(crl["role"], "crl");
    assert_eq!(crl["ok"], true);
}

#[test]
fn revocation_reason_and_date_reported() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-inter-crl.pem"],
    );
    assert_eq!(report["verdict"], "deny");
    let message = finding(&report, "chain.revoked")["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("keyCompromise"), "{message}");
    assert!(message.contains("2025-01-01T00:00:00Z"), "{message}");
}

#[test]
fn apigw_warns_revoked_but_accepts() {
    let (code, report) = verify(
        "revoked-leaf-chain.pem",
        "p256-truststore.pem",
        "apigw-rest",
        &["p256-inter-crl.pem"],
    );
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "accept");
    let revoked = finding(&report, "chain.revoked");
    assert_eq!(revoked["severity"], "warning");
    assert!(revoked["help"]
        .as_str()
        .unwrap_or_default()
        .contains("Lambda authorizer"));
}

#[test]
fn cloudflare_flags_revoked_but_accepts() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "cloudflare",
        &["crl-pki-inter-crl.pem"],
    );
    assert_eq!(report["verdict"], "accept");
    assert_eq!(finding(&report, "chain.revoked")["severity"], "warning");
}

#[test]
fn expired_crl_revokes_nothing() {
    let (code, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-inter-expired-crl.pem"],
    );
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "accept");
    assert_eq!(finding(&report, "crl.expired")["severity"], "warning");
    assert!(!codes(&report).contains(&"chain.revoked".to_string()));
}

#[test]
fn not_yet_valid_crl_revokes_nothing() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-inter-not-yet-valid-crl.pem"],
    );
    assert_eq!(report["verdict"], "accept");
    finding(&report, "crl.not-yet-valid");
    assert!(!codes(&report).contains(&"chain.revoked".to_string()));
}

#[test]
fn wrongly_signed_crl_revokes_nothing() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-wrong-key-crl.pem"],
    );
    assert_eq!(report["verdict"], "accept");
    finding(&report, "crl.bad-signature");
    assert!(!codes(&report).contains(&"chain.revoked".to_string()));
}

#[test]
fn unknown_issuer_crl_revokes_nothing() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-unknown-issuer-crl.pem"],
    );
    assert_eq!(report["verdict"], "accept");
    finding(&report, "crl.unknown-issuer");
}

#[test]
fn bad_crl_beside_good_crl_still_revokes() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-wrong-key-crl.pem", "crl-pki-inter-crl.pem"],
    );
    assert_eq!(report["verdict"], "deny");
    finding(&report, "crl.bad-signature");
    finding(&report, "chain.revoked");
}

#[test]
fn certificate_as_crl_is_malformed() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["p256-root.pem"],
    );
    assert_eq!(report["verdict"], "accept");
    finding(&report, "crl.malformed");
}

#[test]
fn alb_der_crl_needs_conversion() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "alb",
        &["crl-pki-inter-crl.der"],
    );
    assert_eq!(report["verdict"], "deny");
    let note = finding(&report, "crl.not-pem");
    assert!(note["help"]
        .as_str()
        .unwrap_or_default()
        .contains("openssl crl -inform DER"));
    finding(&report, "chain.revoked");
}

#[test]
fn der_crl_without_note_outside_alb() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "rfc5280",
        &["crl-pki-inter-crl.der"],
    );
    assert_eq!(report["verdict"], "deny");
    assert!(!codes(&report).contains(&"crl.not-pem".to_string()));
}

#[test]
fn alb_revoked_intermediate_denied() {
    let (_, report) = verify(
        "crl-pki-revoked-chain.pem",
        "crl-pki-truststore.pem",
        "alb",
        &["crl-pki-root-crl.pem"],
    );
    assert_eq!(report["verdict"], "deny");
    let revoked = finding(&report, "chain.revoked");
    assert_eq!(revoked["subject"], "CN=Example CRL Issuing CA,O=Example");
    assert!(revoked["message"]
        .as_str()
        .unwrap_or_default()
        .contains("cACompromise"));
}

#[test]
fn alb_notes_negative_serial_not_revocable() {
    let (_, report) = verify(
        "negative-serial-leaf-chain.pem",
        "p256-truststore.pem",
        "alb",
        &["p256-inter-crl.pem"],
    );
    assert_eq!(
        finding(&report, "crl.negative-serial-not-revocable")["severity"],
        "info"
    );
}

#[test]
fn lint_flags_revoked_ca() {
    let (code, report) = lint("crl-pki-truststore.pem", "alb", &["crl-pki-root-crl.pem"]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "fail");
    let revoked = finding(&report, "truststore.revoked");
    assert_eq!(revoked["severity"], "error");
    assert_eq!(revoked["subject"], "CN=Example CRL Issuing CA,O=Example");
}

#[test]
fn lint_reports_bad_crl_as_error() {
    let (_, report) = lint(
        "crl-pki-truststore.pem",
        "alb",
        &["crl-pki-inter-expired-crl.pem"],
    );
    assert_eq!(report["verdict"], "fail");
    assert_eq!(finding(&report, "crl.expired")["severity"], "error");
}

#[test]
fn lint_without_revoked_ca_passes() {
    let (_, report) = lint("crl-pki-truststore.pem", "alb", &["crl-pki-inter-crl.pem"]);
    assert_eq!(report["verdict"], "pass", "{:?}", codes(&report));
}

#[test]
fn revocation_codes_registered() {
    let runs = [
        verify(
            "crl-pki-revoked-chain.pem",
            "crl-pki-truststore.pem",
            "alb",
            &[
                "crl-pki-inter-crl.der",
                "crl-pki-wrong-key-crl.pem",
                "crl-pki-inter-expired-crl.pem",
                "crl-pki-inter-not-yet-valid-crl.pem",
                "crl-pki-unknown-issuer-crl.pem",
                "p256-root.pem",
            ],
        ),
        lint("crl-pki-truststore.pem", "alb", &["crl-pki-root-crl.pem"]),
        verify(
            "negative-serial-leaf-chain.pem",
            "p256-truststore.pem",
            "alb",
            &["p256-inter-crl.pem"],
        ),
    ];
    for (_, report) in runs {
        for code in codes(&report) {
            assert!(mtls_check::rules::is_registered(&code), "{code}");
        }
    }
}

//! The rustls verifier against `mtls-check verify` on every verify case in
//! tests/data/cases. Given the chain's certificates as a TLS client sends
//! them, the verifier must reach the CLI's verdict with the same findings.
//! A refusal must carry the alert the table maps from the deciding finding.

#![cfg(feature = "server")]

mod common;

use std::path::Path;

use common::run_cli;
use mtls_check::report::Verdict;
use mtls_check::server::alert::alert_for_report;
use mtls_check::server::serve::crypto_provider;
use mtls_check::server::{CaNames, CheckTime, DenyAction, GatewayVerifier, VerifierConfig};
use mtls_check::{parse_time, parse_usage, Options};
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::ClientCertVerifier;
use serde_json::Value;

/// One finding reduced to what both sides must share.
type FindingKey = (String, String, Option<String>);

fn finding_keys(findings: &Value) -> Vec<FindingKey> {
    findings
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|finding| {
            (
                finding["code"].as_str().unwrap_or_default().to_string(),
                finding["severity"].as_str().unwrap_or_default().to_string(),
                finding["subject"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Returns the chain file's certificates as DER, or `None` when a block is not a
/// certificate a TLS client could send.
fn chain_certificates(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    let blocks = mtls_check::input::decode(bytes, "chain").blocks;
    let mut ders = Vec::new();
    for block in blocks {
        if block.kind != mtls_check::input::BlockKind::Certificate {
            return None;
        }
        ders.push(block.der.ok()?);
    }
    Some(ders)
}

/// Runs one case through the CLI and the verifier; returns the problems found.
fn compare_case(dir: &Path) -> Result<Vec<String>, String> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("case.json")).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let profile = manifest["profile"].as_str().unwrap_or("apigw-rest");
    let at = manifest["at"].as_str().unwrap_or_default();
    let usage = manifest["usage"].as_str().unwrap_or("client");
    let chain_file = manifest["inputs"]["chain"].as_str().unwrap_or_default();
    let truststore_file = manifest["inputs"]["truststore"]
        .as_str()
        .unwrap_or_default();

    let cli = run_cli(
        &[
            "verify",
            chain_file,
            "--truststore",
            truststore_file,
            "--usage",
            usage,
            "--profile",
            profile,
            "--at",
            at,
            "--format",
            "json",
        ],
        Some(dir),
    );
    let expected: Value = serde_json::from_str(&cli.stdout)
        .map_err(|e| format!("{name}: CLI output is not JSON ({e}): {}", cli.stderr))?;

    let chain_bytes = std::fs::read(dir.join(chain_file)).map_err(|e| e.to_string())?;
    let truststore = std::fs::read(dir.join(truststore_file)).map_err(|e| e.to_string())?;
    let ders = chain_certificates(&chain_bytes)
        .ok_or_else(|| format!("{name}: the chain holds a block that is not a certificate"))?;
    let (leaf, intermediates) = ders
        .split_first()
        .ok_or_else(|| format!("{name}: the chain holds no certificate"))?;

    let at_seconds = parse_time(at).map_err(|e| e.to_string())?;
    let mut options = Options::new(profile, at_seconds);
    options.usage = parse_usage(usage).map_err(|e| e.to_string())?;
    let config = VerifierConfig {
        options,
        check_time: CheckTime::Pinned(at_seconds),
        deny_action: DenyAction::FailHandshake,
        ca_names: CaNames::Withheld,
    };
    let verifier = GatewayVerifier::new(&truststore, config, &crypto_provider())
        .map_err(|e| format!("{name}: {e}"))?;
    let leaf_der = CertificateDer::from(leaf.clone());
    let intermediate_ders: Vec<CertificateDer> = intermediates
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    let outcome = verifier.verify_client_cert(
        &leaf_der,
        &intermediate_ders,
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(0)),
    );
    let decision = verifier
        .decision_for(leaf)
        .ok_or_else(|| format!("{name}: the verifier kept no decision for the leaf"))?;
    let actual = serde_json::to_value(&decision.report).map_err(|e| e.to_string())?;

    let mut problems = Vec::new();
    if actual["verdict"] != expected["verdict"] {
        problems.push(format!(
            "{name}: verifier verdict {} but verify {}",
            actual["verdict"], expected["verdict"]
        ));
    }
    let expected_findings = finding_keys(&expected["findings"]);
    let actual_findings = finding_keys(&actual["findings"]);
    if actual_findings != expected_findings {
        problems.push(format!(
            "{name}: verifier findings {actual_findings:?} but verify {expected_findings:?}"
        ));
    }
    let accepted = decision.report.verdict == Verdict::Accept;
    match (&outcome, accepted) {
        (Ok(_), true) => {}
        (Err(rustls::Error::InvalidCertificate(error)), false) => {
            let sent = rustls::AlertDescription::from(error.clone());
            let mapped = alert_for_report(&decision.report).map(|alert| alert.description());
            if Some(sent) != mapped {
                problems.push(format!(
                    "{name}: alert {sent:?} but the table maps {mapped:?}"
                ));
            }
        }
        (other, _) => problems.push(format!(
            "{name}: handshake outcome {other:?} does not match verdict {}",
            actual["verdict"]
        )),
    }
    Ok(problems)
}

#[test]
fn verifier_matches_verify_on_every_case() {
    let cases = common::repo_root().join("tests/data/cases");
    let mut compared = 0;
    let mut problems = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&cases)
        .expect("tests/data/cases is readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("case.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("case.json")).expect("case.json reads"),
        )
        .expect("case.json is JSON");
        let is_verify_case = manifest["command"] == "verify"
            && manifest["inputs"]["chain"].is_string()
            && manifest["inputs"]["truststore"].is_string();
        if !is_verify_case {
            continue;
        }
        compared += 1;
        match compare_case(&dir) {
            Ok(found) => problems.extend(found),
            Err(error) => problems.push(error),
        }
    }
    assert!(compared >= 10, "only {compared} verify cases found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

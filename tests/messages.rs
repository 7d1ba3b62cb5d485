//! Wording of findings, help and errors that depends on the command or
//! option: the input each command expects, the usage each EKU help names,
//! and the usage errors for bad option values.

mod common;

use common::{fixture, run_cli, FIXTURE_TIME};
use mtls_check::report::sarif;
use mtls_check::report::Report;
use mtls_check::{
    inspect_csr, lint_truststore, parse_time, verify_chain, Options, OptionsError, Usage,
};
use serde_json::Value;

fn options() -> Options {
    Options::new("apigw-rest", parse_time(FIXTURE_TIME).unwrap_or_default())
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_default()
}

/// Returns the help of every finding with `code`.
fn helps(report: &Report, code: &str) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|finding| finding.code == code)
        .map(|finding| finding.help.clone())
        .collect()
}

#[test]
fn csr_given_certificate_asks_for_request() {
    let report = inspect_csr(&read("p256-chain.pem"), &options()).expect("valid options");

    let not_a_request = helps(&report, "input.not-a-certificate");
    assert!(!not_a_request.is_empty(), "{:?}", report.findings);
    for help in not_a_request {
        assert!(help.contains("CERTIFICATE REQUEST"), "{help}");
        assert!(!help.contains("Pass only PEM CERTIFICATE blocks"), "{help}");
    }
    for help in helps(&report, "input.no-certificate") {
        assert!(help.contains("CERTIFICATE REQUEST"), "{help}");
    }
}

#[test]
fn csr_given_garbage_asks_for_request() {
    let report = inspect_csr(b"garbage\n", &options()).expect("valid options");

    let no_request = helps(&report, "input.no-certificate");
    assert_eq!(no_request.len(), 1, "{:?}", report.findings);
    for help in no_request {
        assert!(
            help.contains("-----BEGIN CERTIFICATE REQUEST-----"),
            "{help}"
        );
        assert!(help.contains("PKCS#10"), "{help}");
    }
}

#[test]
fn eku_help_names_server_auth_for_server_usage() {
    let mut options = Options::new("rfc5280", parse_time(FIXTURE_TIME).unwrap_or_default());
    options.usage = Usage::Server;
    let report = verify_chain(
        &read("p256-chain.pem"),
        &read("p256-truststore.pem"),
        &options,
    )
    .expect("valid options");

    let eku_helps = helps(&report, "chain.eku-mismatch");
    assert!(!eku_helps.is_empty(), "{:?}", report.findings);
    for help in eku_helps {
        assert!(help.contains("serverAuth"), "{help}");
        assert!(!help.contains("clientAuth"), "{help}");
    }
}

#[test]
fn eku_help_names_client_auth_for_client_usage() {
    let report = verify_chain(
        &read("server-eku-leaf-chain.pem"),
        &read("p256-truststore.pem"),
        &options(),
    )
    .expect("valid options");

    let eku_helps = helps(&report, "chain.eku-mismatch");
    assert!(!eku_helps.is_empty(), "{:?}", report.findings);
    for help in eku_helps {
        assert!(help.contains("clientAuth"), "{help}");
    }
}

#[test]
fn malformed_peer_name_is_usage_error() {
    let run = run_cli(
        &[
            "verify",
            &fixture("server-leaf-chain.pem"),
            "--truststore",
            &fixture("p256-truststore.pem"),
            "--profile",
            "rfc5280",
            "--usage",
            "server",
            "--peer-name",
            "bad name!",
            "--at",
            FIXTURE_TIME,
        ],
        None,
    );

    assert_eq!(
        run.code, 2,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.contains("--peer-name"), "{}", run.stderr);
    assert!(run.stderr.contains("\"bad name!\""), "{}", run.stderr);
    assert!(run.stderr.contains("DNS name"), "{}", run.stderr);
    assert!(run.stderr.contains("IP address"), "{}", run.stderr);
    assert!(
        !run.stdout.contains("chain.name-mismatch"),
        "{}",
        run.stdout
    );
}

#[test]
fn malformed_peer_name_is_options_error() {
    let mut options = Options::new("rfc5280", parse_time(FIXTURE_TIME).unwrap_or_default());
    options.usage = Usage::Server;
    options.peer_name = Some("bad name!".into());

    let result = verify_chain(
        &read("server-leaf-chain.pem"),
        &read("p256-truststore.pem"),
        &options,
    );

    let error = result.expect_err("a malformed peer name is an options error");
    assert_eq!(error, OptionsError::InvalidPeerName("bad name!".into()));
}

#[test]
fn listing_help_offers_only_text_and_json() {
    for command in ["profiles", "rules"] {
        let help = run_cli(&[command, "--help"], None);
        assert_eq!(help.code, 0, "{command}: {}", help.stderr);
        assert!(help.stdout.contains("text"), "{command}: {}", help.stdout);
        assert!(help.stdout.contains("json"), "{command}: {}", help.stdout);
        assert!(!help.stdout.contains("sarif"), "{command}: {}", help.stdout);

        let sarif = run_cli(&[command, "--format", "sarif"], None);
        assert_eq!(sarif.code, 2, "{command}: {}", sarif.stderr);
    }
}

#[test]
fn sarif_locates_truststore_format_findings() {
    let options = Options::new("alb", parse_time(FIXTURE_TIME).unwrap_or_default());
    let report =
        lint_truststore(&read("format-text-truststore.pem"), &options).expect("valid options");
    let format_count = report
        .findings
        .iter()
        .filter(|finding| finding.code == "truststore.format")
        .count();
    assert!(format_count > 0, "{:?}", report.findings);

    let files = [("truststore", "bundle.pem".to_string())];
    let log: Value = serde_json::from_str(&sarif::render(&report, &files)).expect("SARIF is JSON");
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let format_results: Vec<&Value> = results
        .iter()
        .filter(|result| result["ruleId"] == "truststore.format")
        .collect();
    assert_eq!(format_results.len(), format_count);
    for result in format_results {
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(
            location["artifactLocation"]["uri"], "bundle.pem",
            "{result}"
        );
        assert!(
            location["region"]["startLine"]
                .as_u64()
                .is_some_and(|line| line >= 1),
            "{result}"
        );
        assert!(location["region"]["byteOffset"].is_u64(), "{result}");
    }
}

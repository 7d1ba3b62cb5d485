//! Wording of findings, help and errors that depends on the command or
//! option: the input each command expects, the usage each EKU help names,
//! and the usage errors for bad option values.

mod common;

use common::{fixture, FIXTURE_TIME};
use mtls_check::report::Report;
use mtls_check::{inspect_csr, parse_time, verify_chain, Options, Usage};

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

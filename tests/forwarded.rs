//! `mtls-check decode` through the CLI: forwarded certificates built from
//! the fixtures, decoded, listed and verified like `verify`.

mod common;

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{codes, fixture, run_cli, FIXTURE_TIME};
use serde_json::Value;

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture reads")
}

/// DER of the first PEM block of a fixture.
fn der_of(name: &str) -> Vec<u8> {
    let pem = read_fixture(name);
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).expect("fixture base64")
}

/// Writes `content` to a file in the target directory and returns its path.
fn sample(name: &str, content: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("forwarded-samples");
    std::fs::create_dir_all(&dir).expect("sample folder");
    let path = dir.join(name);
    std::fs::write(&path, content).expect("sample written");
    path
}

fn decode(input: &Path, truststore: Option<&str>) -> (i32, Value) {
    let input = input.display().to_string();
    let truststore = truststore.map(fixture);
    let mut args = vec![
        "decode",
        input.as_str(),
        "--at",
        FIXTURE_TIME,
        "--format",
        "json",
    ];
    if let Some(path) = &truststore {
        args.extend(["--truststore", path.as_str()]);
    }
    let run = run_cli(&args, None);
    (run.code, run.json())
}

fn alb_encode(pem: &str) -> String {
    pem.replace(' ', "%20")
        .replace('\n', "%0A")
        .replace('=', "%3D")
}

#[test]
fn alb_header_decoded_and_verified() {
    let chain = read_fixture("p256-chain.pem");
    let path = sample(
        "alb.txt",
        &format!("X-Amzn-Mtls-Clientcert: {}\n", alb_encode(&chain)),
    );
    let (code, report) = decode(&path, Some("p256-truststore.pem"));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["command"], "decode");
    assert_eq!(report["verdict"], "accept");
    assert_eq!(
        report["forwarded"]["formats"][0],
        "alb-x-amzn-mtls-clientcert"
    );
    assert_eq!(report["items"][0]["role"], "leaf");
    assert_eq!(report["items"][0]["encoding"], "url-encoded-pem");
    assert_eq!(
        report["items"][0]["origin"]["source"],
        "X-Amzn-Mtls-Clientcert certificate 1"
    );
    assert_eq!(report["path"]["accepted"], true);
}

#[test]
fn decode_without_truststore_lists_certificates() {
    let value = format!(
        "{},{}",
        STANDARD.encode(der_of("p256-leaf.pem")),
        STANDARD.encode(der_of("p256-inter.pem"))
    );
    let path = sample("traefik.txt", &value);
    let (code, report) = decode(&path, None);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["items"].as_array().map(Vec::len), Some(2));
    assert!(report.get("path").is_none());
}

#[test]
fn apigw_event_verified_with_metadata() {
    let leaf = read_fixture("p256-leaf.pem");
    let event = serde_json::json!({
        "requestContext": {"identity": {"clientCert": {
            "clientCertPem": leaf,
            "subjectDN": "O=Example,CN=client-001",
            "issuerDN": "CN=Example Issuing CA,O=Example",
        }}}
    });
    let path = sample("apigw-rest.json", &event.to_string());
    let (code, report) = decode(&path, Some("p256-truststore.pem"));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["verdict"], "accept");
    assert_eq!(report["forwarded"]["formats"][0], "apigw-rest-event");
    let metadata = report["forwarded"]["metadata"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(metadata.len(), 2);
    assert!(metadata.iter().all(|check| check["matches"] == true));
}

#[test]
fn apigw_metadata_mismatch_warns() {
    let leaf = read_fixture("p256-leaf.pem");
    let event = serde_json::json!({
        "requestContext": {"authentication": {"clientCert": {
            "clientCertPem": leaf,
            "subjectDN": "CN=client-002,O=Example",
        }}}
    });
    let path = sample("apigw-http-mismatch.json", &event.to_string());
    let (_, report) = decode(&path, Some("p256-truststore.pem"));
    assert_eq!(report["verdict"], "accept");
    assert!(codes(&report).contains(&"forwarded.metadata-mismatch".to_string()));
}

#[test]
fn damaged_xfcc_exits_2() {
    let path = sample(
        "xfcc-bad.txt",
        "x-forwarded-client-cert: Hash=00;Cert=\"-----BEGIN",
    );
    let (code, report) = decode(&path, Some("p256-truststore.pem"));
    assert_eq!(code, 2);
    assert_eq!(report["verdict"], "deny");
    let finding = report["findings"]
        .as_array()
        .and_then(|list| list.iter().find(|f| f["code"] == "forwarded.malformed"))
        .cloned()
        .expect("forwarded.malformed");
    assert_eq!(finding["severity"], "error");
    assert!(finding["message"]
        .as_str()
        .unwrap_or_default()
        .contains("unterminated quoted string at byte"));
}

#[test]
fn decode_codes_registered() {
    let path = sample(
        "mixed.txt",
        "Host: api.example.test\nClient-Cert: :bm90IGEgY2VydA==:\n",
    );
    let (_, report) = decode(&path, None);
    for code in codes(&report) {
        assert!(mtls_check::rules::is_registered(&code), "{code}");
    }
}

#[test]
fn text_output_names_format() {
    let chain = read_fixture("p256-chain.pem");
    let path = sample("alb-text.txt", &alb_encode(&chain));
    let path_text = path.display().to_string();
    let run = run_cli(&["decode", &path_text, "--at", FIXTURE_TIME], None);
    assert!(
        run.stdout
            .contains("forwarded as: alb-x-amzn-mtls-clientcert"),
        "{}",
        run.stdout
    );
}

#[test]
fn revoked_forwarded_client_denied() {
    let chain = read_fixture("revoked-leaf-chain.pem");
    let path = sample("alb-revoked.txt", &alb_encode(&chain));
    let input = path.display().to_string();
    let truststore = fixture("p256-truststore.pem");
    let crl = fixture("p256-inter-crl.pem");
    let run = run_cli(
        &[
            "decode",
            &input,
            "--truststore",
            &truststore,
            "--crl",
            &crl,
            "--profile",
            "rfc5280",
            "--at",
            FIXTURE_TIME,
            "--format",
            "json",
        ],
        None,
    );
    let report = run.json();
    assert_eq!(run.code, 1);
    assert_eq!(report["verdict"], "deny");
    assert!(codes(&report).contains(&"chain.revoked".to_string()));
}

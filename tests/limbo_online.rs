//! The `online::` chains of the x509-limbo suite, captured from public
//! sites, must all be accepted under rfc5280 with server usage, the
//! expected peer name and the recorded validation time.

mod common;

use common::{repo_root, run_cli};
use serde_json::Value;

fn pem_list(value: &Value) -> String {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn online_chains_are_accepted() {
    let limbo: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("tests/data/conformance/limbo.json"))
            .expect("limbo.json reads"),
    )
    .expect("limbo.json is JSON");
    let cases: Vec<&Value> = limbo["testcases"]
        .as_array()
        .expect("testcases is a list")
        .iter()
        .filter(|case| {
            case["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("online::"))
        })
        .collect();
    assert_eq!(cases.len(), 14);

    let dir = std::env::temp_dir().join(format!("mtls-check-limbo-online-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut problems = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or_default();
        let chain = format!(
            "{}\n{}",
            case["peer_certificate"].as_str().unwrap_or_default(),
            pem_list(&case["untrusted_intermediates"])
        );
        let chain_path = dir.join("chain.pem");
        let trust_path = dir.join("trust.pem");
        std::fs::write(&chain_path, chain).expect("write chain");
        std::fs::write(&trust_path, pem_list(&case["trusted_certs"])).expect("write truststore");
        let name = case["expected_peer_name"]["value"]
            .as_str()
            .unwrap_or_default();
        let at = case["validation_time"].as_str().unwrap_or_default();
        let run = run_cli(
            &[
                "verify",
                chain_path.to_str().unwrap_or_default(),
                "--truststore",
                trust_path.to_str().unwrap_or_default(),
                "--profile",
                "rfc5280",
                "--usage",
                "server",
                "--peer-name",
                name,
                "--at",
                at,
                "--format",
                "json",
            ],
            None,
        );
        let report = run.json();
        if report["verdict"] != "accept" || run.code != 0 {
            problems.push(format!(
                "{id}: verdict {} exit {}: {}",
                report["verdict"], run.code, report["findings"]
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

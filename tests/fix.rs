//! `lint --fix`: the rewritten truststore lints without the errors a fix can
//! remove, keeps the ones it cannot, and reports each change.

mod common;

use std::path::{Path, PathBuf};

use common::{codes, fixture, repo_root, run_cli, FIXTURE_TIME};
use serde_json::Value;

/// Error codes that removing, normalizing or reordering cannot clear.
const UNFIXABLE: &[&str] = &[
    "truststore.missing-issuer",
    "truststore.same-subject-different-key",
    "truststore.too-many-certificates",
    "truststore.too-large",
    "truststore.certificate-too-large",
    "cert.expired",
    "cert.not-yet-valid",
    "cert.weak-key",
    "cert.unsupported-key",
    "cert.weak-signature-algorithm",
    "cert.unsupported-signature-algorithm",
    "cert.v1",
    "cert.negative-serial",
    "cert.serial-too-long",
    "input.no-certificate",
];

fn error_codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter(|f| f["severity"] == "error")
                .filter_map(|f| f["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn output_path(tag: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mtls-check-fix-{tag}-{}.pem", std::process::id()))
}

/// Runs `lint --fix` and then `lint` on the output; returns both reports.
fn fix_then_lint(input: &Path, profile: &str, at: &str, tag: &str) -> (Value, Value, String) {
    let output = output_path(tag);
    let output_text = output.to_str().unwrap_or_default().to_string();
    let input_text = input.to_str().unwrap_or_default();
    let fixed = run_cli(
        &[
            "lint",
            input_text,
            "--profile",
            profile,
            "--at",
            at,
            "--fix",
            "-o",
            &output_text,
            "--format",
            "json",
        ],
        None,
    );
    let text = std::fs::read_to_string(&output).unwrap_or_default();
    let relinted = run_cli(
        &[
            "lint",
            &output_text,
            "--profile",
            profile,
            "--at",
            at,
            "--format",
            "json",
        ],
        None,
    );
    let _ = std::fs::remove_file(&output);
    (fixed.json(), relinted.json(), text)
}

#[test]
fn fix_every_lint_case() {
    let cases = repo_root().join("tests/data/cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(&cases).expect("cases folder reads") {
        let dir = entry.expect("entry reads").path();
        let manifest: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("case.json")).expect("case.json reads"),
        )
        .expect("case.json is JSON");
        if manifest["command"] != "lint" {
            continue;
        }
        let profile = manifest["profile"].as_str().unwrap_or("apigw-rest");
        let at = manifest["at"].as_str().unwrap_or(FIXTURE_TIME);
        let input = dir.join(
            manifest["inputs"]["truststore"]
                .as_str()
                .unwrap_or_default(),
        );
        let original = run_cli(
            &[
                "lint",
                input.to_str().unwrap_or_default(),
                "--profile",
                profile,
                "--at",
                at,
                "--format",
                "json",
            ],
            None,
        )
        .json();
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let (fixed, relinted, text) = fix_then_lint(&input, profile, at, &name);

        let remaining = error_codes(&relinted);
        for code in &remaining {
            assert!(
                UNFIXABLE.contains(&code.as_str()),
                "{name}: {code} is left after --fix"
            );
            assert!(
                error_codes(&original).contains(code),
                "{name}: --fix introduced {code}"
            );
        }
        assert_eq!(
            error_codes(&fixed)
                .into_iter()
                .filter(|c| !c.starts_with("fix."))
                .collect::<Vec<_>>(),
            remaining,
            "{name}: the --fix report lints the written file"
        );
        assert!(!text.contains('\r'), "{name}: CR left");
        assert!(!text.contains("\n\n"), "{name}: blank line left");
        assert!(!text.starts_with('\u{feff}'), "{name}: BOM left");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} lint cases found");
}

#[test]
fn fix_reports_each_change() {
    let cases = [
        ("duplicate-truststore.pem", "fix.removed-duplicate"),
        ("leaf-in-truststore.pem", "fix.removed-leaf-certificate"),
        ("pkcs8-key-truststore.pem", "fix.removed-private-key"),
        ("rsa-key-truststore.pem", "fix.removed-private-key"),
        ("crl-in-truststore.pem", "fix.removed-non-certificate"),
        ("csr-in-truststore.pem", "fix.removed-non-certificate"),
        ("malformed-block-truststore.pem", "fix.removed-malformed"),
        ("bom-crlf-truststore.pem", "fix.normalized-format"),
        ("format-text-truststore.pem", "fix.normalized-format"),
        ("format-blank-lines-truststore.pem", "fix.normalized-format"),
        (
            "boundary-renewed-root-truststore.pem",
            "fix.removed-expired-ca",
        ),
        ("boundary-renewed-root-truststore.pem", "fix.reordered"),
    ];
    for (file, code) in cases {
        let (fixed, relinted, _) =
            fix_then_lint(Path::new(&fixture(file)), "alb", FIXTURE_TIME, file);
        assert!(
            codes(&fixed).contains(&code.to_string()),
            "{file}: no {code}"
        );
        assert_eq!(relinted["verdict"], "pass", "{file}: {relinted}");
    }
}

#[test]
fn fix_never_echoes_key_bytes() {
    for file in [
        "pkcs8-key-truststore.pem",
        "rsa-key-truststore.pem",
        "encrypted-key-truststore.pem",
    ] {
        let input = std::fs::read_to_string(fixture(file)).expect("fixture reads");
        let (fixed, _, text) =
            fix_then_lint(Path::new(&fixture(file)), "apigw-rest", FIXTURE_TIME, file);
        let report = fixed.to_string();
        let key_lines = input
            .split("-----BEGIN")
            .filter(|block| block.contains("PRIVATE KEY"))
            .flat_map(|block| {
                block
                    .lines()
                    .skip(1)
                    .take(2)
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            });
        for line in key_lines.filter(|l| l.len() > 20 && !l.starts_with("-----")) {
            assert!(!text.contains(&line), "{file}: key bytes in the fixed file");
            assert!(!report.contains(&line), "{file}: key bytes in the report");
        }
        assert!(!text.contains("PRIVATE KEY"), "{file}");
    }
}

#[test]
fn fix_keeps_unfixable_errors() {
    let (_, relinted, _) = fix_then_lint(
        Path::new(&fixture("expired-root-truststore.pem")),
        "apigw-rest",
        FIXTURE_TIME,
        "expired-root",
    );
    assert!(error_codes(&relinted).contains(&"cert.expired".to_string()));

    let (_, relinted, text) = fix_then_lint(
        Path::new(&fixture("missing-issuer-truststore.pem")),
        "apigw-rest",
        FIXTURE_TIME,
        "missing-issuer",
    );
    assert!(codes(&relinted).contains(&"truststore.missing-issuer".to_string()));
    let input =
        std::fs::read_to_string(fixture("missing-issuer-truststore.pem")).unwrap_or_default();
    assert_eq!(
        text.matches("BEGIN CERTIFICATE").count(),
        input.matches("BEGIN CERTIFICATE").count()
    );
}

#[test]
fn fix_orders_root_first() {
    let (fixed, _, _) = fix_then_lint(
        Path::new(&fixture("boundary-renewed-root-truststore.pem")),
        "apigw-rest",
        FIXTURE_TIME,
        "order",
    );
    let graph = fixed["graph"].as_array().cloned().unwrap_or_default();
    assert_eq!(graph.len(), 2);
    assert_eq!(graph[0]["self_signed"], true);
    assert_eq!(graph[1]["issuer_item"], 0);
}

#[test]
fn fix_requires_output() {
    let run = run_cli(&["lint", &fixture("p256-truststore.pem"), "--fix"], None);
    assert_eq!(run.code, 2);
}

#[test]
fn fix_codes_are_registered() {
    let (fixed, _, _) = fix_then_lint(
        Path::new(&fixture("boundary-renewed-root-truststore.pem")),
        "alb",
        FIXTURE_TIME,
        "registered",
    );
    for code in codes(&fixed) {
        assert!(
            mtls_check::rules::is_registered(&code),
            "{code} is not registered"
        );
    }
    for info in mtls_check::rules::FIX_CODES {
        assert!(mtls_check::rules::is_registered(info.code));
    }
}

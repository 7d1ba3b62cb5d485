//! The rule registry and what is built from it: `docs/rules.md` must match
//! the registry, every code any fixture or case makes the CLI emit must be
//! registered, and `--format sarif` must give a well-formed SARIF 2.1.0 log
//! that never echoes private-key material.

mod common;

use std::collections::BTreeSet;

use common::{fixture, repo_root, run_cli, FIXTURE_TIME};
use serde_json::Value;

const PROFILES: &[&str] = &["apigw-rest", "alb", "cloudflare", "rfc5280"];

#[test]
fn rules_page_matches_the_registry() {
    let path = repo_root().join("docs/rules.md");
    let generated = mtls_check::rules::listing::markdown();
    if std::env::var_os("MTLS_CHECK_WRITE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("docs/rules.md is written");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `make docs` and commit it"
    );
}

#[test]
fn rules_command_lists_every_registered_code() {
    let run = run_cli(&["rules", "--format", "json"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed: Vec<String> = run
        .json()
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter_map(|rule| rule["code"].as_str().map(str::to_string))
        .collect();
    let registered: Vec<String> = mtls_check::rules::registry()
        .iter()
        .map(|info| info.code.to_string())
        .collect();
    assert_eq!(listed, registered);
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), listed.len(), "a code is registered twice");

    let text = run_cli(&["rules"], None);
    assert_eq!(text.code, 0);
    for code in &registered {
        assert!(
            text.stdout.contains(code.as_str()),
            "{code} missing from text"
        );
    }
}

/// Files in tests/fixtures with one of the extensions.
fn fixtures_ending(extensions: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .expect("tests/fixtures lists")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| extensions.iter().any(|ext| name.ends_with(ext)))
        .collect();
    names.sort();
    names
}

fn codes_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

/// Every argument list the registry test runs: each certificate fixture as a
/// truststore under each profile, each chain fixture against its own
/// truststore and the root-only one, each CSR, and every case folder's own command.
fn all_runs() -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let certificates = fixtures_ending(&[".pem", ".der", ".b64", ".urlenc"]);
    let truststores: Vec<&String> = certificates
        .iter()
        .filter(|n| n.contains("truststore"))
        .collect();
    for name in &certificates {
        for profile in PROFILES {
            runs.push(vec![
                "lint".into(),
                fixture(name),
                "--profile".into(),
                profile.to_string(),
            ]);
        }
        runs.push(vec!["inspect".into(), fixture(name)]);
    }
    for chain in certificates.iter().filter(|n| n.contains("chain")) {
        // The truststore made for this chain (same stem), else the sample one.
        let own = chain.replace("chain", "truststore");
        let paired = if truststores.iter().any(|t| **t == own) {
            own
        } else {
            "p256-truststore.pem".to_string()
        };
        for truststore in [paired.as_str(), "root-only-truststore.pem"] {
            for profile in ["apigw-rest", "rfc5280"] {
                runs.push(vec![
                    "verify".into(),
                    fixture(chain),
                    "--truststore".into(),
                    fixture(truststore),
                    "--profile".into(),
                    profile.into(),
                ]);
            }
        }
    }
    for csr in fixtures_ending(&[".csr"]) {
        for profile in PROFILES {
            runs.push(vec![
                "csr".into(),
                fixture(&csr),
                "--profile".into(),
                profile.to_string(),
            ]);
        }
    }
    runs.extend(case_runs());
    runs
}

/// The command of each case folder in tests/data/cases.
fn case_runs() -> Vec<Vec<String>> {
    let dir = repo_root().join("tests/data/cases");
    let mut runs = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return runs;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let folder = entry.path();
        let Ok(text) = std::fs::read_to_string(folder.join("case.json")) else {
            continue;
        };
        let Ok(case) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let input = |key: &str| {
            case["inputs"][key]
                .as_str()
                .map(|file| folder.join(file).display().to_string())
        };
        let mut args: Vec<String> = vec![case["command"].as_str().unwrap_or_default().into()];
        match args[0].as_str() {
            "verify" => {
                args.extend(input("chain"));
                args.push("--truststore".into());
                args.extend(input("truststore"));
                if let Some(usage) = case["usage"].as_str() {
                    args.extend(["--usage".into(), usage.into()]);
                }
            }
            "lint" => args.extend(input("truststore")),
            "csr" => args.extend(input("csr")),
            _ => args.extend(input("input")),
        }
        if let Some(profile) = case["profile"].as_str() {
            args.extend(["--profile".into(), profile.into()]);
        }
        runs.push(args);
    }
    runs
}

#[test]
fn every_code_emitted_by_fixtures_and_cases_is_registered() {
    let mut unregistered = BTreeSet::new();
    let mut runs = 0;
    for mut args in all_runs() {
        args.extend([
            "--at".into(),
            FIXTURE_TIME.into(),
            "--format".into(),
            "json".into(),
        ]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run_cli(&refs, None);
        let Ok(report) = serde_json::from_str::<Value>(&run.stdout) else {
            continue;
        };
        runs += 1;
        for code in codes_of(&report) {
            if !mtls_check::rules::is_registered(&code) {
                unregistered.insert(format!("{code} (from {})", args.join(" ")));
            }
        }
    }
    assert!(runs > 100, "only {runs} runs gave a report");
    assert!(
        unregistered.is_empty(),
        "unregistered codes:\n{}",
        unregistered.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// Checks the parts of a SARIF 2.1.0 log that the schema requires, and
/// that each result points at a registered rule and an input file.
fn assert_valid_sarif(log: &Value, context: &str) {
    assert_eq!(log["version"], "2.1.0", "{context}: version");
    assert!(log["$schema"].is_string(), "{context}: $schema");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1, "{context}: one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "mtls-check", "{context}: driver name");
    let rules = driver["rules"]
        .as_array()
        .expect("driver.rules is an array");
    for rule in rules {
        assert!(rule["id"].is_string(), "{context}: rule id");
        assert!(
            rule["shortDescription"]["text"].is_string(),
            "{context}: rule text"
        );
    }
    let results = run["results"].as_array().expect("results is an array");
    for result in results {
        let message = result["message"]["text"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{context}: result message");
        let level = result["level"].as_str().unwrap_or_default();
        assert!(
            ["error", "warning", "note", "none"].contains(&level),
            "{context}: level {level}"
        );
        let rule_id = result["ruleId"].as_str().unwrap_or_default();
        let index = result["ruleIndex"].as_u64().expect("ruleIndex is set") as usize;
        assert_eq!(rules[index]["id"], rule_id, "{context}: ruleIndex");
        for location in result["locations"].as_array().into_iter().flatten() {
            let physical = &location["physicalLocation"];
            assert!(
                physical["artifactLocation"]["uri"].is_string(),
                "{context}: uri"
            );
            assert!(
                physical["region"]["startLine"].as_u64().unwrap_or(0) >= 1,
                "{context}: startLine"
            );
            assert!(
                physical["region"]["byteOffset"].is_u64(),
                "{context}: byteOffset"
            );
        }
    }
}

fn sarif(args: &[&str]) -> (i32, Value, String) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--at", FIXTURE_TIME, "--format", "sarif"]);
    let run = run_cli(&all, None);
    let log = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("SARIF is not JSON ({e}): {}", run.stdout));
    (run.code, log, run.stdout)
}

#[test]
fn sarif_has_one_result_per_finding_with_file_locations() {
    let chain = fixture("p256-chain.pem");
    let truststore = fixture("root-only-truststore.pem");
    let bundle = fixture("missing-issuer-truststore.pem");
    let csr = fixture("challenge-password.csr");
    for args in [
        vec!["verify", &chain, "--truststore", &truststore],
        vec!["lint", &bundle, "--profile", "alb"],
        vec!["csr", &csr],
    ] {
        let context = args.join(" ");
        let (code, log, _) = sarif(&args);
        assert_valid_sarif(&log, &context);

        let mut json_args = args.clone();
        json_args.extend(["--at", FIXTURE_TIME, "--format", "json"]);
        let json = run_cli(&json_args, None);
        assert_eq!(code, json.code, "{context}: exit code");
        let report = json.json();
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(
            results.len(),
            report["findings"].as_array().map_or(0, Vec::len),
            "{context}: one result per finding"
        );
        assert!(!results.is_empty(), "{context}: the fixture has findings");
        let located = results
            .iter()
            .filter_map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
            })
            .collect::<Vec<_>>();
        assert!(
            located.iter().all(|uri| uri.contains("tests/fixtures/")),
            "{context}: locations name the input files: {located:?}"
        );
    }
}

#[test]
fn sarif_never_echoes_private_keys() {
    let markers =
        std::fs::read_to_string(fixture("private-key-markers.txt")).expect("markers read");
    for file in [
        "pkcs8-key-truststore.pem",
        "rsa-key-truststore.pem",
        "ec-key-truststore.pem",
        "encrypted-key-truststore.pem",
    ] {
        let path = fixture(file);
        let (_, log, text) = sarif(&["lint", &path]);
        assert_valid_sarif(&log, file);
        assert!(text.contains("input.private-key"), "{file}: no finding");
        for marker in markers.lines().map(str::trim).filter(|l| !l.is_empty()) {
            assert!(!text.contains(marker), "{file}: SARIF echoes key material");
        }
    }
}

//! Runs every real-world fault case in tests/data/cases through the CLI and
//! checks the manifest's expectations: exit code, verdict, codes present and
//! absent, and the number of items.

mod common;

use std::path::Path;

use common::{codes, repo_root, run_cli};
use serde_json::Value;

fn case_args(manifest: &Value) -> Vec<String> {
    let command = manifest["command"].as_str().unwrap_or_default().to_string();
    let profile = manifest["profile"]
        .as_str()
        .unwrap_or("apigw-rest")
        .to_string();
    let at = manifest["at"].as_str().unwrap_or_default().to_string();
    let inputs = &manifest["inputs"];
    let mut args = vec![command.clone()];
    match command.as_str() {
        "verify" => {
            args.push(inputs["chain"].as_str().unwrap_or_default().into());
            args.push("--truststore".into());
            args.push(inputs["truststore"].as_str().unwrap_or_default().into());
            args.push("--usage".into());
            args.push(manifest["usage"].as_str().unwrap_or("client").into());
        }
        "lint" => args.push(inputs["truststore"].as_str().unwrap_or_default().into()),
        "csr" => args.push(inputs["csr"].as_str().unwrap_or_default().into()),
        other => panic!("unknown command {other} in a case manifest"),
    }
    args.extend([
        "--profile".into(),
        profile,
        "--at".into(),
        at,
        "--format".into(),
        "json".into(),
    ]);
    args
}

fn check_case(dir: &Path) -> Vec<String> {
    let name = dir
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("case.json")).expect("case.json reads"),
    )
    .expect("case.json is JSON");
    let args = case_args(&manifest);
    let arg_refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_cli(&arg_refs, Some(dir));
    let expect = &manifest["expect"];
    let mut problems = Vec::new();

    if Some(run.code as i64) != expect["exit_code"].as_i64() {
        problems.push(format!(
            "{name}: exit code {} (expected {})",
            run.code, expect["exit_code"]
        ));
    }
    let report: Value = match serde_json::from_str(&run.stdout) {
        Ok(report) => report,
        Err(e) => {
            problems.push(format!(
                "{name}: output is not JSON ({e}); stderr: {}",
                run.stderr
            ));
            return problems;
        }
    };
    if report["verdict"] != expect["verdict"] {
        problems.push(format!(
            "{name}: verdict {} (expected {})",
            report["verdict"], expect["verdict"]
        ));
    }
    let found = codes(&report);
    for code in expect["codes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !found.iter().any(|c| c == code) {
            problems.push(format!("{name}: missing code {code}; found {found:?}"));
        }
    }
    for code in expect["absent_codes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if found.iter().any(|c| c == code) {
            problems.push(format!(
                "{name}: code {code} must be absent; found {found:?}"
            ));
        }
    }
    if let Some(count) = expect["items"].as_u64() {
        let items = report["items"].as_array().map(Vec::len).unwrap_or(0) as u64;
        if items != count {
            problems.push(format!("{name}: {items} items (expected {count})"));
        }
    }
    problems
}

#[test]
fn every_case_passes_through_cli() {
    let root = repo_root().join("tests/data/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/data/cases exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("case.json").is_file())
        .collect();
    dirs.sort();
    assert_eq!(
        dirs.len(),
        24,
        "expected 24 case folders under {}",
        root.display()
    );

    let problems: Vec<String> = dirs.iter().flat_map(|dir| check_case(dir)).collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

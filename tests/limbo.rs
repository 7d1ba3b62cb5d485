//! The x509-limbo conformance record. Every testcase of the suite (and of the
//! BetterTLS path-building file) runs through the library: the chain is the
//! peer certificate plus the untrusted intermediates, the truststore is the
//! trusted certificates, and the case's usage, peer names, time, depth limit
//! keyUsage and CRLs become [`Options`]. A case the tool cannot express is listed
//! as skipped with its reason.
//!
//! The test fails when agreement drops below the numbers recorded in
//! `tests/data/conformance/agreement.json`. With `MTLS_CHECK_WRITE_CONFORMANCE=1`
//! (what `make conformance` sets) it rewrites `docs/conformance.md` and that
//! file. It always writes every case's inputs, options and native report to
//! `target/conformance/limbo-reports.json` for the Node differential test.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::repo_root;
use mtls_check::{parse_time, verify_chain, Options, Usage, Verdict};
use serde_json::{json, Value};

/// Check time for cases whose `validation_time` is null (the suite's "now").
/// A fixed time keeps the record reproducible; the generated certificates are
/// valid from 1970 for 1,000 years.
const DEFAULT_TIME: &str = "2026-01-01T00:00:00Z";

const EKU_SERVER_AUTH: &str = "serverAuth";
const EKU_CLIENT_AUTH: &str = "clientAuth";

/// Profile for the Web PKI namespace of the suite, when the crate has one.
fn profile_for(id: &str) -> &'static str {
    if id.starts_with("webpki::") && mtls_check::profile::by_name("webpki").is_some() {
        "webpki"
    } else {
        "rfc5280"
    }
}

/// One suite file: its name in the record, path and the record key.
struct Suite {
    key: &'static str,
    title: &'static str,
    file: &'static str,
}

const SUITES: &[Suite] = &[
    Suite {
        key: "limbo",
        title: "x509-limbo",
        file: "tests/data/conformance/limbo.json",
    },
    Suite {
        key: "bettertls-pathbuilding",
        title: "BetterTLS path building",
        file: "tests/data/conformance/limbo-bettertls-pathbuilding.json",
    },
];

/// What a case asks of the tool, in the library's terms.
struct Request {
    chain: String,
    truststore: String,
    options: Options,
    /// The same options as the JS API takes them.
    js_options: Value,
}

enum Outcome {
    Agree,
    Disagree(String),
    Skipped(String),
}

struct CaseResult {
    id: String,
    expected_success: bool,
    outcome: Outcome,
}

fn pem_list(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn join_pem(blocks: &[&str]) -> String {
    blocks
        .iter()
        .map(|block| block.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn usage_of(case: &Value) -> Result<(Usage, &'static str), String> {
    match case["validation_kind"].as_str() {
        Some("SERVER") => Ok((Usage::Server, EKU_SERVER_AUTH)),
        Some("CLIENT") => Ok((Usage::Client, EKU_CLIENT_AUTH)),
        other => Err(format!("validation kind {other:?} is not client or server")),
    }
}

/// Builds the request, or says why the case cannot be expressed.
fn request(case: &Value) -> Result<Request, String> {
    let (usage, usage_eku) = usage_of(case)?;
    for eku in pem_list(&case["extended_key_usage"]) {
        if eku != usage_eku {
            return Err(format!(
                "extended key usage {eku} other than the usage's own {usage_eku}"
            ));
        }
    }
    if !pem_list(&case["signature_algorithms"]).is_empty() {
        return Err("a restricted set of signature algorithms".into());
    }

    let at_text = case["validation_time"].as_str().unwrap_or(DEFAULT_TIME);
    let at = parse_time(at_text).map_err(|e| e.to_string())?;
    let profile = profile_for(case["id"].as_str().unwrap_or_default());
    let mut options = Options::new(profile, at);
    options.usage = usage;

    let mut peer_names: Vec<String> = Vec::new();
    if let Some(name) = case["expected_peer_name"]["value"].as_str() {
        options.peer_name = Some(name.to_string());
    }
    for name in case["expected_peer_names"].as_array().into_iter().flatten() {
        match (name["kind"].as_str(), name["value"].as_str()) {
            (Some("RFC822"), Some(value)) => peer_names.push(value.to_string()),
            (Some("DNS" | "IP"), Some(value)) if options.peer_name.is_none() => {
                options.peer_name = Some(value.to_string())
            }
            (Some("DNS" | "IP"), Some(value)) => peer_names.push(value.to_string()),
            (kind, _) => return Err(format!("peer name kind {kind:?}")),
        }
    }
    if case["expected_peer_name"]["kind"].as_str() == Some("RFC822") {
        if let Some(name) = options.peer_name.take() {
            peer_names.push(name);
        }
    }
    options.peer_names = peer_names;
    options.max_intermediates = case["max_chain_depth"].as_u64().map(|n| n as usize);
    let crls = pem_list(&case["crls"]);
    options.crls = crls.iter().map(|crl| crl.as_bytes().to_vec()).collect();
    options.key_usage = pem_list(&case["key_usage"])
        .into_iter()
        .map(str::to_string)
        .collect();

    let mut chain = vec![case["peer_certificate"].as_str().unwrap_or_default()];
    chain.extend(pem_list(&case["untrusted_intermediates"]));
    let js_options = json!({
        "profile": profile,
        "usage": usage.as_str(),
        "at": at_text,
        "peerName": options.peer_name,
        "peerNames": options.peer_names,
        "maxIntermediates": options.max_intermediates,
        "keyUsage": options.key_usage,
        "crls": crls,
    });
    Ok(Request {
        chain: join_pem(&chain),
        truststore: join_pem(&pem_list(&case["trusted_certs"])),
        options,
        js_options,
    })
}

/// One line on why a report disagrees with the expected result.
fn disagreement(expected_success: bool, report: &Value, description: &str) -> String {
    if expected_success {
        let error = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["severity"] == "error");
        match error {
            Some(f) => format!(
                "denied with `{}`: {}",
                f["code"].as_str().unwrap_or_default(),
                one_line(f["message"].as_str().unwrap_or_default())
            ),
            None => "denied without an error finding".into(),
        }
    } else {
        let warning = report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["severity"] == "warning");
        match warning {
            Some(f) => format!(
                "accepted with only a warning, `{}`: {}",
                f["code"].as_str().unwrap_or_default(),
                one_line(f["message"].as_str().unwrap_or_default())
            ),
            None => format!(
                "accepted; the suite expects a rejection: {}",
                one_line(description)
            ),
        }
    }
}

/// The first sentence of a text, on one line, at most 200 characters.
fn one_line(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let sentence = match flat.find(". ") {
        Some(end) => &flat[..=end],
        None => flat.as_str(),
    };
    if sentence.chars().count() > 200 {
        let cut: String = sentence.chars().take(197).collect();
        format!("{cut}...")
    } else {
        sentence.to_string()
    }
}

/// Runs one suite file; returns the per-case results and the native reports.
fn run_suite(suite: &Suite) -> (Vec<CaseResult>, Vec<Value>) {
    let text = std::fs::read_to_string(repo_root().join(suite.file))
        .unwrap_or_else(|e| panic!("{} reads: {e}", suite.file));
    let limbo: Value = serde_json::from_str(&text).expect("the suite is JSON");
    let mut results = Vec::new();
    let mut reports = Vec::new();
    for case in limbo["testcases"].as_array().expect("testcases is a list") {
        let id = case["id"].as_str().unwrap_or_default().to_string();
        let expected_success = case["expected_result"] == "SUCCESS";
        let outcome = match request(case) {
            Err(reason) => Outcome::Skipped(reason),
            Ok(request) => match verify_chain(
                request.chain.as_bytes(),
                request.truststore.as_bytes(),
                &request.options,
            ) {
                Err(error) => Outcome::Skipped(format!("options refused: {error}")),
                Ok(report) => {
                    let accepted = report.verdict == Verdict::Accept;
                    let json: Value =
                        serde_json::from_str(&report.to_json()).expect("reports are JSON");
                    let outcome = if accepted == expected_success {
                        Outcome::Agree
                    } else {
                        Outcome::Disagree(disagreement(
                            expected_success,
                            &json,
                            case["description"].as_str().unwrap_or_default(),
                        ))
                    };
                    reports.push(json!({
                        "id": id,
                        "chain": request.chain,
                        "truststore": request.truststore,
                        "options": request.js_options,
                        "report": json,
                    }));
                    outcome
                }
            },
        };
        results.push(CaseResult {
            id,
            expected_success,
            outcome,
        });
    }
    (results, reports)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    agree: usize,
    disagree: usize,
    skipped: usize,
}

fn counts(results: &[CaseResult]) -> Counts {
    let mut counts = Counts::default();
    for result in results {
        match result.outcome {
            Outcome::Agree => counts.agree += 1,
            Outcome::Disagree(_) => counts.disagree += 1,
            Outcome::Skipped(_) => counts.skipped += 1,
        }
    }
    counts
}

/// Counts per id namespace (`rfc5280`, `webpki`, ...).
fn by_namespace(results: &[CaseResult]) -> BTreeMap<String, Counts> {
    let mut groups: BTreeMap<String, Vec<&CaseResult>> = BTreeMap::new();
    for result in results {
        let namespace = result.id.split("::").next().unwrap_or_default().to_string();
        groups.entry(namespace).or_default().push(result);
    }
    groups
        .into_iter()
        .map(|(namespace, list)| {
            let mut c = Counts::default();
            for result in list {
                match result.outcome {
                    Outcome::Agree => c.agree += 1,
                    Outcome::Disagree(_) => c.disagree += 1,
                    Outcome::Skipped(_) => c.skipped += 1,
                }
            }
            (namespace, c)
        })
        .collect()
}

fn expected_word(success: bool) -> &'static str {
    if success {
        "SUCCESS"
    } else {
        "FAILURE"
    }
}

fn render_suite(out: &mut String, suite: &Suite, results: &[CaseResult]) {
    let total = counts(results);
    let _ = writeln!(out, "## {}\n", suite.title);
    let _ = writeln!(
        out,
        "{} testcases: **{} agree, {} disagree, {} skipped**.\n",
        results.len(),
        total.agree,
        total.disagree,
        total.skipped
    );
    out.push_str("| namespace | agree | disagree | skipped |\n| --- | --- | --- | --- |\n");
    for (namespace, c) in by_namespace(results) {
        let _ = writeln!(
            out,
            "| `{namespace}::` | {} | {} | {} |",
            c.agree, c.disagree, c.skipped
        );
    }
    out.push('\n');

    let disagreements: Vec<&CaseResult> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Disagree(_)))
        .collect();
    let _ = writeln!(out, "### Disagreements ({})\n", disagreements.len());
    if disagreements.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| case | expected | why |\n| --- | --- | --- |\n");
        for result in disagreements {
            if let Outcome::Disagree(reason) = &result.outcome {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    result.id,
                    expected_word(result.expected_success),
                    reason.replace('|', "\\|")
                );
            }
        }
        out.push('\n');
    }

    let skipped: Vec<&CaseResult> = results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Skipped(_)))
        .collect();
    let _ = writeln!(out, "### Skipped ({})\n", skipped.len());
    if skipped.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| case | expected | reason |\n| --- | --- | --- |\n");
        for result in skipped {
            if let Outcome::Skipped(reason) = &result.outcome {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    result.id,
                    expected_word(result.expected_success),
                    reason.replace('|', "\\|")
                );
            }
        }
        out.push('\n');
    }
}

fn render(all: &[(&Suite, Vec<CaseResult>)]) -> String {
    let mut out = String::new();
    out.push_str("# Conformance: x509-limbo\n\n");
    out.push_str(
        "Generated by `make conformance`; do not edit by hand. Each testcase runs through \
the library with the chain made of the peer certificate and the untrusted intermediates, \
the truststore made of the trusted certificates, and the case's usage, peer names, \
validation time, depth limit, keyUsage and CRLs as options. Cases in the `webpki::` namespace \
run under the `webpki` profile when the crate has one, every other case under `rfc5280`. \
A case without a validation time is checked at ",
    );
    let _ = write!(out, "{DEFAULT_TIME}");
    out.push_str(
        " (the generated certificates are valid from 1970 for 1,000 years). \
\"Agree\" means the verdict matches the expected result: accept for SUCCESS, deny for FAILURE.\n\n",
    );
    out.push_str("## Summary\n\n");
    out.push_str(
        "| validator | agree | disagree | skipped (of 208) |\n| --- | --- | --- | --- |\n",
    );
    if let Some((_, results)) = all.iter().find(|(suite, _)| suite.key == "limbo") {
        let c = counts(results);
        let _ = writeln!(
            out,
            "| **mtls-check** (this build) | **{}** | **{}** | **{}** |",
            c.agree, c.disagree, c.skipped
        );
    }
    out.push_str(
        "| pyca/cryptography 46 | 147 | 14 | 47 |\n\
| rustls-webpki 0.103 (ring) | 131 | 60 | 17 |\n\
| webpki 0.22 | 122 | 54 | 32 |\n\n",
    );
    out.push_str(
        "The three reference rows were measured on the same files with each project's own \
upstream harness. All three agree on every BetterTLS path-building case and accept all 14 \
`online::` chains.\n\n",
    );
    out.push_str(
        "The BetterTLS file's end-entity certificates carry no extendedKeyUsage extension \
(BetterTLS added serverAuth to them later). RFC 5280 accepts a leaf without the extension, \
so these cases run under `rfc5280` like the rest. Half of the BetterTLS cases this build \
accepts against the suite's expectation have an intermediate whose extendedKeyUsage lacks \
serverAuth. RFC 5280 path validation (section 6) does not process extendedKeyUsage in CA \
certificates, so the `rfc5280` profile accepts such a path, while the reference validators \
apply the leaf's usage to every certificate on the path. The other half have an \
intermediate signed with ECDSA and SHA-1, which the `rfc5280` profile reports as a \
warning (it treats algorithms as advice) and the reference validators do not support. \
The `webpki` profile rejects both, but it also requires extendedKeyUsage in the leaf, \
which these certificates lack.\n\n",
    );
    for (suite, results) in all {
        render_suite(&mut out, suite, results);
    }
    out
}

fn recorded() -> Value {
    std::fs::read_to_string(repo_root().join("tests/data/conformance/agreement.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

#[test]
fn limbo_agreement_does_not_drop() {
    let mut all = Vec::new();
    let mut native = Vec::new();
    for suite in SUITES {
        let (results, reports) = run_suite(suite);
        native.push(json!({ "suite": suite.key, "cases": reports }));
        all.push((suite, results));
    }

    let out_dir = repo_root().join("target/conformance");
    std::fs::create_dir_all(&out_dir).expect("target/conformance is writable");
    std::fs::write(
        out_dir.join("limbo-reports.json"),
        serde_json::to_string(&native).expect("reports serialize"),
    )
    .expect("native reports are written");

    let unregistered: BTreeMap<String, String> = native
        .iter()
        .flat_map(|suite| suite["cases"].as_array().cloned().unwrap_or_default())
        .flat_map(|case| {
            let id = case["id"].as_str().unwrap_or_default().to_string();
            case["report"]["findings"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(move |f| f["code"].as_str().map(|c| (c.to_string(), id.clone())))
        })
        .filter(|(code, _)| !mtls_check::rules::is_registered(code))
        .collect();
    assert!(
        unregistered.is_empty(),
        "unregistered codes: {unregistered:?}"
    );

    let record = recorded();
    // Writing records the new numbers as the floor; a drop then shows in the diff.
    if std::env::var_os("MTLS_CHECK_WRITE_CONFORMANCE").is_some() {
        std::fs::write(repo_root().join("docs/conformance.md"), render(&all))
            .expect("docs/conformance.md is written");
        let mut numbers = serde_json::Map::new();
        for (suite, results) in &all {
            let c = counts(results);
            numbers.insert(
                suite.key.to_string(),
                json!({ "agree": c.agree, "disagree": c.disagree, "skipped": c.skipped }),
            );
        }
        std::fs::write(
            repo_root().join("tests/data/conformance/agreement.json"),
            serde_json::to_string_pretty(&Value::Object(numbers)).expect("serializes") + "\n",
        )
        .expect("agreement.json is written");
        return;
    }

    let mut drops = Vec::new();
    for (suite, results) in &all {
        let c = counts(results);
        let floor = record[suite.key]["agree"].as_u64().unwrap_or(0) as usize;
        if c.agree < floor {
            let lost: Vec<&str> = results
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Disagree(_)))
                .map(|r| r.id.as_str())
                .collect();
            drops.push(format!(
                "{}: {} agree, recorded {floor}; disagreeing now: {}",
                suite.key,
                c.agree,
                lost.join(", ")
            ));
        }
    }
    assert!(drops.is_empty(), "agreement dropped:\n{}", drops.join("\n"));
}

/// A limbo case that triggers each RFC 5280 and CA/Browser Forum rule the
/// crate adds on top of rustls-webpki, with the code its report must carry.
const RULE_TRIGGERS: &[(&str, &str)] = &[
    ("rfc5280::aki::critical-aki", "cert.aki-critical"),
    ("rfc5280::aki::intermediate-missing-aki", "cert.aki-missing"),
    ("rfc5280::ski::critical-ski", "cert.ski-critical"),
    ("rfc5280::ski::root-missing-ski", "cert.ski-missing"),
    (
        "rfc5280::root-missing-basic-constraints",
        "cert.ca-without-basic-constraints",
    ),
    (
        "rfc5280::root-non-critical-basic-constraints",
        "cert.basic-constraints-not-critical",
    ),
    (
        "rfc5280::root-inconsistent-ca-extensions",
        "cert.ca-without-key-cert-sign",
    ),
    (
        "rfc5280::leaf-ku-keycertsign",
        "cert.key-cert-sign-without-ca",
    ),
    ("rfc5280::serial::zero", "cert.serial-zero"),
    ("rfc5280::serial::too-long", "cert.serial-too-long"),
    ("rfc5280::ca-empty-subject", "cert.ca-empty-subject"),
    (
        "rfc5280::san::noncritical-with-empty-subject",
        "cert.san-not-critical-with-empty-subject",
    ),
    (
        "rfc5280::nc::not-allowed-in-ee-critical",
        "cert.name-constraints-in-leaf",
    ),
    (
        "rfc5280::nc::permitted-dns-match-noncritical",
        "cert.name-constraints-not-critical",
    ),
    (
        "rfc5280::pc::ica-noncritical-pc",
        "cert.policy-constraints-not-critical",
    ),
    (
        "rfc5280::unknown-critical-extension-root",
        "cert.unknown-critical-extension",
    ),
    ("rfc5280::san::underscore-dns", "cert.san-invalid-dns"),
    (
        "rfc5280::nc::invalid-dnsname-leading-period",
        "cert.name-constraints-invalid-dns",
    ),
    ("webpki::eku::ee-without-eku", "cert.eku-missing"),
    ("webpki::eku::ee-anyeku", "cert.eku-any"),
    ("webpki::eku::ee-critical-eku", "cert.eku-critical"),
    ("webpki::eku::root-has-eku", "cert.root-has-eku"),
    (
        "webpki::aki::root-with-aki-authoritycertissuer",
        "cert.root-aki-fields",
    ),
    (
        "webpki::aki::root-with-aki-ski-mismatch",
        "cert.root-aki-fields",
    ),
    ("webpki::cn::case-mismatch", "cert.cn-not-in-san"),
    ("webpki::malformed-aia", "cert.malformed-extension"),
    (
        "webpki::san::san-critical-with-nonempty-subject",
        "cert.san-critical-with-subject",
    ),
    (
        "webpki::forbidden-rsa-key-not-divisible-by-8-in-leaf",
        "cert.rsa-modulus-not-multiple-of-8",
    ),
    (
        "webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences",
        "cert.name-constraints-empty",
    ),
];

/// Codes of the rules above; no accepted real-world chain may carry them as errors.
fn added_rule_codes() -> BTreeMap<&'static str, ()> {
    RULE_TRIGGERS.iter().map(|(_, code)| (*code, ())).collect()
}

fn error_codes(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn added_rules_trigger_on_their_cases_only() {
    let suite = SUITES.first().expect("the limbo suite is listed");
    let (_, reports) = run_suite(suite);
    let by_id: BTreeMap<&str, &Value> = reports
        .iter()
        .filter_map(|entry| Some((entry["id"].as_str()?, &entry["report"])))
        .collect();

    let mut problems = Vec::new();
    for (id, code) in RULE_TRIGGERS {
        match by_id.get(id) {
            None => problems.push(format!("{id}: no report")),
            Some(report) => {
                if !error_codes(report).iter().any(|c| c == code) {
                    problems.push(format!("{id}: no {code} error"));
                }
            }
        }
    }

    let added = added_rule_codes();
    for (id, report) in by_id.iter().filter(|(id, _)| id.starts_with("online::")) {
        for code in error_codes(report) {
            if added.contains_key(code.as_str()) {
                problems.push(format!("{id}: real-world chain has {code}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

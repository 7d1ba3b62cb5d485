//! Hostile and broken input: every limit at its edge, the pathological
//! x509-limbo cases, many CAs sharing one name, damaged versions of every
//! fixture, and private keys in every position. The assertions are on
//! findings and items, never on time: a call that ends has stayed within
//! its budget.

mod common;

use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use mtls_check::limits::{self, Limit};
use mtls_check::report::sarif;
use mtls_check::report::text::{self, Colour};
use mtls_check::{
    inspect, inspect_csr, lint_truststore, parse_time, verify_chain, Options, Report,
};
use serde_json::Value;

use common::{fixture, repo_root, FIXTURE_TIME};

// ----- a small certificate builder (Ed25519, hand-written DER) -----

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len <= 0xff {
        out.extend([0x81, len as u8]);
    } else if len <= 0xffff {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    } else {
        out.extend([0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

const OID_ED25519: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];

fn name(common_name: &str) -> Vec<u8> {
    let attribute = seq(&[
        vec![0x06, 0x03, 0x55, 0x04, 0x03],
        tlv(0x0c, common_name.as_bytes()),
    ]);
    seq(&[tlv(0x31, &attribute)])
}

fn extension(oid: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![tlv(0x06, oid)];
    if critical {
        parts.push(vec![0x01, 0x01, 0xff]);
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

fn ca_extensions() -> Vec<Vec<u8>> {
    vec![
        extension(&[0x55, 0x1d, 0x13], true, seq(&[vec![0x01, 0x01, 0xff]])),
        extension(&[0x55, 0x1d, 0x0f], true, vec![0x03, 0x02, 0x01, 0x06]),
    ]
}

fn leaf_extensions() -> Vec<Vec<u8>> {
    vec![
        extension(&[0x55, 0x1d, 0x13], true, seq(&[])),
        extension(
            &[0x55, 0x1d, 0x25],
            false,
            seq(&[vec![
                0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02,
            ]]),
        ),
    ]
}

/// `count` unknown, non-critical extensions with distinct OIDs.
fn filler_extensions(count: usize) -> Vec<Vec<u8>> {
    (0..count)
        .map(|i| {
            // 1.3.6.1.4.1.55555.<i>, the last arc in two base-128 digits.
            let oid = [
                0x2b,
                0x06,
                0x01,
                0x04,
                0x01,
                0x83,
                0xb2,
                0x03,
                0x80 | ((i >> 7) as u8 & 0x7f),
                (i as u8) & 0x7f,
            ];
            extension(&oid, false, vec![0x05, 0x00])
        })
        .collect()
}

/// A name-constraints extension with `count` permitted dNSName subtrees.
fn name_constraints(count: usize) -> Vec<u8> {
    let subtrees: Vec<Vec<u8>> = (0..count)
        .map(|i| seq(&[tlv(0x82, format!("n{i}.example").as_bytes())]))
        .collect();
    extension(
        &[0x55, 0x1d, 0x1e],
        true,
        seq(&[tlv(0xa0, &subtrees.concat())]),
    )
}

fn key(seed: u32) -> SigningKey {
    let mut bytes = [7u8; 32];
    bytes[..4].copy_from_slice(&seed.to_be_bytes());
    SigningKey::from_bytes(&bytes)
}

fn certificate(
    serial: u32,
    subject: &str,
    subject_key: &SigningKey,
    issuer: &str,
    issuer_key: &SigningKey,
    extensions: Vec<Vec<u8>>,
) -> Vec<u8> {
    let algorithm = seq(&[OID_ED25519.to_vec()]);
    let mut public = vec![0x00];
    public.extend(subject_key.verifying_key().as_bytes());
    let spki = seq(&[algorithm.clone(), tlv(0x03, &public)]);
    let mut serial_bytes = vec![0x01];
    serial_bytes.extend(serial.to_be_bytes());
    let tbs = seq(&[
        tlv(0xa0, &[0x02, 0x01, 0x02]),
        tlv(0x02, &serial_bytes),
        algorithm.clone(),
        name(issuer),
        seq(&[tlv(0x17, b"200101000000Z"), tlv(0x17, b"491231235959Z")]),
        name(subject),
        spki,
        tlv(0xa3, &seq(&extensions)),
    ]);
    let signature = issuer_key.sign(&tbs).to_bytes();
    let mut bits = vec![0x00];
    bits.extend(signature);
    seq(&[tbs, algorithm, tlv(0x03, &bits)])
}

fn pem(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn cert_pem(der: &[u8]) -> String {
    pem("CERTIFICATE", der)
}

// ----- running the library -----

fn options() -> Options {
    Options::new(
        "rfc5280",
        parse_time(FIXTURE_TIME).expect("pinned time parses"),
    )
}

fn json(report: &Report) -> Value {
    serde_json::to_value(report).expect("the report serializes")
}

fn codes(report: &Report) -> Vec<String> {
    report.findings.iter().map(|f| f.code.clone()).collect()
}

fn limit_messages(report: &Report) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.code == "input.limit-exceeded")
        .map(|f| f.message.clone())
        .collect()
}

/// Asserts the report contract on a verify report: a deny carries an error
/// finding, an accept none.
fn assert_verdict_consistent(report: &Value) {
    let errors = report["findings"]
        .as_array()
        .map(|list| list.iter().filter(|f| f["severity"] == "error").count())
        .unwrap_or(0);
    match report["verdict"].as_str() {
        Some("deny") | Some("fail") => assert!(errors > 0, "{report:#}"),
        Some("accept") | Some("pass") => assert_eq!(errors, 0, "{report:#}"),
        _ => {}
    }
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).expect("fixture reads")
}

// ----- limits at their edges -----

#[test]
fn input_bytes_limit_edge() {
    let at = vec![b'\n'; limits::MAX_INPUT_BYTES];
    let report = inspect(&at, &options()).expect("runs");
    assert!(limit_messages(&report).is_empty(), "{:?}", codes(&report));

    let over = vec![b'\n'; limits::MAX_INPUT_BYTES + 1];
    let report = inspect(&over, &options()).expect("runs");
    let messages = limit_messages(&report);
    assert_eq!(messages.len(), 1, "{:?}", codes(&report));
    assert!(
        messages[0].contains(&(limits::MAX_INPUT_BYTES + 1).to_string()),
        "{messages:?}"
    );
}

#[test]
fn blocks_limit_edge() {
    let at = [0x30u8, 0x00].repeat(limits::MAX_BLOCKS);
    let report = inspect(&at, &options()).expect("runs");
    assert!(limit_messages(&report).is_empty());
    assert_eq!(report.items.len(), limits::MAX_BLOCKS);

    let over = [0x30u8, 0x00].repeat(limits::MAX_BLOCKS + 1);
    let report = inspect(&over, &options()).expect("runs");
    assert_eq!(limit_messages(&report).len(), 1);
    assert_eq!(report.items.len(), limits::MAX_BLOCKS);
}

/// A SEQUENCE of exactly `total` DER bytes.
fn sequence_of_size(total: usize) -> Vec<u8> {
    // Header is 4 bytes (30 82 xx xx) below 64 KiB and 5 bytes (30 83 ...) above.
    let header = if total - 4 <= 0xffff { 4 } else { 5 };
    let der = tlv(0x30, &vec![0x05; total - header]);
    assert_eq!(der.len(), total);
    der
}

#[test]
fn certificate_size_limit_edge() {
    let at = cert_pem(&sequence_of_size(limits::MAX_CERTIFICATE_BYTES));
    let report = inspect(at.as_bytes(), &options()).expect("runs");
    assert!(limit_messages(&report).is_empty());
    assert!(codes(&report).contains(&"input.malformed".to_string()));

    let over = cert_pem(&sequence_of_size(limits::MAX_CERTIFICATE_BYTES + 1));
    let report = inspect(over.as_bytes(), &options()).expect("runs");
    let messages = limit_messages(&report);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("bytes in one certificate"),
        "{messages:?}"
    );
}

fn nested(depth: usize) -> Vec<u8> {
    let mut der = seq(&[]);
    for _ in 1..depth {
        der = seq(&[der]);
    }
    der
}

#[test]
fn der_nesting_limit_edge() {
    let at = cert_pem(&nested(limits::MAX_DER_DEPTH));
    let report = inspect(at.as_bytes(), &options()).expect("runs");
    assert!(limit_messages(&report).is_empty());

    let over = cert_pem(&nested(limits::MAX_DER_DEPTH + 1));
    let report = inspect(over.as_bytes(), &options()).expect("runs");
    let messages = limit_messages(&report);
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("levels of DER nesting"),
        "{messages:?}"
    );
}

fn ca_with_extensions(extensions: Vec<Vec<u8>>) -> String {
    let root = key(1);
    cert_pem(&certificate(
        1,
        "Hostile Root",
        &root,
        "Hostile Root",
        &root,
        extensions,
    ))
}

#[test]
fn extensions_limit_edge() {
    let fixed = ca_extensions();
    let room = limits::MAX_EXTENSIONS - fixed.len();

    let mut at = fixed.clone();
    at.extend(filler_extensions(room));
    let report = inspect(ca_with_extensions(at).as_bytes(), &options()).expect("runs");
    assert!(limit_messages(&report).is_empty(), "{:?}", codes(&report));
    assert!(report.items[0].ok);

    let mut over = fixed;
    over.extend(filler_extensions(room + 1));
    let report = inspect(ca_with_extensions(over).as_bytes(), &options()).expect("runs");
    let messages = limit_messages(&report);
    assert_eq!(messages.len(), 1, "{:?}", codes(&report));
    assert!(messages[0].contains("extensions in one certificate"));
    assert!(!report.items[0].ok);
}

#[test]
fn name_constraint_subtrees_limit_edge() {
    let mut at = ca_extensions();
    at.push(name_constraints(limits::MAX_NAME_CONSTRAINT_SUBTREES));
    let report = inspect(ca_with_extensions(at).as_bytes(), &options()).expect("runs");
    assert!(limit_messages(&report).is_empty(), "{:?}", codes(&report));

    let mut over = ca_extensions();
    over.push(name_constraints(limits::MAX_NAME_CONSTRAINT_SUBTREES + 1));
    let report = inspect(ca_with_extensions(over).as_bytes(), &options()).expect("runs");
    let messages = limit_messages(&report);
    assert_eq!(messages.len(), 1, "{:?}", codes(&report));
    assert!(messages[0].contains("name-constraint subtrees"));
}

/// `count` self-signed roots that all carry the subject "Same Name CA".
fn same_name_roots(count: u32) -> String {
    (0..count)
        .map(|i| {
            let k = key(1000 + i);
            cert_pem(&certificate(
                i + 1,
                "Same Name CA",
                &k,
                "Same Name CA",
                &k,
                ca_extensions(),
            ))
        })
        .collect()
}

/// A client certificate under "Same Name CA" signed by a key no root holds.
fn orphan_leaf() -> String {
    cert_pem(&certificate(
        9,
        "client",
        &key(2),
        "Same Name CA",
        &key(3),
        leaf_extensions(),
    ))
}

#[test]
fn explainer_candidate_issuers_limit_edge() {
    let roots = same_name_roots(limits::MAX_CANDIDATE_ISSUERS as u32);
    let report =
        verify_chain(orphan_leaf().as_bytes(), roots.as_bytes(), &options()).expect("runs");
    assert!(
        !limit_messages(&report)
            .iter()
            .any(|m| m.contains("candidate issuers")),
        "{:?}",
        limit_messages(&report)
    );
    assert_verdict_consistent(&json(&report));

    let roots = same_name_roots(limits::MAX_CANDIDATE_ISSUERS as u32 + 1);
    let report =
        verify_chain(orphan_leaf().as_bytes(), roots.as_bytes(), &options()).expect("runs");
    let messages = limit_messages(&report);
    assert!(
        messages.iter().any(|m| m.contains("candidate issuers")
            && m.contains(&(limits::MAX_CANDIDATE_ISSUERS + 1).to_string())),
        "{messages:?}"
    );
    assert_eq!(json(&report)["verdict"], "deny");
}

#[test]
fn lint_candidate_issuers_limit_edge() {
    let mut bundle = same_name_roots(limits::MAX_CANDIDATE_ISSUERS as u32);
    let child = certificate(
        5,
        "Child CA",
        &key(4),
        "Same Name CA",
        &key(3),
        ca_extensions(),
    );
    bundle.push_str(&cert_pem(&child));
    let report = lint_truststore(bundle.as_bytes(), &options()).expect("runs");
    assert!(
        limit_messages(&report).is_empty(),
        "{:?}",
        limit_messages(&report)
    );

    let mut bundle = same_name_roots(limits::MAX_CANDIDATE_ISSUERS as u32 + 1);
    bundle.push_str(&cert_pem(&child));
    let report = lint_truststore(bundle.as_bytes(), &options()).expect("runs");
    assert!(limit_messages(&report)
        .iter()
        .any(|m| m.contains("candidate issuers")));
}

// ----- many CAs with one name -----

#[test]
fn five_hundred_same_name_roots_deny() {
    let roots = same_name_roots(500);
    let report =
        verify_chain(orphan_leaf().as_bytes(), roots.as_bytes(), &options()).expect("runs");
    let value = json(&report);
    assert_eq!(value["verdict"], "deny");
    assert_verdict_consistent(&value);
    assert_eq!(report.items.len(), 501);
    let found = codes(&report);
    assert!(
        found
            .iter()
            .any(|c| c == "input.limit-exceeded" || c == "chain.budget-exceeded"),
        "{found:?}"
    );
}

// ----- the pathological x509-limbo cases -----

fn join(value: &Value) -> String {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(|pem| format!("{}\n", pem.trim_end()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn pathological_limbo_cases_finish() {
    let path = repo_root().join("tests/data/conformance/limbo.json");
    let suite: Value =
        serde_json::from_slice(&std::fs::read(path).expect("limbo suite reads")).expect("JSON");
    let cases: Vec<&Value> = suite["testcases"]
        .as_array()
        .expect("testcases")
        .iter()
        .filter(|case| {
            case["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("pathological::"))
        })
        .collect();
    assert!(
        cases.len() >= 10,
        "found {} pathological cases",
        cases.len()
    );

    for case in cases {
        let mut chain = case["peer_certificate"].as_str().unwrap_or("").to_string();
        chain.push('\n');
        chain.push_str(&join(&case["untrusted_intermediates"]));
        let truststore = join(&case["trusted_certs"]);
        let mut opts = options();
        if let Some(at) = case["validation_time"].as_str() {
            opts.at = parse_time(at).unwrap_or(opts.at);
        }
        if case["validation_kind"] == "SERVER" {
            opts.usage = mtls_check::Usage::Server;
        }
        let report = verify_chain(chain.as_bytes(), truststore.as_bytes(), &opts).expect("runs");
        let value = json(&report);
        assert!(!report.items.is_empty(), "{}", case["id"]);
        assert_verdict_consistent(&value);

        let lint = lint_truststore(truststore.as_bytes(), &opts).expect("runs");
        assert_verdict_consistent(&json(&lint));
    }
}

// ----- damaged fixtures keep the other blocks -----

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures"))
        .expect("fixtures list")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".pem") || name.ends_with(".csr") || name.ends_with(".der"))
        .collect();
    names.sort();
    names
}

/// The DER of every PEM block in `text`, with its label.
fn pem_blocks(text: &str) -> Vec<(String, Vec<u8>)> {
    let mut blocks = Vec::new();
    let mut label = None;
    let mut body = String::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("-----BEGIN ") {
            label = Some(rest.trim_end_matches('-').to_string());
            body.clear();
        } else if line.starts_with("-----END ") {
            if let Some(label) = label.take() {
                if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(&body) {
                    blocks.push((label, der));
                }
            }
        } else if label.is_some() {
            body.push_str(line);
        }
    }
    blocks
}

fn good_block() -> String {
    let root = key(77);
    cert_pem(&certificate(
        77,
        "Intact CA",
        &root,
        "Intact CA",
        &root,
        ca_extensions(),
    ))
}

/// Runs `damaged` followed by an intact certificate through inspect and
/// checks that the intact one is the last item and was parsed.
fn assert_intact_block_kept(damaged: &[u8], what: &str) -> Report {
    let mut input = damaged.to_vec();
    input.extend(b"\n");
    input.extend(good_block().as_bytes());
    let report = inspect(&input, &options()).expect("runs");
    let last = report.items.last().expect("at least the intact item");
    assert!(
        last.ok,
        "{what}: the intact block after it was lost: {:?}",
        codes(&report)
    );
    assert_eq!(
        last.summary.as_ref().map(|s| s.subject.as_str()),
        Some("CN=Intact CA"),
        "{what}"
    );
    report
}

#[test]
fn truncated_fixtures_keep_next_block() {
    for name in fixture_names().iter().filter(|n| !n.ends_with(".der")) {
        let bytes = read(name);
        let text = String::from_utf8_lossy(&bytes);
        let Some(begin) = text.find("-----BEGIN") else {
            continue;
        };
        // Cut inside the first block's body.
        let cut = begin + (text[begin..].find("-----END").unwrap_or(0) / 2).max(30);
        let truncated = &bytes[..cut.min(bytes.len())];
        let report = assert_intact_block_kept(truncated, name);
        assert!(
            report.items.len() >= 2,
            "{name}: the truncated block is not an item"
        );
        assert!(!report.findings.is_empty(), "{name}: no finding");
    }
}

#[test]
fn bit_flipped_fixtures_keep_every_block() {
    for name in fixture_names().iter().filter(|n| !n.ends_with(".der")) {
        let text = String::from_utf8_lossy(&read(name)).into_owned();
        let blocks = pem_blocks(&text);
        if blocks.is_empty() {
            continue;
        }
        // Flip the low bit of the outer length octet of each block: the DER
        // then declares another length.
        let flipped: String = blocks
            .iter()
            .map(|(label, der)| {
                let mut der = der.clone();
                if let Some(byte) = der.get_mut(1) {
                    *byte ^= 0x01;
                }
                pem(label, &der)
            })
            .collect();
        let report = assert_intact_block_kept(flipped.as_bytes(), name);
        assert_eq!(report.items.len(), blocks.len() + 1, "{name}");
        assert!(
            report.findings.len() >= blocks.len(),
            "{name}: {:?}",
            codes(&report)
        );
    }
}

#[test]
fn oversized_certificates_give_limit_finding() {
    for name in fixture_names().iter().filter(|n| !n.ends_with(".der")) {
        let text = String::from_utf8_lossy(&read(name)).into_owned();
        let certificates: Vec<Vec<u8>> = pem_blocks(&text)
            .into_iter()
            .filter(|(label, _)| label == "CERTIFICATE")
            .map(|(_, der)| der)
            .collect();
        let Some(first) = certificates.first() else {
            continue;
        };
        // The certificate padded inside one SEQUENCE past the size limit.
        let mut content = first.clone();
        content.resize(limits::MAX_CERTIFICATE_BYTES, 0x00);
        let oversized = cert_pem(&tlv(0x30, &content));
        let report = assert_intact_block_kept(oversized.as_bytes(), name);
        assert_eq!(report.items.len(), 2, "{name}");
        assert_eq!(limit_messages(&report).len(), 1, "{name}");
    }
}

#[test]
fn damaged_der_fixtures_give_findings() {
    for name in fixture_names().iter().filter(|n| n.ends_with(".der")) {
        let bytes = read(name);
        let cut = &bytes[..bytes.len() / 2];
        let report = inspect(cut, &options()).expect("runs");
        assert!(!report.findings.is_empty(), "{name}");
        assert!(!report.items.is_empty(), "{name}");

        let mut flipped = bytes.clone();
        if let Some(byte) = flipped.get_mut(1) {
            *byte ^= 0x01;
        }
        let report = inspect(&flipped, &options()).expect("runs");
        assert!(!report.findings.is_empty(), "{name}");
    }
}

#[test]
fn limit_code_is_registered() {
    assert!(mtls_check::rules::is_registered("input.limit-exceeded"));
    assert_eq!(Limit::DerDepth.max(), limits::MAX_DER_DEPTH);
}

// ----- private keys in every position -----

fn markers() -> Vec<String> {
    std::fs::read_to_string(fixture("private-key-markers.txt"))
        .expect("markers read")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every private key block of the `*-key-truststore.pem` fixtures, as PEM.
fn key_blocks() -> Vec<String> {
    let mut keys = Vec::new();
    for name in fixture_names()
        .iter()
        .filter(|n| n.ends_with("-key-truststore.pem"))
    {
        let text = String::from_utf8_lossy(&read(name)).into_owned();
        let mut inside = false;
        let mut block = String::new();
        for line in text.lines() {
            if line.starts_with("-----BEGIN") && line.contains("PRIVATE KEY") {
                inside = true;
                block.clear();
            }
            if inside {
                block.push_str(line);
                block.push('\n');
            }
            if line.starts_with("-----END") && inside {
                inside = false;
                keys.push(block.clone());
            }
        }
    }
    keys
}

fn every_output(report: &Report) -> Vec<String> {
    vec![
        serde_json::to_string(report).expect("JSON"),
        text::render(report, Colour::Never),
        sarif::render(report, &[("input", "input.pem".to_string())]),
    ]
}

fn assert_key_reported_not_echoed(report: &Report, markers: &[String], what: &str) {
    assert!(
        codes(report).contains(&"input.private-key".to_string()),
        "{what}: {:?}",
        codes(report)
    );
    for output in every_output(report) {
        for marker in markers {
            assert!(
                !output.contains(marker.as_str()),
                "{what}: key material in output"
            );
        }
    }
}

#[test]
fn private_key_anywhere_never_echoed() {
    let markers = markers();
    let keys = key_blocks();
    assert!(keys.len() >= markers.len(), "{} keys", keys.len());
    let chain = String::from_utf8_lossy(&read("p256-chain.pem")).into_owned();
    let truststore = String::from_utf8_lossy(&read("p256-truststore.pem")).into_owned();
    let csr = String::from_utf8_lossy(&read("good.csr")).into_owned();
    let opts = Options::new("apigw-rest", options().at);

    for key in &keys {
        let placements = [
            format!("{key}{truststore}"),
            format!("{truststore}{key}{truststore}"),
            format!("{truststore}{key}"),
        ];
        for (position, bundle) in ["first", "middle", "last"].iter().zip(&placements) {
            let lint = lint_truststore(bundle.as_bytes(), &opts).expect("runs");
            assert_key_reported_not_echoed(&lint, &markers, &format!("lint, key {position}"));
            let verify = verify_chain(chain.as_bytes(), bundle.as_bytes(), &opts).expect("runs");
            assert_key_reported_not_echoed(
                &verify,
                &markers,
                &format!("truststore, key {position}"),
            );
            let report = inspect(bundle.as_bytes(), &opts).expect("runs");
            assert_key_reported_not_echoed(&report, &markers, &format!("inspect, key {position}"));
        }

        let chain_with_key = format!("{chain}{key}");
        let verify =
            verify_chain(chain_with_key.as_bytes(), truststore.as_bytes(), &opts).expect("runs");
        assert_key_reported_not_echoed(&verify, &markers, "chain file");

        let csr_with_key = format!("{csr}{key}");
        let report = inspect_csr(csr_with_key.as_bytes(), &opts).expect("runs");
        assert_key_reported_not_echoed(&report, &markers, "CSR file");
    }
}

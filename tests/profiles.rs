//! Profile limits at their boundaries, the expiry switch, the profiles
//! listing and the generated docs/profiles.md.

mod common;

use common::{codes, fixture, repo_root, run_cli, FIXTURE_TIME};

fn lint_json(path: &str, profile: &str) -> serde_json::Value {
    run_cli(
        &[
            "lint",
            path,
            "--profile",
            profile,
            "--at",
            FIXTURE_TIME,
            "--format",
            "json",
        ],
        None,
    )
    .json()
}

fn lint_codes(path: &str, profile: &str) -> Vec<String> {
    codes(&lint_json(path, profile))
}

fn error_codes(report: &serde_json::Value) -> Vec<String> {
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

fn verify_json(chain: &str, truststore: &str, profile: &str, extra: &[&str]) -> serde_json::Value {
    let chain = fixture(chain);
    let truststore = fixture(truststore);
    let mut args = vec![
        "verify",
        chain.as_str(),
        "--truststore",
        truststore.as_str(),
        "--profile",
        profile,
        "--at",
        FIXTURE_TIME,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    run_cli(&args, None).json()
}

/// Writes a temporary file that is removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(tag: &str, text: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "mtls-check-profiles-{tag}-{}.pem",
            std::process::id()
        ));
        std::fs::write(&path, text).expect("temp file writes");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The first `count` PEM blocks of a fixture.
fn first_blocks(name: &str, count: usize) -> String {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture reads");
    let end = "-----END CERTIFICATE-----\n";
    text.split_inclusive(end).take(count).collect()
}

#[test]
fn ca_count_quotas_at_boundary() {
    for (profile, limit) in [("alb", 25), ("cloudfront", 25), ("cloudflare", 5)] {
        let at_limit = TempFile::new(
            &format!("{profile}-at"),
            &first_blocks("boundary-roots-26.pem", limit),
        );
        let over = TempFile::new(
            &format!("{profile}-over"),
            &first_blocks("boundary-roots-26.pem", limit + 1),
        );
        let report = lint_json(at_limit.path(), profile);
        assert_eq!(report["bundle"]["certificates"], limit, "{profile}");
        assert!(
            !codes(&report).contains(&"truststore.too-many-certificates".to_string()),
            "{profile}: {limit} CAs must pass"
        );
        let report = lint_json(over.path(), profile);
        assert!(
            error_codes(&report).contains(&"truststore.too-many-certificates".to_string()),
            "{profile}: {} CAs must fail",
            limit + 1
        );
    }
}

#[test]
fn rsa_sizes_at_boundary() {
    let cases = [
        ("alb", 2048, true),
        ("alb", 8192, true),
        ("alb", 16384, false),
        ("cloudfront", 2048, true),
        ("cloudfront", 3072, true),
        ("cloudfront", 4096, true),
        ("cloudfront", 4608, false),
        ("cloudfront", 8192, false),
        ("apigw-rest", 16384, true),
        ("apigw-http", 8192, true),
    ];
    for (profile, bits, accepted) in cases {
        let path = fixture(&format!("boundary-rsa{bits}-truststore.pem"));
        let report = lint_json(&path, profile);
        let refused = error_codes(&report).contains(&"cert.unsupported-key".to_string());
        assert_eq!(!refused, accepted, "{profile} RSA-{bits}: {report}");
    }
    let weak = lint_codes(&fixture("rsa1024-inter-truststore.pem"), "alb");
    assert!(weak.contains(&"cert.weak-key".to_string()));
}

#[test]
fn curves_and_ed25519_per_profile() {
    let cases = [
        ("p384-truststore.pem", "cloudfront", true),
        ("p521-truststore.pem", "alb", true),
        ("p521-truststore.pem", "cloudfront", false),
        ("p521-truststore.pem", "apigw-rest", false),
        ("p521-truststore.pem", "apigw-http", true),
        ("ed25519-truststore.pem", "alb", false),
        ("ed25519-truststore.pem", "cloudfront", false),
        ("ed25519-truststore.pem", "rfc5280", true),
    ];
    for (file, profile, accepted) in cases {
        let report = lint_json(&fixture(file), profile);
        let refused = error_codes(&report)
            .iter()
            .any(|c| c == "cert.unsupported-key" || c == "cert.unsupported-signature-algorithm");
        assert_eq!(!refused, accepted, "{file} under {profile}: {report}");
    }
}

#[test]
fn ed25519_refusal_says_undocumented_for_cloudfront() {
    let report = lint_json(&fixture("ed25519-truststore.pem"), "cloudfront");
    let message = report["findings"]
        .as_array()
        .and_then(|findings| {
            findings
                .iter()
                .find(|f| f["code"] == "cert.unsupported-key")
                .and_then(|f| f["message"].as_str().map(str::to_string))
        })
        .unwrap_or_default();
    assert!(message.contains("undocumented"), "{message}");

    let report = lint_json(&fixture("ed25519-truststore.pem"), "alb");
    let alb_message = report["findings"]
        .as_array()
        .and_then(|findings| {
            findings
                .iter()
                .find(|f| f["code"] == "cert.unsupported-key")
                .and_then(|f| f["message"].as_str().map(str::to_string))
        })
        .unwrap_or_default();
    assert!(!alb_message.contains("undocumented"), "{alb_message}");
}

#[test]
fn signature_hashes_per_profile() {
    for profile in ["apigw-rest", "alb", "cloudfront"] {
        let refused = error_codes(&lint_json(&fixture("sha1-inter-truststore.pem"), profile));
        assert!(
            refused.contains(&"cert.weak-signature-algorithm".to_string()),
            "{profile} must refuse a SHA-1 intermediate"
        );
    }
    let cloudflare = error_codes(&lint_json(
        &fixture("sha1-inter-truststore.pem"),
        "cloudflare",
    ));
    assert!(!cloudflare.contains(&"cert.weak-signature-algorithm".to_string()));

    for (profile, accepted) in [("alb", true), ("cloudfront", true), ("apigw-rest", false)] {
        let report = verify_json(
            "rsapss-sig-chain.pem",
            "rsapss-sig-truststore.pem",
            profile,
            &[],
        );
        assert_eq!(
            report["verdict"] == "accept",
            accepted,
            "RSA-PSS under {profile}: {report}"
        );
    }
}

#[test]
fn v3_required_by_alb_and_cloudfront() {
    for (profile, severity) in [
        ("alb", "error"),
        ("cloudfront", "error"),
        ("apigw-rest", "warning"),
    ] {
        let report = lint_json(&fixture("v1-root-truststore.pem"), profile);
        let finding = report["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["code"] == "cert.v1").cloned())
            .unwrap_or_default();
        assert_eq!(finding["severity"], severity, "{profile}");
    }
}

#[test]
fn certificate_size_quota_at_boundary() {
    for profile in ["alb", "cloudfront"] {
        let at_limit = lint_codes(&fixture("boundary-size-16384-truststore.pem"), profile);
        assert!(
            !at_limit.contains(&"truststore.certificate-too-large".to_string()),
            "{profile}"
        );
        let over = lint_codes(&fixture("boundary-size-16385-truststore.pem"), profile);
        assert!(
            over.contains(&"truststore.certificate-too-large".to_string()),
            "{profile}"
        );
    }
    let apigw = lint_codes(&fixture("boundary-size-16385-truststore.pem"), "apigw-rest");
    assert!(!apigw.contains(&"truststore.certificate-too-large".to_string()));
}

/// Builds a bundle of exactly `bytes` bytes: certificates, then `#` comment lines as padding.
fn bundle_of_size(bytes: usize) -> String {
    let mut text = first_blocks("boundary-roots-26.pem", 3);
    while text.len() + 81 <= bytes {
        text.push_str(&format!("#{}\n", "x".repeat(79)));
    }
    let rest = bytes - text.len();
    if rest >= 2 {
        text.push_str(&format!("#{}\n", "x".repeat(rest - 2)));
    } else if rest == 1 {
        text.push('\n');
    }
    assert_eq!(text.len(), bytes);
    text
}

#[test]
fn bundle_size_quota_at_boundary() {
    let at_limit = TempFile::new("bytes-at", &bundle_of_size(1_000_000));
    let over = TempFile::new("bytes-over", &bundle_of_size(1_000_001));
    for profile in ["apigw-rest", "cloudfront"] {
        let report = lint_json(at_limit.path(), profile);
        assert_eq!(report["bundle"]["bytes"], 1_000_000);
        assert!(
            !codes(&report).contains(&"truststore.too-large".to_string()),
            "{profile}"
        );
        let report = lint_json(over.path(), profile);
        assert!(
            codes(&report).contains(&"truststore.too-large".to_string()),
            "{profile}"
        );
    }
    let alb = lint_codes(over.path(), "alb");
    assert!(!alb.contains(&"truststore.too-large".to_string()));
}

#[test]
fn chain_depth_counts_cas_not_the_leaf() {
    for profile in ["apigw-rest", "apigw-http", "alb", "cloudfront"] {
        let four = verify_json("four-ca-chain.pem", "four-ca-truststore.pem", profile, &[]);
        assert_eq!(
            four["verdict"], "accept",
            "{profile}: four CAs pass: {four}"
        );
        let five = verify_json("five-ca-chain.pem", "five-ca-truststore.pem", profile, &[]);
        assert!(
            codes(&five).contains(&"chain.too-long".to_string()),
            "{profile}: five CAs fail"
        );
    }
    let rfc = verify_json(
        "five-ca-chain.pem",
        "five-ca-truststore.pem",
        "rfc5280",
        &[],
    );
    assert_eq!(rfc["verdict"], "accept");
}

#[test]
fn cloudflare_requires_ca_certificates() {
    let report = lint_json(&fixture("leaf-in-truststore.pem"), "cloudflare");
    assert!(error_codes(&report).contains(&"truststore.leaf-certificate".to_string()));
    let report = lint_json(&fixture("leaf-in-truststore.pem"), "alb");
    assert!(!error_codes(&report).contains(&"truststore.leaf-certificate".to_string()));
}

#[test]
fn bundle_format_strict_for_alb_and_cloudfront() {
    for file in [
        "format-blank-lines-truststore.pem",
        "format-comment-dash-truststore.pem",
        "format-text-truststore.pem",
    ] {
        for (profile, strict) in [("alb", true), ("cloudfront", true), ("apigw-rest", false)] {
            let report = lint_json(&fixture(file), profile);
            let error = error_codes(&report).contains(&"truststore.format".to_string());
            assert_eq!(error, strict, "{file} under {profile}");
        }
    }
    let ok = lint_json(&fixture("format-comment-ok-truststore.pem"), "alb");
    assert!(!codes(&ok).contains(&"truststore.format".to_string()));
}

#[test]
fn purpose_check_severity_per_profile() {
    for (profile, verdict) in [
        ("alb", "deny"),
        ("cloudfront", "deny"),
        ("apigw-rest", "accept"),
    ] {
        let report = verify_json(
            "server-eku-leaf-chain.pem",
            "p256-truststore.pem",
            profile,
            &[],
        );
        assert_eq!(report["verdict"], verdict, "{profile}");
        assert!(codes(&report).contains(&"chain.eku-mismatch".to_string()));
    }
}

#[test]
fn expiry_switch_accepts_expired_client_only() {
    for profile in ["alb", "cloudfront"] {
        let plain = verify_json(
            "expired-leaf-chain.pem",
            "p256-truststore.pem",
            profile,
            &[],
        );
        assert_eq!(plain["verdict"], "deny", "{profile}");

        let switched = verify_json(
            "expired-leaf-chain.pem",
            "p256-truststore.pem",
            profile,
            &["--ignore-client-expiry"],
        );
        assert_eq!(switched["verdict"], "accept", "{profile}: {switched}");
        let expired = switched["findings"]
            .as_array()
            .and_then(|f| f.iter().find(|f| f["code"] == "cert.expired").cloned())
            .unwrap_or_default();
        assert_eq!(expired["severity"], "warning");

        let ca_expired = verify_json(
            "expired-inter-chain.pem",
            "expired-inter-truststore.pem",
            profile,
            &["--ignore-client-expiry"],
        );
        assert_eq!(
            ca_expired["verdict"], "deny",
            "{profile}: an expired CA still rejects"
        );

        let not_yet = verify_json(
            "not-yet-valid-leaf-chain.pem",
            "p256-truststore.pem",
            profile,
            &["--ignore-client-expiry"],
        );
        assert_eq!(
            not_yet["verdict"], "deny",
            "{profile}: the switch covers expiry only"
        );
    }
}

#[test]
fn expiry_switch_rejected_for_other_profiles() {
    for profile in ["apigw-rest", "apigw-http", "cloudflare", "rfc5280"] {
        let run = run_cli(
            &[
                "verify",
                &fixture("expired-leaf-chain.pem"),
                "--truststore",
                &fixture("p256-truststore.pem"),
                "--profile",
                profile,
                "--ignore-client-expiry",
            ],
            None,
        );
        assert_eq!(run.code, 2, "{profile}");
        assert!(
            run.stderr.contains("no option to accept expired"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn profiles_lists_every_limit_with_citation() {
    let run = run_cli(&["profiles", "--format", "json"], None);
    assert_eq!(run.code, 0);
    let listing = run.json();
    let profiles = listing.as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = profiles.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            "apigw-rest",
            "apigw-http",
            "alb",
            "cloudfront",
            "cloudflare",
            "rfc5280",
            "webpki"
        ]
    );
    for profile in &profiles {
        let limits = profile["limits"].as_array().cloned().unwrap_or_default();
        assert!(limits.len() >= 17, "{}", profile["name"]);
        for limit in limits {
            assert!(limit["citation"].as_str().is_some_and(|c| !c.is_empty()));
            let documented = limit["documented"].as_bool().unwrap_or(true);
            let marked = limit["citation"]
                .as_str()
                .unwrap_or_default()
                .contains("undocumented");
            assert_eq!(documented, !marked, "{limit}");
        }
    }
}

#[test]
fn docs_profiles_page_matches_command() {
    let run = run_cli(&["profiles"], None);
    let page = std::fs::read_to_string(repo_root().join("docs/profiles.md")).unwrap_or_default();
    assert!(
        page == run.stdout,
        "docs/profiles.md differs from `mtls-check profiles`; run `make docs` and commit the result"
    );
}

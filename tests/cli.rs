//! CLI integration tests on the committed fixtures: for every finding code
//! the tool emits, one input that triggers it and one that does not, plus
//! exit codes, formats and error messages.

mod common;

use common::{codes, fixture, run_cli, FIXTURE_TIME};

/// One CLI run and what its report must show.
struct Expect {
    args: Vec<String>,
    verdict: &'static str,
    present: &'static [&'static str],
    absent: &'static [&'static str],
}

fn verify(chain: &str, truststore: &str, profile: &str) -> Vec<String> {
    vec![
        "verify".into(),
        fixture(chain),
        "--truststore".into(),
        fixture(truststore),
        "--profile".into(),
        profile.into(),
    ]
}

fn lint(truststore: &str, profile: &str) -> Vec<String> {
    vec![
        "lint".into(),
        fixture(truststore),
        "--profile".into(),
        profile.into(),
    ]
}

fn csr(file: &str) -> Vec<String> {
    vec!["csr".into(), fixture(file)]
}

fn check(expectations: Vec<Expect>) {
    let mut problems = Vec::new();
    for expect in expectations {
        let mut args = expect.args.clone();
        args.extend([
            "--at".into(),
            FIXTURE_TIME.into(),
            "--format".into(),
            "json".into(),
        ]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = run_cli(&refs, None);
        let label = expect.args.join(" ").replace(&fixture(""), "");
        let report = match serde_json::from_str::<serde_json::Value>(&run.stdout) {
            Ok(report) => report,
            Err(_) => {
                problems.push(format!("{label}: no JSON; stderr {}", run.stderr));
                continue;
            }
        };
        let found = codes(&report);
        if report["verdict"] != expect.verdict {
            problems.push(format!(
                "{label}: verdict {} (expected {}); findings {found:?}",
                report["verdict"], expect.verdict
            ));
        }
        let expected_exit = if matches!(expect.verdict, "deny" | "fail") {
            1
        } else {
            0
        };
        if run.code != expected_exit {
            problems.push(format!(
                "{label}: exit {} (expected {expected_exit})",
                run.code
            ));
        }
        for code in expect.present {
            if !found.iter().any(|c| c == code) {
                problems.push(format!("{label}: missing {code}; found {found:?}"));
            }
        }
        for code in expect.absent {
            if found.iter().any(|c| c == code) {
                problems.push(format!("{label}: unexpected {code}; found {found:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn good_chains_accepted_in_every_algorithm() {
    let mut list = Vec::new();
    for pki in ["p256", "rsa2048", "rsa3072", "p384"] {
        for profile in ["apigw-rest", "rfc5280"] {
            list.push(Expect {
                args: verify(
                    &format!("{pki}-chain.pem"),
                    &format!("{pki}-truststore.pem"),
                    profile,
                ),
                verdict: "accept",
                present: &[],
                absent: &["chain.unknown-issuer", "cert.weak-key"],
            });
        }
    }
    for pki in ["ed25519", "rsapss", "rsapss-sig", "p521"] {
        list.push(Expect {
            args: verify(
                &format!("{pki}-chain.pem"),
                &format!("{pki}-truststore.pem"),
                "rfc5280",
            ),
            verdict: "accept",
            present: &[],
            absent: &["chain.unknown-issuer", "chain.bad-signature"],
        });
    }
    check(list);
}

#[test]
fn unsupported_keys_and_algorithms_denied_by_apigw() {
    check(vec![
        Expect {
            args: verify("p521-chain.pem", "p521-truststore.pem", "apigw-rest"),
            verdict: "deny",
            present: &["cert.unsupported-key"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("ed25519-chain.pem", "ed25519-truststore.pem", "apigw-rest"),
            verdict: "deny",
            present: &["cert.unsupported-key"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify(
                "secp256k1-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.unsupported-key"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify(
                "rsapss-sig-chain.pem",
                "rsapss-sig-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.unsupported-signature-algorithm"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("rsapss-sig-chain.pem", "rsapss-sig-truststore.pem", "alb"),
            verdict: "accept",
            present: &[],
            absent: &["cert.unsupported-signature-algorithm"],
        },
        Expect {
            args: verify(
                "rsa1024-leaf-chain.pem",
                "rsa2048-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.weak-key"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify(
                "rsa1024-inter-chain.pem",
                "rsa1024-inter-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.weak-key"],
            absent: &[],
        },
        Expect {
            args: verify(
                "sha1-leaf-chain.pem",
                "rsa2048-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.weak-signature-algorithm"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("sha1-leaf-chain.pem", "rsa2048-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &["cert.weak-signature-algorithm"],
            absent: &[],
        },
        Expect {
            args: verify(
                "sha1-root-chain.pem",
                "sha1-root-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &["cert.weak-signature-algorithm"],
            absent: &[],
        },
        Expect {
            args: verify(
                "sha1-inter-chain.pem",
                "sha1-inter-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.weak-signature-algorithm"],
            absent: &[],
        },
    ]);
}

#[test]
fn validity_findings() {
    check(vec![
        Expect {
            args: verify(
                "expired-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.expired"],
            absent: &["cert.not-yet-valid"],
        },
        Expect {
            args: verify(
                "not-yet-valid-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.not-yet-valid"],
            absent: &["cert.expired"],
        },
        Expect {
            args: verify(
                "expiring-soon-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &["cert.expiring-soon"],
            absent: &["cert.expired"],
        },
        Expect {
            args: verify("p256-chain.pem", "p256-truststore.pem", "apigw-rest"),
            verdict: "accept",
            present: &[],
            absent: &["cert.expiring-soon", "cert.expired"],
        },
        Expect {
            args: verify(
                "expired-root-chain.pem",
                "expired-root-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.expired"],
            absent: &[],
        },
        Expect {
            args: verify(
                "expired-inter-chain.pem",
                "expired-inter-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["cert.expired"],
            absent: &[],
        },
        Expect {
            args: lint("expiring-soon-inter-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["cert.expiring-soon"],
            absent: &["cert.expired"],
        },
        Expect {
            args: lint("expired-inter-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["cert.expired"],
            absent: &[],
        },
    ]);
}

#[test]
fn path_findings() {
    check(vec![
        Expect {
            args: verify("four-ca-chain.pem", "four-ca-truststore.pem", "apigw-rest"),
            verdict: "accept",
            present: &[],
            absent: &["chain.too-long"],
        },
        Expect {
            args: verify("five-ca-chain.pem", "five-ca-truststore.pem", "apigw-rest"),
            verdict: "deny",
            present: &["chain.too-long"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("five-ca-chain.pem", "five-ca-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &[],
            absent: &["chain.too-long"],
        },
        Expect {
            args: verify("p256-chain.pem", "root-only-truststore.pem", "apigw-rest"),
            verdict: "deny",
            present: &["chain.issuer-not-in-truststore"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("p256-chain.pem", "root-only-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &[],
            absent: &["chain.issuer-not-in-truststore"],
        },
        Expect {
            args: verify(
                "self-signed-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["chain.self-signed-leaf"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify(
                "unknown-issuer-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["chain.unknown-issuer"],
            absent: &["chain.self-signed-leaf"],
        },
        Expect {
            args: verify("impostor-chain.pem", "root-only-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &[],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify(
                "impostor-only-chain.pem",
                "root-only-truststore.pem",
                "rfc5280",
            ),
            verdict: "deny",
            present: &["chain.unknown-issuer", "chain.candidate-rejected"],
            absent: &[],
        },
        Expect {
            args: verify(
                "p256-leaf.pem",
                "same-subject-other-key-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["chain.unknown-issuer"],
            absent: &[],
        },
        Expect {
            args: verify(
                "bad-signature-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["chain.bad-signature"],
            absent: &[],
        },
        Expect {
            args: verify("not-a-ca-chain.pem", "p256-truststore.pem", "rfc5280"),
            verdict: "deny",
            present: &["chain.not-a-ca"],
            absent: &[],
        },
        Expect {
            args: verify("pathlen-chain.pem", "pathlen-truststore.pem", "apigw-rest"),
            verdict: "deny",
            present: &["chain.path-len-exceeded"],
            absent: &[],
        },
        Expect {
            args: verify(
                "name-constraints-ok-chain.pem",
                "name-constraints-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &[],
            absent: &["chain.name-constraints"],
        },
        Expect {
            args: verify(
                "name-constraints-bad-chain.pem",
                "name-constraints-truststore.pem",
                "apigw-rest",
            ),
            verdict: "deny",
            present: &["chain.name-constraints"],
            absent: &[],
        },
        Expect {
            args: verify(
                "server-eku-leaf-chain.pem",
                "p256-truststore.pem",
                "rfc5280",
            ),
            verdict: "deny",
            present: &["chain.eku-mismatch"],
            absent: &[],
        },
        Expect {
            args: verify("no-eku-leaf-chain.pem", "p256-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &[],
            absent: &["chain.eku-mismatch"],
        },
    ]);
}

#[test]
fn server_usage_checks_peer_name() {
    let mut ok = verify("server-leaf-chain.pem", "p256-truststore.pem", "rfc5280");
    ok.extend([
        "--usage".into(),
        "server".into(),
        "--peer-name".into(),
        "api.example.test".into(),
    ]);
    let mut ip = verify("server-leaf-chain.pem", "p256-truststore.pem", "rfc5280");
    ip.extend([
        "--usage".into(),
        "server".into(),
        "--peer-name".into(),
        "127.0.0.1".into(),
    ]);
    let mut wrong = verify("server-leaf-chain.pem", "p256-truststore.pem", "rfc5280");
    wrong.extend([
        "--usage".into(),
        "server".into(),
        "--peer-name".into(),
        "other.example.test".into(),
    ]);
    check(vec![
        Expect {
            args: ok,
            verdict: "accept",
            present: &[],
            absent: &["chain.name-mismatch"],
        },
        Expect {
            args: ip,
            verdict: "accept",
            present: &[],
            absent: &["chain.name-mismatch"],
        },
        Expect {
            args: wrong,
            verdict: "deny",
            present: &["chain.name-mismatch"],
            absent: &[],
        },
    ]);
}

#[test]
fn certificate_quirks() {
    check(vec![
        Expect {
            args: verify(
                "negative-serial-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &["cert.negative-serial"],
            absent: &["cert.serial-too-long"],
        },
        Expect {
            args: verify(
                "long-serial-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &["cert.serial-too-long"],
            absent: &["cert.negative-serial"],
        },
        Expect {
            args: verify(
                "serial-20-octets-leaf-chain.pem",
                "p256-truststore.pem",
                "apigw-rest",
            ),
            verdict: "accept",
            present: &[],
            absent: &["cert.serial-too-long", "cert.negative-serial"],
        },
        Expect {
            args: verify("v1-root-chain.pem", "v1-root-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &["cert.v1"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("v1-leaf-chain.pem", "p256-truststore.pem", "rfc5280"),
            verdict: "deny",
            present: &["cert.v1"],
            absent: &[],
        },
        Expect {
            args: lint("v1-root-truststore.pem", "alb"),
            verdict: "fail",
            present: &["cert.v1"],
            absent: &["truststore.leaf-certificate"],
        },
    ]);
}

#[test]
fn truststore_findings() {
    check(vec![
        Expect {
            args: lint("p256-truststore.pem", "apigw-rest"),
            verdict: "pass",
            present: &[],
            absent: &[
                "truststore.duplicate",
                "truststore.missing-issuer",
                "truststore.format",
            ],
        },
        Expect {
            args: lint("duplicate-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["truststore.duplicate"],
            absent: &[],
        },
        Expect {
            args: lint("leaf-in-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["truststore.leaf-certificate"],
            absent: &[],
        },
        Expect {
            args: lint("leaf-in-truststore.pem", "cloudflare"),
            verdict: "fail",
            present: &["truststore.leaf-certificate"],
            absent: &[],
        },
        Expect {
            args: lint("missing-issuer-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["truststore.missing-issuer"],
            absent: &[],
        },
        Expect {
            args: lint("same-subject-different-key-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["truststore.same-subject-different-key"],
            absent: &["truststore.duplicate"],
        },
        Expect {
            args: lint("format-blank-lines-truststore.pem", "alb"),
            verdict: "fail",
            present: &["truststore.format"],
            absent: &[],
        },
        Expect {
            args: lint("format-comment-dash-truststore.pem", "alb"),
            verdict: "fail",
            present: &["truststore.format"],
            absent: &[],
        },
        Expect {
            args: lint("format-comment-ok-truststore.pem", "alb"),
            verdict: "pass",
            present: &[],
            absent: &["truststore.format"],
        },
        Expect {
            args: lint("format-text-truststore.pem", "alb"),
            verdict: "fail",
            present: &["truststore.format"],
            absent: &["input.malformed"],
        },
        Expect {
            args: lint("format-trailing-garbage-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["truststore.format"],
            absent: &[],
        },
        Expect {
            args: lint("bom-crlf-truststore.pem", "apigw-rest"),
            verdict: "warn",
            present: &["truststore.format"],
            absent: &["input.malformed"],
        },
        Expect {
            args: lint("crl-in-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["input.not-a-certificate"],
            absent: &["input.malformed"],
        },
        Expect {
            args: lint("csr-in-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["input.not-a-certificate"],
            absent: &["input.malformed"],
        },
        Expect {
            args: lint("malformed-block-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["input.malformed"],
            absent: &[],
        },
        Expect {
            args: lint("missing-end-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["input.malformed"],
            absent: &[],
        },
        Expect {
            args: lint("garbage-der-truststore.pem", "apigw-rest"),
            verdict: "fail",
            present: &["input.malformed"],
            absent: &[],
        },
        Expect {
            args: lint("p256-truststore.pem", "alb"),
            verdict: "pass",
            present: &[],
            absent: &["truststore.too-many-certificates"],
        },
    ]);
}

#[test]
fn private_keys_reported_never_echoed() {
    let markers =
        std::fs::read_to_string(fixture("private-key-markers.txt")).expect("markers read");
    for file in [
        "pkcs8-key-truststore.pem",
        "rsa-key-truststore.pem",
        "ec-key-truststore.pem",
        "encrypted-key-truststore.pem",
    ] {
        for format in ["json", "text"] {
            let run = run_cli(
                &[
                    "lint",
                    &fixture(file),
                    "--at",
                    FIXTURE_TIME,
                    "--format",
                    format,
                ],
                None,
            );
            assert_eq!(run.code, 1, "{file} {format}: exit code");
            assert!(
                run.stdout.contains("input.private-key"),
                "{file} {format}: no input.private-key"
            );
            for marker in markers.lines().filter(|l| !l.trim().is_empty()) {
                assert!(
                    !run.stdout.contains(marker.trim()),
                    "{file} {format}: key material in output"
                );
                assert!(
                    !run.stderr.contains(marker.trim()),
                    "{file} {format}: key material in stderr"
                );
            }
        }
        let report = run_cli(
            &[
                "lint",
                &fixture(file),
                "--at",
                FIXTURE_TIME,
                "--format",
                "json",
            ],
            None,
        )
        .json();
        assert_eq!(
            report["items"].as_array().map(Vec::len),
            Some(3),
            "{file}: every block is an item"
        );
    }
}

#[test]
fn csr_findings() {
    check(vec![
        Expect {
            args: csr("good.csr"),
            verdict: "pass",
            present: &[],
            absent: &[
                "csr.bad-signature",
                "csr.no-identity",
                "csr.requests-ca",
                "csr.challenge-password",
            ],
        },
        Expect {
            args: csr("rsa2048.csr"),
            verdict: "pass",
            present: &[],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("bad-signature.csr"),
            verdict: "fail",
            present: &["csr.bad-signature"],
            absent: &[],
        },
        Expect {
            args: csr("requests-ca.csr"),
            verdict: "fail",
            present: &["csr.requests-ca"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("challenge-password.csr"),
            verdict: "warn",
            present: &["csr.challenge-password"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("no-identity.csr"),
            verdict: "fail",
            present: &["csr.no-identity"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("san-only.csr"),
            verdict: "pass",
            present: &[],
            absent: &["csr.no-identity"],
        },
        Expect {
            args: csr("rsa1024.csr"),
            verdict: "fail",
            present: &["csr.weak-key"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("sha1.csr"),
            verdict: "warn",
            present: &["csr.weak-signature-algorithm"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("p521.csr"),
            verdict: "fail",
            present: &["csr.unsupported-key"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("empty-extension-request.csr"),
            verdict: "warn",
            present: &["csr.empty-extension-request"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("no-attributes.csr"),
            verdict: "warn",
            present: &["csr.structure"],
            absent: &["csr.bad-signature", "input.malformed"],
        },
        Expect {
            args: csr("server-eku.csr"),
            verdict: "warn",
            present: &["csr.eku-mismatch"],
            absent: &[],
        },
        Expect {
            args: csr("ed25519.csr"),
            verdict: "fail",
            present: &["csr.unsupported-key"],
            absent: &["csr.bad-signature"],
        },
        Expect {
            args: csr("rsapss.csr"),
            verdict: "fail",
            present: &[],
            absent: &["csr.bad-signature"],
        },
    ]);
}

#[test]
fn encodings_read_alike() {
    for chain in [
        "p256-chain.der",
        "p256-leaf.b64",
        "p256-leaf.urlenc",
        "indented-chain.pem",
        "joined-by-spaces-chain.pem",
        "single-line-chain.pem",
    ] {
        let run = run_cli(
            &[
                "verify",
                &fixture(chain),
                "--truststore",
                &fixture("p256-truststore.pem"),
                "--at",
                FIXTURE_TIME,
                "--format",
                "json",
            ],
            None,
        );
        let report = run.json();
        assert_eq!(
            report["verdict"], "accept",
            "{chain}: {}",
            report["findings"]
        );
        assert!(
            !codes(&report).iter().any(|c| c == "input.malformed"),
            "{chain}: malformed"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    let unknown = run_cli(
        &["lint", &fixture("p256-truststore.pem"), "--profile", "nope"],
        None,
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("unknown profile"),
        "{}",
        unknown.stderr
    );
    let bad_time = run_cli(
        &["lint", &fixture("p256-truststore.pem"), "--at", "yesterday"],
        None,
    );
    assert_eq!(bad_time.code, 2);
    assert!(bad_time.stderr.contains("RFC 3339"), "{}", bad_time.stderr);
    let missing = run_cli(&["lint", "/nonexistent/bundle.pem"], None);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("/nonexistent/bundle.pem"),
        "{}",
        missing.stderr
    );
    let empty = run_cli(
        &[
            "verify",
            &fixture("README.md"),
            "--truststore",
            &fixture("p256-truststore.pem"),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(empty.code, 2);
    assert!(codes(&empty.json())
        .iter()
        .any(|c| c == "input.no-certificate"));
}

#[test]
fn text_format_lists_findings_with_positions() {
    let run = run_cli(
        &[
            "lint",
            &fixture("duplicate-truststore.pem"),
            "--at",
            FIXTURE_TIME,
        ],
        None,
    );
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("WARN"), "{}", run.stdout);
    assert!(
        run.stdout.contains("truststore.duplicate"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("truststore:24"), "{}", run.stdout);
    assert!(
        run.stdout.contains("duplicate-truststore.pem"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "colour on a pipe");
}

#[test]
fn every_emitted_code_is_registered() {
    let mut unregistered = Vec::new();
    for args in [
        lint("missing-issuer-truststore.pem", "apigw-rest"),
        lint("pkcs8-key-truststore.pem", "alb"),
        verify(
            "impostor-only-chain.pem",
            "root-only-truststore.pem",
            "rfc5280",
        ),
        csr("no-attributes.csr"),
    ] {
        let mut args = args;
        args.extend([
            "--at".into(),
            FIXTURE_TIME.into(),
            "--format".into(),
            "json".into(),
        ]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        for code in codes(&run_cli(&refs, None).json()) {
            if !mtls_check::rules::is_registered(&code) {
                unregistered.push(code);
            }
        }
    }
    assert!(
        unregistered.is_empty(),
        "unregistered codes: {unregistered:?}"
    );
}

/// Writes `copies` concatenated copies of a fixture to a temporary file.
fn repeated_fixture(name: &str, copies: usize, tag: &str) -> std::path::PathBuf {
    let block = std::fs::read_to_string(fixture(name)).expect("fixture reads");
    let path = std::env::temp_dir().join(format!("mtls-check-{tag}-{}.pem", std::process::id()));
    std::fs::write(&path, block.repeat(copies)).expect("temp file writes");
    path
}

#[test]
fn truststore_quotas() {
    let at_quota = repeated_fixture("p256-root.pem", 1000, "at-quota");
    let over_quota = repeated_fixture("p256-root.pem", 1001, "over-quota");
    let too_large = repeated_fixture("rsa3072-inter.pem", 700, "too-large");
    let run = |path: &std::path::Path, profile: &str| {
        run_cli(
            &[
                "lint",
                path.to_str().unwrap_or_default(),
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
    };

    let report = run(&at_quota, "apigw-rest");
    assert!(!codes(&report)
        .iter()
        .any(|c| c == "truststore.too-many-certificates"));
    assert_eq!(report["items"].as_array().map(Vec::len), Some(1000));

    let report = run(&over_quota, "apigw-rest");
    assert!(codes(&report)
        .iter()
        .any(|c| c == "truststore.too-many-certificates"));
    assert_eq!(report["verdict"], "fail");

    let report = run(&too_large, "apigw-rest");
    assert!(codes(&report).iter().any(|c| c == "truststore.too-large"));
    assert!(!codes(&report)
        .iter()
        .any(|c| c == "truststore.too-many-certificates"));

    let report = run(&too_large, "rfc5280");
    assert!(!codes(&report).iter().any(|c| c == "truststore.too-large"));

    for path in [at_quota, over_quota, too_large] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn ca_presented_as_client_certificate() {
    check(vec![
        Expect {
            args: verify("p256-inter.pem", "p256-truststore.pem", "rfc5280"),
            verdict: "deny",
            present: &["chain.ca-as-leaf"],
            absent: &["chain.unknown-issuer"],
        },
        Expect {
            args: verify("p256-leaf.pem", "p256-truststore.pem", "rfc5280"),
            verdict: "accept",
            present: &[],
            absent: &["chain.ca-as-leaf"],
        },
    ]);
}

#[test]
fn inspect_describes_every_certificate() {
    let run = run_cli(
        &["inspect", &fixture("p256-chain.pem"), "--format", "json"],
        None,
    );
    assert_eq!(run.code, 0);
    let report = run.json();
    let certificates = report["certificates"]
        .as_array()
        .expect("certificates listed");
    assert_eq!(certificates.len(), 2);
    let leaf = &certificates[0];
    assert_eq!(leaf["subject"], "CN=client-001,O=Example");
    assert_eq!(leaf["public_key"]["name"], "EC P-256");
    assert!(leaf["fingerprints"]["sha256"]
        .as_str()
        .is_some_and(|f| f.len() == 95));
    assert!(leaf["fingerprints"]["sha1"]
        .as_str()
        .is_some_and(|f| f.len() == 59));
    assert!(leaf["extensions"].as_array().is_some_and(|e| !e.is_empty()));
    assert_eq!(leaf["extended_key_usage"][0], "clientAuth");

    let negative = run_cli(
        &[
            "inspect",
            &fixture("negative-serial-leaf-chain.pem"),
            "--format",
            "json",
        ],
        None,
    )
    .json();
    assert_eq!(negative["certificates"][0]["serial"]["hex"], "-1234");
    assert_eq!(negative["certificates"][0]["serial"]["decimal"], "-4660");
}

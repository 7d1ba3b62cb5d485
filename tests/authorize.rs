//! The authorizer decision on real-shaped API Gateway events built from the
//! fixtures: REST, HTTP API payload 1.0 and 2.0, each policy check allowing
//! and denying, and the CLI.

mod common;

use common::{fixture, run_cli, FIXTURE_TIME};
use serde_json::{json, Value};

const METHOD_ARN: &str = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/orders";
const ROUTE_ARN: &str = "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/$default/GET/orders";

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("fixture reads")
}

fn at() -> i64 {
    mtls_check::parse_time(FIXTURE_TIME).expect("fixture time parses")
}

/// Builds the clientCert object API Gateway adds, with metadata as AWS prints it.
fn client_cert(pem: &str) -> Value {
    json!({
        "clientCertPem": pem,
        "subjectDN": "O=Example,CN=client-001",
        "issuerDN": "O=Example,CN=Example Issuing CA",
        "serialNumber": "1",
        "validity": { "notBefore": "Jan  1 00:00:00 2020 GMT", "notAfter": "Jan  1 00:00:00 2050 GMT" }
    })
}

fn rest_event(pem: &str) -> Value {
    json!({
        "type": "REQUEST",
        "methodArn": METHOD_ARN,
        "resource": "/orders",
        "path": "/orders",
        "httpMethod": "GET",
        "headers": { "Host": "api.example.test" },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "stage": "prod",
            "identity": { "sourceIp": "192.0.2.10", "clientCert": client_cert(pem) }
        }
    })
}

fn http_v1_event(pem: &str) -> Value {
    let mut event = rest_event(pem);
    event["version"] = json!("1.0");
    event
}

fn http_v2_event(pem: &str) -> Value {
    json!({
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": ROUTE_ARN,
        "routeKey": "GET /orders",
        "rawPath": "/orders",
        "headers": { "host": "api.example.test" },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "authentication": { "clientCert": client_cert(pem) },
            "http": { "method": "GET", "path": "/orders", "sourceIp": "192.0.2.10" },
            "stage": "$default"
        }
    })
}

fn decide(event: &Value, policy: &Value) -> mtls_check::Authorization {
    mtls_check::authorize(
        event.to_string().as_bytes(),
        policy.to_string().as_bytes(),
        at(),
    )
    .expect("policy is valid")
}

fn leaf_fingerprint() -> String {
    let report = mtls_check::inspect(
        read("p256-leaf.pem").as_bytes(),
        &mtls_check::Options::new("apigw-rest", at()),
    )
    .expect("inspect runs");
    report.items[0]
        .summary
        .as_ref()
        .map(|s| s.sha256_fingerprint.clone())
        .unwrap_or_default()
}

fn leaf_serial() -> String {
    let report = mtls_check::inspect(
        read("p256-leaf.pem").as_bytes(),
        &mtls_check::Options::new("apigw-rest", at()),
    )
    .expect("inspect runs");
    report.items[0]
        .summary
        .as_ref()
        .map(|s| s.serial.clone())
        .unwrap_or_default()
}

fn reason_codes(decision: &mtls_check::Authorization) -> Vec<String> {
    decision.reasons.iter().map(|r| r.code.clone()).collect()
}

#[test]
fn rest_event_gets_iam_policy() {
    let policy = json!({ "truststore": read("p256-truststore.pem") });
    let decision = decide(&rest_event(&read("p256-leaf.pem")), &policy);
    assert!(decision.allowed, "{:?}", decision.reasons);
    let response = &decision.response;
    assert_eq!(response["principalId"], "CN=client-001,O=Example");
    let statement = &response["policyDocument"]["Statement"][0];
    assert_eq!(statement["Effect"], "Allow");
    assert_eq!(statement["Action"], "execute-api:Invoke");
    assert_eq!(statement["Resource"], METHOD_ARN);
    assert_eq!(response["policyDocument"]["Version"], "2012-10-17");
    assert_eq!(response["context"]["decision"], "allow");
    assert_eq!(response["context"]["subject"], "CN=client-001,O=Example");
    assert!(response["context"]["fingerprint"]
        .as_str()
        .is_some_and(|f| f.len() == 64));
    for value in response["context"]
        .as_object()
        .into_iter()
        .flat_map(|c| c.values())
    {
        assert!(value.is_string(), "context values must be strings: {value}");
    }
}

#[test]
fn http_v1_event_gets_iam_policy() {
    let decision = decide(&http_v1_event(&read("p256-leaf.pem")), &json!({}));
    assert!(decision.allowed);
    assert_eq!(
        decision.response["policyDocument"]["Statement"][0]["Effect"],
        "Allow"
    );
    assert_eq!(decision.response["context"]["profile"], "apigw-rest");
}

#[test]
fn http_v2_event_gets_simple_response() {
    let policy = json!({ "truststore": read("p256-truststore.pem") });
    let decision = decide(&http_v2_event(&read("p256-leaf.pem")), &policy);
    assert!(decision.allowed, "{:?}", decision.reasons);
    assert_eq!(decision.response["isAuthorized"], true);
    assert_eq!(decision.response["context"]["profile"], "apigw-http");
    assert!(decision.response.get("policyDocument").is_none());

    let denied = decide(
        &http_v2_event(&read("p256-leaf.pem")),
        &json!({ "deniedSerials": [leaf_serial()] }),
    );
    assert_eq!(denied.response["isAuthorized"], false);
    assert!(denied.response["context"]["reasons"]
        .as_str()
        .is_some_and(|r| r.contains("deny list")));
}

#[test]
fn truststore_check_denies_untrusted_chain() {
    let policy = json!({ "truststore": read("p384-truststore.pem") });
    let decision = decide(&rest_event(&read("p256-leaf.pem")), &policy);
    assert!(!decision.allowed);
    assert_eq!(
        decision.response["policyDocument"]["Statement"][0]["Effect"],
        "Deny"
    );
    assert!(
        reason_codes(&decision)
            .iter()
            .any(|c| c.starts_with("chain.")),
        "{:?}",
        decision.reasons
    );
    assert!(decision.response["context"]["reasonCodes"]
        .as_str()
        .is_some_and(|c| c.contains("chain.")));
}

#[test]
fn truststore_check_uses_policy_time() {
    let expired = read("expired-leaf-chain.pem");
    let policy = json!({ "truststore": read("p256-truststore.pem"), "at": FIXTURE_TIME });
    let decision = decide(&rest_event(&expired), &policy);
    assert!(reason_codes(&decision).contains(&"cert.expired".to_string()));
    let earlier =
        json!({ "truststore": read("p256-truststore.pem"), "at": "2025-01-01T00:00:00Z" });
    assert!(decide(&rest_event(&expired), &earlier).allowed);
}

#[test]
fn issuer_check() {
    let event = rest_event(&read("p256-leaf.pem"));
    let allowed = json!({ "allowedIssuers": ["CN=Example Issuing CA, O=Example"] });
    assert!(decide(&event, &allowed).allowed);
    let certificate_order = json!({ "allowedIssuers": ["O=Example,CN=example issuing ca"] });
    assert!(decide(&event, &certificate_order).allowed);
    let other = json!({ "allowedIssuers": ["CN=Other CA,O=Example"] });
    let decision = decide(&event, &other);
    assert_eq!(reason_codes(&decision), ["policy.issuer-not-allowed"]);
}

#[test]
fn subject_pattern_check() {
    let event = rest_event(&read("p256-leaf.pem"));
    assert!(
        decide(
            &event,
            &json!({ "subjectPatterns": ["CN=client-*,O=Example"] })
        )
        .allowed
    );
    let decision = decide(
        &event,
        &json!({ "subjectPatterns": ["CN=admin-*,O=Example"] }),
    );
    assert_eq!(reason_codes(&decision), ["policy.subject-not-allowed"]);
}

#[test]
fn san_pattern_check() {
    let event = rest_event(&read("p256-leaf.pem"));
    assert!(
        decide(
            &event,
            &json!({ "sanPatterns": ["spiffe://example.test/*"] })
        )
        .allowed
    );
    assert!(decide(&event, &json!({ "sanPatterns": ["*@example.test"] })).allowed);
    let decision = decide(&event, &json!({ "sanPatterns": ["spiffe://other.test/*"] }));
    assert_eq!(reason_codes(&decision), ["policy.san-not-allowed"]);
}

#[test]
fn fingerprint_pin_check() {
    let event = rest_event(&read("p256-leaf.pem"));
    let pinned = json!({ "fingerprints": [leaf_fingerprint()] });
    assert!(decide(&event, &pinned).allowed);
    let bare = json!({ "fingerprints": [leaf_fingerprint().replace(':', "").to_lowercase()] });
    assert!(decide(&event, &bare).allowed);
    let decision = decide(&event, &json!({ "fingerprints": ["00".repeat(32)] }));
    assert_eq!(reason_codes(&decision), ["policy.fingerprint-not-pinned"]);
}

#[test]
fn serial_deny_list_check() {
    let event = rest_event(&read("p256-leaf.pem"));
    assert!(decide(&event, &json!({ "deniedSerials": ["01"] })).allowed);
    let serial = leaf_serial();
    let colon_hex: Vec<String> = serial
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_uppercase())
        .collect();
    let decision = decide(
        &event,
        &json!({ "deniedSerials": [format!("00:{}", colon_hex.join(":"))] }),
    );
    assert_eq!(reason_codes(&decision), ["policy.serial-denied"]);
}

#[test]
fn every_failed_check_is_a_reason() {
    let event = rest_event(&read("p256-leaf.pem"));
    let policy = json!({
        "allowedIssuers": ["CN=Other CA"],
        "subjectPatterns": ["CN=admin"],
        "fingerprints": ["00"],
    });
    let decision = decide(&event, &policy);
    assert_eq!(decision.reasons.len(), 3);
    let reasons = decision.response["context"]["reasons"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(reasons.split("; ").count(), 3);
}

#[test]
fn event_without_certificate_denied() {
    let mut event = rest_event("");
    event["requestContext"]["identity"] = json!({ "sourceIp": "192.0.2.10" });
    let decision = decide(&event, &json!({}));
    assert_eq!(reason_codes(&decision), ["event.no-client-certificate"]);
    assert_eq!(decision.response["principalId"], "unknown-client");

    let decision = decide(&rest_event("not a certificate"), &json!({}));
    assert_eq!(reason_codes(&decision), ["event.malformed-certificate"]);

    let decision = mtls_check::authorize(b"{not json", b"{}", at()).expect("policy is valid");
    assert_eq!(reason_codes(&decision), ["event.invalid"]);
}

#[test]
fn invalid_policy_is_an_error() {
    let event = rest_event(&read("p256-leaf.pem")).to_string();
    for policy in [
        r#"{"allowedIsuers": []}"#,
        "[]",
        r#"{"profile": "nginx"}"#,
        r#"{"at": "yesterday"}"#,
    ] {
        assert!(
            mtls_check::authorize(event.as_bytes(), policy.as_bytes(), at()).is_err(),
            "{policy}"
        );
    }
}

#[test]
fn cli_prints_response_and_exits_by_decision() {
    let dir = std::env::temp_dir();
    let event_path = dir.join(format!(
        "mtls-check-authorize-event-{}.json",
        std::process::id()
    ));
    let allow_path = dir.join(format!(
        "mtls-check-authorize-allow-{}.json",
        std::process::id()
    ));
    let deny_path = dir.join(format!(
        "mtls-check-authorize-deny-{}.json",
        std::process::id()
    ));
    std::fs::write(&event_path, rest_event(&read("p256-leaf.pem")).to_string()).expect("writes");
    std::fs::write(
        &allow_path,
        json!({ "truststore": read("p256-truststore.pem") }).to_string(),
    )
    .expect("writes");
    std::fs::write(
        &deny_path,
        json!({ "subjectPatterns": ["CN=admin"] }).to_string(),
    )
    .expect("writes");
    let event = event_path.to_str().unwrap_or_default();

    let run = run_cli(
        &[
            "authorize",
            event,
            "--policy",
            allow_path.to_str().unwrap_or_default(),
            "--at",
            FIXTURE_TIME,
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["policyDocument"]["Statement"][0]["Effect"],
        "Allow"
    );

    let run = run_cli(
        &[
            "authorize",
            event,
            "--policy",
            deny_path.to_str().unwrap_or_default(),
            "--at",
            FIXTURE_TIME,
        ],
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.json()["policyDocument"]["Statement"][0]["Effect"],
        "Deny"
    );

    let run = run_cli(&["authorize", event, "--policy", event], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid policy"), "{}", run.stderr);

    for path in [event_path, allow_path, deny_path] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn reason_codes_are_registered() {
    let event = rest_event(&read("p256-leaf.pem"));
    let policy = json!({
        "truststore": read("p384-truststore.pem"),
        "allowedIssuers": ["CN=Other CA"],
        "subjectPatterns": ["CN=admin"],
        "sanPatterns": ["none"],
        "fingerprints": ["00"],
        "deniedSerials": [leaf_serial()],
    });
    let decision = decide(&event, &policy);
    assert!(decision.reasons.len() >= 6);
    for code in reason_codes(&decision) {
        assert!(
            mtls_check::rules::is_registered(&code),
            "{code} is not registered"
        );
    }
    for code in [
        "event.invalid",
        "event.no-client-certificate",
        "event.malformed-certificate",
    ] {
        assert!(mtls_check::rules::is_registered(code), "{code}");
    }
}

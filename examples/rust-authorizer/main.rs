//! An API Gateway Lambda REQUEST authorizer in Rust for a custom domain with
//! mutual TLS, built on the crate's `authorize`: the same checks as the
//! CLI, the web page and the Node.js authorizer in examples/lambda-authorizer.
//!
//! - REST APIs (and HTTP APIs with payload format 1.0) send the certificate in
//!   `requestContext.identity.clientCert` and get an IAM policy for `methodArn`.
//! - HTTP APIs with payload format 2.0 send it in
//!   `requestContext.authentication.clientCert` and get the simple response
//!   (`isAuthorized`), or an IAM policy for `routeArn` when the API's
//!   authorizer has simple responses turned off.
//!
//! [`handle`] is the whole decision and needs no AWS runtime. `main` reads
//! one event from stdin and prints the response, so the binary can be tried
//! locally or wrapped by any Lambda runtime:
//!
//! ```sh
//! cargo run --example rust-authorizer < event.json
//! ```
//!
//! Configuration (environment): `MTLS_POLICY_FILE` (JSON policy, default
//! examples/rust-authorizer/policy.json), `MTLS_TRUSTSTORE_FILE` (PEM CA
//! bundle, skipped when unset or missing) and `MTLS_SIMPLE_RESPONSES`
//! (`false` for IAM policies on payload 2.0; default `true`).

use std::io::Read;
use std::process::ExitCode;

use mtls_check::authorize::{authorize_with, parse_policy};
use mtls_check::{AuthorizeError, Policy};
use serde_json::{json, Value};

/// The response format of an HTTP API (payload 2.0) authorizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpResponseFormat {
    /// `{"isAuthorized": bool, "context": {...}}`.
    Simple,
    /// An IAM policy for the event's `routeArn`.
    IamPolicy,
}

/// The authorizer's configuration, read once per container.
#[derive(Debug, Clone)]
pub struct AuthorizerConfig {
    pub policy: Policy,
    pub http_response_format: HttpResponseFormat,
}

/// Decides on one authorizer event and returns the response for API Gateway.
/// `now` (Unix seconds) is the check time unless the policy pins one.
pub fn handle(event: &Value, config: &AuthorizerConfig, now: i64) -> Result<Value, AuthorizeError> {
    let bytes = event.to_string();
    let authorization = authorize_with(bytes.as_bytes(), &config.policy, now)?;

    let is_payload_v2 = event["version"] == "2.0";
    if !is_payload_v2 || config.http_response_format == HttpResponseFormat::Simple {
        return Ok(authorization.response);
    }

    // Payload 2.0 with simple responses off: the same decision as an IAM policy.
    let context = authorization.response["context"].clone();
    let principal = context["subject"]
        .as_str()
        .filter(|subject| !subject.is_empty())
        .unwrap_or("unknown-client")
        .to_string();
    Ok(json!({
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Action": "execute-api:Invoke",
                "Effect": if authorization.allowed { "Allow" } else { "Deny" },
                "Resource": event["routeArn"].as_str().unwrap_or("*"),
            }],
        },
        "context": context,
    }))
}

/// Reads the configuration from the environment.
fn load_config() -> Result<AuthorizerConfig, String> {
    let policy_file = std::env::var("MTLS_POLICY_FILE")
        .unwrap_or_else(|_| "examples/rust-authorizer/policy.json".into());
    let policy_bytes = std::fs::read(&policy_file)
        .map_err(|error| format!("cannot read the policy {policy_file}: {error}"))?;
    let mut policy =
        parse_policy(&policy_bytes).map_err(|error| format!("{policy_file}: {error}"))?;
    if let Ok(truststore_file) = std::env::var("MTLS_TRUSTSTORE_FILE") {
        if let Ok(truststore) = std::fs::read_to_string(&truststore_file) {
            policy.truststore = Some(truststore);
        }
    }
    let http_response_format = match std::env::var("MTLS_SIMPLE_RESPONSES").as_deref() {
        Ok("false") => HttpResponseFormat::IamPolicy,
        _ => HttpResponseFormat::Simple,
    };
    Ok(AuthorizerConfig {
        policy,
        http_response_format,
    })
}

fn main() -> ExitCode {
    let config = match load_config() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("rust-authorizer: {message}");
            return ExitCode::from(2);
        }
    };
    let mut input = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("rust-authorizer: cannot read the event from stdin: {error}");
        return ExitCode::from(2);
    }
    let event: Value = serde_json::from_str(&input).unwrap_or(Value::Null);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0);
    match handle(&event, &config, now) {
        Ok(response) => {
            println!("{response}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("rust-authorizer: {error}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT_PEM: &str = include_str!("../../tests/fixtures/serve/client.pem");
    const EXPIRED_PEM: &str = include_str!("../../tests/fixtures/serve/expired-client.pem");
    const UNKNOWN_PEM: &str = include_str!("../../tests/fixtures/serve/unknown-client.pem");
    const TRUSTSTORE: &str = include_str!("../../tests/fixtures/serve/client-truststore.pem");
    const METHOD_ARN: &str =
        "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/GET/orders";
    const ROUTE_ARN: &str =
        "arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/$default/GET/orders";

    /// Builds a `clientCert` object as API Gateway sends it on a mutual TLS custom domain.
    fn client_cert(pem: &str, subject: &str) -> Value {
        json!({
            "clientCertPem": pem,
            "subjectDN": subject,
            "issuerDN": "O=Example,CN=mtls-check Test Client CA",
            "serialNumber": "1",
            "validity": {
                "notBefore": "Jan  1 00:00:00 2020 GMT",
                "notAfter": "Jan  1 00:00:00 2050 GMT",
            },
        })
    }

    /// Builds a REST API REQUEST authorizer event.
    fn rest_event(pem: &str, subject: &str) -> Value {
        json!({
            "type": "REQUEST",
            "methodArn": METHOD_ARN,
            "resource": "/orders",
            "path": "/orders",
            "httpMethod": "GET",
            "headers": { "Host": "api.example.test", "User-Agent": "curl/8.5.0" },
            "queryStringParameters": {},
            "pathParameters": {},
            "stageVariables": {},
            "requestContext": {
                "path": "/orders",
                "accountId": "123456789012",
                "resourceId": "a1b2c3",
                "stage": "prod",
                "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "identity": {
                    "sourceIp": "203.0.113.7",
                    "userAgent": "curl/8.5.0",
                    "clientCert": client_cert(pem, subject),
                },
                "resourcePath": "/orders",
                "httpMethod": "GET",
                "apiId": "abcdef1234",
                "domainName": "api.example.test",
            },
        })
    }

    /// Builds an HTTP API REQUEST authorizer event, payload format 2.0.
    fn http_event(pem: &str, subject: &str) -> Value {
        json!({
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": ROUTE_ARN,
            "identitySource": [],
            "routeKey": "GET /orders",
            "rawPath": "/orders",
            "rawQueryString": "",
            "headers": { "host": "api.example.test", "user-agent": "curl/8.5.0" },
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "abcdef1234",
                "authentication": { "clientCert": client_cert(pem, subject) },
                "domainName": "api.example.test",
                "domainPrefix": "api",
                "http": {
                    "method": "GET",
                    "path": "/orders",
                    "protocol": "HTTP/1.1",
                    "sourceIp": "203.0.113.7",
                    "userAgent": "curl/8.5.0",
                },
                "requestId": "JKJaXmPLvHcESHA=",
                "routeKey": "GET /orders",
                "stage": "$default",
                "time": "15/Jun/2030:12:00:00 +0000",
                "timeEpoch": 1_907_755_200_000_i64,
            },
        })
    }

    fn config(format: HttpResponseFormat) -> AuthorizerConfig {
        let mut policy = parse_policy(include_bytes!("policy.json")).expect("policy.json parses");
        policy.truststore = Some(TRUSTSTORE.to_string());
        policy.at = Some("2030-06-15T12:00:00Z".into());
        AuthorizerConfig {
            policy,
            http_response_format: format,
        }
    }

    fn effect(response: &Value) -> &str {
        response["policyDocument"]["Statement"][0]["Effect"]
            .as_str()
            .unwrap_or_default()
    }

    #[test]
    fn rest_event_with_trusted_client_is_allowed() {
        let event = rest_event(CLIENT_PEM, "O=Example,CN=serve-client");
        let response = handle(&event, &config(HttpResponseFormat::Simple), 0).expect("decides");
        assert_eq!(effect(&response), "Allow");
        assert_eq!(
            response["policyDocument"]["Statement"][0]["Resource"],
            METHOD_ARN
        );
        assert_eq!(response["principalId"], "CN=serve-client,O=Example");
    }

    #[test]
    fn rest_event_with_unknown_issuer_is_denied() {
        let event = rest_event(UNKNOWN_PEM, "O=Example,CN=serve-unknown-client");
        let response = handle(&event, &config(HttpResponseFormat::Simple), 0).expect("decides");
        assert_eq!(effect(&response), "Deny");
        assert!(response["context"]["reasonCodes"]
            .as_str()
            .is_some_and(|codes| codes.contains("chain.unknown-issuer")));
    }

    #[test]
    fn rest_event_without_certificate_is_denied() {
        let mut event = rest_event(CLIENT_PEM, "");
        event["requestContext"]["identity"]
            .as_object_mut()
            .expect("identity is an object")
            .remove("clientCert");
        let response = handle(&event, &config(HttpResponseFormat::Simple), 0).expect("decides");
        assert_eq!(effect(&response), "Deny");
        assert_eq!(
            response["context"]["reasonCodes"],
            "event.no-client-certificate"
        );
    }

    #[test]
    fn http_event_simple_response_allows_and_denies() {
        let allowed = handle(
            &http_event(CLIENT_PEM, "O=Example,CN=serve-client"),
            &config(HttpResponseFormat::Simple),
            0,
        )
        .expect("decides");
        let denied = handle(
            &http_event(EXPIRED_PEM, "O=Example,CN=serve-expired-client"),
            &config(HttpResponseFormat::Simple),
            0,
        )
        .expect("decides");
        assert_eq!(allowed["isAuthorized"], true);
        assert_eq!(denied["isAuthorized"], false);
        assert!(denied["context"]["reasonCodes"]
            .as_str()
            .is_some_and(|codes| codes.contains("cert.expired")));
    }

    #[test]
    fn http_event_iam_response_uses_route_arn() {
        let allowed = handle(
            &http_event(CLIENT_PEM, "O=Example,CN=serve-client"),
            &config(HttpResponseFormat::IamPolicy),
            0,
        )
        .expect("decides");
        let denied = handle(
            &http_event(UNKNOWN_PEM, "O=Example,CN=serve-unknown-client"),
            &config(HttpResponseFormat::IamPolicy),
            0,
        )
        .expect("decides");
        assert_eq!(effect(&allowed), "Allow");
        assert_eq!(
            allowed["policyDocument"]["Statement"][0]["Resource"],
            ROUTE_ARN
        );
        assert_eq!(effect(&denied), "Deny");
    }

    #[test]
    fn subject_outside_policy_is_denied() {
        let mut config = config(HttpResponseFormat::Simple);
        config.policy.subject_patterns = vec!["CN=someone-else,O=Example".into()];
        let response = handle(
            &rest_event(CLIENT_PEM, "O=Example,CN=serve-client"),
            &config,
            0,
        )
        .expect("decides");
        assert_eq!(effect(&response), "Deny");
        assert!(response["context"]["reasonCodes"]
            .as_str()
            .is_some_and(|codes| codes.contains("policy.subject-not-allowed")));
    }
}

//! The authorizer decision for an API Gateway REQUEST authorizer event. It
//! takes the client certificate the gateway forwarded and applies a policy
//! (truststore, allowed issuers, subject and SAN patterns, SHA-256 pins,
//! denied serials). It returns the response API Gateway expects from a
//! Lambda authorizer.
//!
//! Event shapes: REST APIs and HTTP API payload 1.0 carry the certificate in
//! `requestContext.identity.clientCert.clientCertPem` and the resource in
//! `methodArn`; they get an IAM policy document. HTTP API payload 2.0
//! carries it in `requestContext.authentication.clientCert.clientCertPem`
//! with `routeArn`; it gets the simple response (`isAuthorized`). API
//! Gateway accepts only strings, numbers and booleans as context values, so
//! the reasons are joined into one string.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::report::{Severity, Verdict};
use crate::x509::load::{load, Expect, InputSeverity};
use crate::x509::Certificate;
use crate::{parse_time, Options, OptionsError};

/// The checks an authorizer applies. Every list left empty (or absent) is
/// not checked; every non-empty list must match.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// PEM CA bundle to verify the client certificate against. Absent: the
    /// gateway's own chain check at the handshake is trusted.
    #[serde(default)]
    pub truststore: Option<String>,
    /// RFC 4514 issuer DNs; the client certificate's issuer must equal one.
    #[serde(default)]
    pub allowed_issuers: Vec<String>,
    /// RFC 4514 subject patterns, `*` matching any run of characters.
    #[serde(default)]
    pub subject_patterns: Vec<String>,
    /// subjectAltName patterns (DNS, URI, email, IP as text), `*` as above.
    #[serde(default)]
    pub san_patterns: Vec<String>,
    /// SHA-256 fingerprints of allowed client certificates, hex with or without colons.
    #[serde(default)]
    pub fingerprints: Vec<String>,
    /// Hex serial numbers (colons optional, leading zeros ignored) to deny.
    #[serde(default)]
    pub denied_serials: Vec<String>,
    /// Profile for the truststore check; default apigw-rest, or apigw-http for payload 2.0 events.
    #[serde(default)]
    pub profile: Option<String>,
    /// Check time, RFC 3339; default the caller's time.
    #[serde(default)]
    pub at: Option<String>,
}

/// An error in the policy, which is configuration, so it stops the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeError {
    InvalidPolicy(String),
    Options(OptionsError),
}

impl std::fmt::Display for AuthorizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthorizeError::InvalidPolicy(why) => write!(
                f,
                "invalid policy: {why}; expected a JSON object with truststore, allowedIssuers, subjectPatterns, sanPatterns, fingerprints, deniedSerials, profile, at"
            ),
            AuthorizeError::Options(error) => write!(f, "invalid policy: {error}"),
        }
    }
}

impl std::error::Error for AuthorizeError {}

/// One reason for a deny, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

/// The decision and the response to return to API Gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct Authorization {
    pub allowed: bool,
    pub reasons: Vec<Reason>,
    /// The authorizer response: an IAM policy document or the simple response.
    pub response: Value,
}

/// The event payload shapes API Gateway sends to a REQUEST authorizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EventShape {
    /// REST API, or HTTP API payload 1.0: IAM policy response.
    IamPolicy,
    /// HTTP API payload 2.0: simple response.
    Simple,
}

/// The fields read from an event.
struct Event {
    shape: EventShape,
    resource: String,
    pem: Option<String>,
}

fn read_event(event: &Value) -> Event {
    let context = &event["requestContext"];
    let version = event["version"].as_str().unwrap_or("1.0");
    let shape = if version == "2.0" {
        EventShape::Simple
    } else {
        EventShape::IamPolicy
    };
    let resource = event["methodArn"]
        .as_str()
        .or_else(|| event["routeArn"].as_str())
        .unwrap_or("*")
        .to_string();
    let pem = context["authentication"]["clientCert"]["clientCertPem"]
        .as_str()
        .or_else(|| context["identity"]["clientCert"]["clientCertPem"].as_str())
        .map(str::to_string);
    Event {
        shape,
        resource,
        pem,
    }
}

fn reason(code: &str, message: String) -> Reason {
    Reason {
        code: code.to_string(),
        message,
    }
}

/// Parses the policy document.
pub fn parse_policy(policy: &[u8]) -> Result<Policy, AuthorizeError> {
    let value: Value =
        serde_json::from_slice(policy).map_err(|e| AuthorizeError::InvalidPolicy(e.to_string()))?;
    if !value.is_object() {
        return Err(AuthorizeError::InvalidPolicy("not a JSON object".into()));
    }
    serde_json::from_value(value).map_err(|e| AuthorizeError::InvalidPolicy(e.to_string()))
}

/// Decides on an authorizer event (JSON bytes) under a policy (JSON bytes).
/// `at` (Unix seconds) is the check time unless the policy sets one.
pub fn authorize(event: &[u8], policy: &[u8], at: i64) -> Result<Authorization, AuthorizeError> {
    let policy = parse_policy(policy)?;
    authorize_with(event, &policy, at)
}

/// [`authorize`] with a parsed policy.
pub fn authorize_with(
    event: &[u8],
    policy: &Policy,
    at: i64,
) -> Result<Authorization, AuthorizeError> {
    let parsed: Result<Value, _> = serde_json::from_slice(event);
    let event = match &parsed {
        Ok(value) => read_event(value),
        Err(_) => Event {
            shape: EventShape::IamPolicy,
            resource: "*".into(),
            pem: None,
        },
    };
    let at = match &policy.at {
        Some(text) => parse_time(text).map_err(AuthorizeError::Options)?,
        None => at,
    };
    let default_profile = match event.shape {
        EventShape::Simple => "apigw-http",
        EventShape::IamPolicy => crate::profile::DEFAULT_PROFILE,
    };
    let options = Options::new(policy.profile.as_deref().unwrap_or(default_profile), at);
    if crate::profile::by_name(&options.profile).is_none() {
        return Err(AuthorizeError::Options(OptionsError::UnknownProfile(
            options.profile.clone(),
        )));
    }

    let mut context = Map::new();
    let reasons = match (&parsed, &event.pem) {
        (Err(e), _) => vec![reason(
            "event.invalid",
            format!("the event is not JSON: {e}"),
        )],
        (Ok(_), None) => vec![reason(
            "event.no-client-certificate",
            "the event carries no requestContext.identity.clientCert.clientCertPem or requestContext.authentication.clientCert.clientCertPem; enable mutual TLS on the custom domain and use a REQUEST authorizer".into(),
        )],
        (Ok(_), Some(pem)) => check_certificate(pem, policy, &options, &mut context)?,
    };

    let allowed = reasons.is_empty();
    context.insert(
        "decision".into(),
        json!(if allowed { "allow" } else { "deny" }),
    );
    context.insert("profile".into(), json!(options.profile));
    if !allowed {
        let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
        let messages: Vec<&str> = reasons.iter().map(|r| r.message.as_str()).collect();
        context.insert("reasonCodes".into(), json!(codes.join(",")));
        context.insert("reasons".into(), json!(messages.join("; ")));
    }
    let principal = context
        .get("subject")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("unknown-client")
        .to_string();
    let response = match event.shape {
        EventShape::Simple => json!({ "isAuthorized": allowed, "context": context }),
        EventShape::IamPolicy => json!({
            "principalId": principal,
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Action": "execute-api:Invoke",
                    "Effect": if allowed { "Allow" } else { "Deny" },
                    "Resource": event.resource,
                }],
            },
            "context": context,
        }),
    };
    Ok(Authorization {
        allowed,
        reasons,
        response,
    })
}

/// Runs every configured check on the forwarded certificate; returns the failures.
fn check_certificate(
    pem: &str,
    policy: &Policy,
    options: &Options,
    context: &mut Map<String, Value>,
) -> Result<Vec<Reason>, AuthorizeError> {
    let mut items = Vec::new();
    let loaded = load(
        pem.as_bytes(),
        "event",
        "leaf",
        Expect::Certificates,
        InputSeverity::Advisory,
        &mut items,
    );
    let Some(leaf) = loaded.certificates.first() else {
        return Ok(vec![reason(
            "event.malformed-certificate",
            "clientCertPem holds no certificate that decodes".into(),
        )]);
    };
    let cert = &leaf.cert;
    context.insert("subject".into(), json!(cert.subject.rfc4514));
    context.insert("issuer".into(), json!(cert.issuer.rfc4514));
    context.insert("serial".into(), json!(cert.serial.hex));
    context.insert(
        "fingerprint".into(),
        json!(hex_only(&cert.sha256_fingerprint)),
    );

    let mut reasons = Vec::new();
    if let Some(truststore) = &policy.truststore {
        reasons.extend(check_truststore(pem, truststore, options)?);
    }
    reasons.extend(check_issuer(cert, &policy.allowed_issuers));
    reasons.extend(check_subject(cert, &policy.subject_patterns));
    reasons.extend(check_san(cert, &policy.san_patterns));
    reasons.extend(check_fingerprint(cert, &policy.fingerprints));
    reasons.extend(check_serial(cert, &policy.denied_serials));
    Ok(reasons)
}

fn check_truststore(
    pem: &str,
    truststore: &str,
    options: &Options,
) -> Result<Vec<Reason>, AuthorizeError> {
    let report = crate::verify_chain(pem.as_bytes(), truststore.as_bytes(), options)
        .map_err(AuthorizeError::Options)?;
    if report.verdict == Verdict::Accept {
        return Ok(Vec::new());
    }
    Ok(report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| reason(&f.code, f.message.clone()))
        .collect())
}

fn check_issuer(cert: &Certificate, allowed: &[String]) -> Option<Reason> {
    if allowed.is_empty() {
        return None;
    }
    let issuer = normalize_dn(&cert.issuer.rfc4514);
    let matched = allowed.iter().any(|dn| same_dn(&normalize_dn(dn), &issuer));
    (!matched).then(|| {
        reason(
            "policy.issuer-not-allowed",
            format!(
                "issuer {} is not among the allowed issuers",
                cert.issuer.rfc4514
            ),
        )
    })
}

fn check_subject(cert: &Certificate, patterns: &[String]) -> Option<Reason> {
    if patterns.is_empty() {
        return None;
    }
    let subject = normalize_dn(&cert.subject.rfc4514);
    let reversed: Vec<String> = subject.iter().rev().cloned().collect();
    let matched = patterns.iter().any(|pattern| {
        let pattern = normalize_dn(pattern).join(",");
        glob_match(&pattern, &subject.join(",")) || glob_match(&pattern, &reversed.join(","))
    });
    (!matched).then(|| {
        reason(
            "policy.subject-not-allowed",
            format!(
                "subject {} matches no subject pattern",
                cert.subject.rfc4514
            ),
        )
    })
}

fn check_san(cert: &Certificate, patterns: &[String]) -> Option<Reason> {
    if patterns.is_empty() {
        return None;
    }
    let matched = cert.san.iter().any(|entry| {
        let value = entry.value.to_lowercase();
        patterns
            .iter()
            .any(|pattern| glob_match(&pattern.to_lowercase(), &value))
    });
    (!matched).then(|| {
        let listed: Vec<String> = cert
            .san
            .iter()
            .map(|e| format!("{}:{}", e.kind, e.value))
            .collect();
        let listed = if listed.is_empty() {
            "no subjectAltName".to_string()
        } else {
            listed.join(", ")
        };
        reason(
            "policy.san-not-allowed",
            format!("no subjectAltName matches a SAN pattern ({listed})"),
        )
    })
}

fn check_fingerprint(cert: &Certificate, pins: &[String]) -> Option<Reason> {
    if pins.is_empty() {
        return None;
    }
    let fingerprint = hex_only(&cert.sha256_fingerprint);
    let matched = pins.iter().any(|pin| hex_only(pin) == fingerprint);
    (!matched).then(|| {
        reason(
            "policy.fingerprint-not-pinned",
            format!("SHA-256 fingerprint {fingerprint} is not among the pinned fingerprints"),
        )
    })
}

fn check_serial(cert: &Certificate, denied: &[String]) -> Option<Reason> {
    let serial = serial_key(&cert.serial.hex);
    denied
        .iter()
        .any(|entry| serial_key(entry) == serial)
        .then(|| {
            reason(
                "policy.serial-denied",
                format!("serial {} is on the deny list", cert.serial.hex),
            )
        })
}

/// Lowercase hex digits only: drops colons, spaces and any other separator.
fn hex_only(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Builds a serial's comparison key: a `-` sign kept, hex digits lowercased, leading zeros dropped.
fn serial_key(text: &str) -> String {
    let negative = text.trim_start().starts_with('-');
    let digits = hex_only(text);
    let trimmed = digits.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() { "0" } else { trimmed };
    format!("{}{trimmed}", if negative { "-" } else { "" })
}

/// Splits an RFC 4514 string into `TYPE=value` parts: the attribute type
/// uppercased, the value trimmed, lowercased and with runs of spaces
/// collapsed (a close reading of X.520 caseIgnoreMatch). Escaped `,` and
/// `+` stay inside their value.
fn normalize_dn(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            current.push(c);
            escaped = true;
        } else if c == ',' || c == '+' {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
        .iter()
        .filter(|part| !part.trim().is_empty())
        .map(|part| match part.split_once('=') {
            Some((kind, value)) => {
                let value: Vec<&str> = value.split_whitespace().collect();
                format!(
                    "{}={}",
                    kind.trim().to_uppercase(),
                    value.join(" ").to_lowercase()
                )
            }
            None => part.trim().to_lowercase(),
        })
        .collect()
}

/// Compares DNs written in either order: RFC 4514 (most specific first) or
/// certificate order, which API Gateway uses in `issuerDN`.
fn same_dn(a: &[String], b: &[String]) -> bool {
    a == b || a.iter().rev().eq(b.iter())
}

/// Matches `text` against `pattern`, where `*` matches any run of characters
/// (also none) and every other character matches itself.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_star_matches_runs() {
        assert!(glob_match("*.example.com", "api.example.com"));
        assert!(glob_match("cn=client-*,o=example", "cn=client-7,o=example"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("*.example.com", "example.org"));
        assert!(!glob_match("abc", "abcd"));
    }

    #[test]
    fn dn_normalized_for_comparison() {
        assert_eq!(
            normalize_dn("CN=My  CA, O=Example\\, Inc"),
            vec!["CN=my ca".to_string(), "O=example\\, inc".to_string()]
        );
        let rfc = normalize_dn("CN=CA,O=Example,C=US");
        let certificate_order = normalize_dn("C=US,O=Example,CN=CA");
        assert!(same_dn(&rfc, &certificate_order));
    }

    #[test]
    fn serial_keys_ignore_colons_and_zeros() {
        assert_eq!(serial_key("00:0A:1b"), "a1b");
        assert_eq!(serial_key("0a1b"), "a1b");
        assert_eq!(serial_key("00"), "0");
    }
}

//! The event an API Gateway Lambda proxy integration receives for a request
//! on a custom domain with mutual TLS, built from a real request and the
//! client certificate of its connection. `mtls-check serve` returns it as
//! the response body, which shows a backend author the exact input shape.
//!
//! Payload format 1.0 (REST APIs, and HTTP APIs that choose it) carries the
//! certificate in `requestContext.identity.clientCert`; payload format 2.0
//! (HTTP APIs) in `requestContext.authentication.clientCert`. The
//! `clientCert` object is written by [`crate::forwarded::encode`].

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::forwarded::encode::api_gateway_client_cert;
use crate::x509::Certificate;

/// Account id placed in events; API Gateway fills in the caller's own.
const ACCOUNT_ID: &str = "123456789012";
/// API id placed in events.
const API_ID: &str = "mtlscheck";

/// A Lambda proxy integration payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    /// Format 1.0: REST APIs, and HTTP APIs configured for it.
    V1,
    /// Format 2.0: the HTTP API default.
    V2,
}

impl Payload {
    /// Returns the format for a profile: 2.0 for `apigw-http`, else 1.0.
    pub fn for_profile(profile: &str) -> Payload {
        if profile == "apigw-http" {
            Payload::V2
        } else {
            Payload::V1
        }
    }
}

/// The parts of an HTTP request an event carries.
#[derive(Debug, Clone)]
pub struct RequestFacts {
    pub method: String,
    pub path: String,
    /// The raw query string, without `?`; empty when there is none.
    pub query: String,
    /// Header names as received, in order, repeats kept.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub source_ip: String,
    /// `HTTP/1.1` and the like.
    pub protocol: String,
    pub request_id: String,
    /// Arrival time in Unix milliseconds.
    pub time_ms: i64,
}

impl RequestFacts {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header, _)| header.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Returns the Host header without its port, as API Gateway's `domainName`.
    fn domain_name(&self) -> String {
        let host = self.header("host").unwrap_or("localhost");
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
            _ => host.to_string(),
        }
    }
}

/// Builds the event of `payload` for the request and the leaf certificate.
pub fn lambda_event(payload: Payload, request: &RequestFacts, leaf: &Certificate) -> Value {
    match payload {
        Payload::V1 => event_v1(request, leaf),
        Payload::V2 => event_v2(request, leaf),
    }
}

/// Formats Unix milliseconds as API Gateway's `requestTime`: `15/Jun/2030:12:00:00 +0000`.
fn request_time(time_ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let Ok(time) = time::OffsetDateTime::from_unix_timestamp(time_ms.div_euclid(1000)) else {
        return String::new();
    };
    let month = MONTHS
        .get(usize::from(u8::from(time.month())).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!(
        "{:02}/{month}/{}:{:02}:{:02}:{:02} +0000",
        time.day(),
        time.year(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// Splits and percent-decodes a query string into (name, value) pairs.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |text: &str| {
        let spaced = text.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => (decode(name), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// Returns the body as the event carries it: text, or base64 with `isBase64Encoded`.
fn body_fields(body: &[u8]) -> (Value, bool) {
    if body.is_empty() {
        return (Value::Null, false);
    }
    match std::str::from_utf8(body) {
        Ok(text) => (Value::String(text.to_string()), false),
        Err(_) => (Value::String(STANDARD.encode(body)), true),
    }
}

fn event_v1(request: &RequestFacts, leaf: &Certificate) -> Value {
    let mut headers = Map::new();
    let mut multi_headers: Map<String, Value> = Map::new();
    for (name, value) in &request.headers {
        headers.insert(name.clone(), Value::String(value.clone()));
        if let Value::Array(list) = multi_headers
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.push(Value::String(value.clone()));
        }
    }

    let pairs = query_pairs(&request.query);
    let (query, multi_query) = if pairs.is_empty() {
        (Value::Null, Value::Null)
    } else {
        let mut single = Map::new();
        let mut multi: Map<String, Value> = Map::new();
        for (name, value) in pairs {
            single.insert(name.clone(), Value::String(value.clone()));
            if let Value::Array(list) = multi
                .entry(name)
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                list.push(Value::String(value));
            }
        }
        (Value::Object(single), Value::Object(multi))
    };

    let (body, is_base64) = body_fields(&request.body);
    let proxy = request.path.trim_start_matches('/');
    let domain = request.domain_name();
    let domain_prefix = domain.split('.').next().unwrap_or_default().to_string();
    json!({
        "resource": "/{proxy+}",
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "pathParameters": if proxy.is_empty() { Value::Null } else { json!({ "proxy": proxy }) },
        "stageVariables": Value::Null,
        "requestContext": {
            "resourceId": "proxy",
            "resourcePath": "/{proxy+}",
            "httpMethod": request.method,
            "extendedRequestId": request.request_id,
            "requestTime": request_time(request.time_ms),
            "path": request.path,
            "accountId": ACCOUNT_ID,
            "protocol": request.protocol,
            "stage": "$default",
            "domainPrefix": domain_prefix,
            "requestTimeEpoch": request.time_ms,
            "requestId": request.request_id,
            "identity": {
                "sourceIp": request.source_ip,
                "userAgent": request.header("user-agent"),
                "clientCert": api_gateway_client_cert(leaf),
            },
            "domainName": domain,
            "apiId": API_ID,
        },
        "body": body,
        "isBase64Encoded": is_base64,
    })
}

fn event_v2(request: &RequestFacts, leaf: &Certificate) -> Value {
    // Payload 2.0 joins repeated headers with commas and moves cookies to `cookies`.
    let mut headers: Map<String, Value> = Map::new();
    let mut cookies = Vec::new();
    for (name, value) in &request.headers {
        let name = name.to_ascii_lowercase();
        if name == "cookie" {
            cookies.extend(value.split("; ").map(|c| Value::String(c.to_string())));
            continue;
        }
        let joined = match headers.get(&name).and_then(Value::as_str) {
            Some(previous) => format!("{previous},{value}"),
            None => value.clone(),
        };
        headers.insert(name, Value::String(joined));
    }

    let pairs = query_pairs(&request.query);
    let mut query: Map<String, Value> = Map::new();
    for (name, value) in pairs {
        let joined = match query.get(&name).and_then(Value::as_str) {
            Some(previous) => format!("{previous},{value}"),
            None => value,
        };
        query.insert(name, Value::String(joined));
    }

    let (body, is_base64) = body_fields(&request.body);
    let domain = request.domain_name();
    let domain_prefix = domain.split('.').next().unwrap_or_default().to_string();
    let mut event = json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "authentication": {
                "clientCert": api_gateway_client_cert(leaf),
            },
            "domainName": domain,
            "domainPrefix": domain_prefix,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": request.protocol,
                "sourceIp": request.source_ip,
                "userAgent": request.header("user-agent").unwrap_or_default(),
            },
            "requestId": request.request_id,
            "routeKey": "$default",
            "stage": "$default",
            "time": request_time(request.time_ms),
            "timeEpoch": request.time_ms,
        },
        "isBase64Encoded": is_base64,
    });
    if let Value::Object(fields) = &mut event {
        if !cookies.is_empty() {
            fields.insert("cookies".into(), Value::Array(cookies));
        }
        if !query.is_empty() {
            fields.insert("queryStringParameters".into(), Value::Object(query));
        }
        if !body.is_null() {
            fields.insert("body".into(), body);
        }
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forwarded::metadata::{compare, Comparison};
    use crate::forwarded::{decode, Format};

    fn leaf() -> Certificate {
        let text = include_str!("../../tests/fixtures/serve/client.pem");
        let block = crate::input::decode(text.as_bytes(), "client")
            .blocks
            .into_iter()
            .next()
            .expect("the fixture has a block");
        Certificate::from_der(&block.der.expect("the block decodes")).expect("a certificate")
    }

    fn request() -> RequestFacts {
        RequestFacts {
            method: "POST".into(),
            path: "/orders/7".into(),
            query: "a=1&a=2&b=x%20y".into(),
            headers: vec![
                ("Host".into(), "api.example.test:8443".into()),
                ("User-Agent".into(), "curl/8".into()),
                ("Cookie".into(), "s=1; t=2".into()),
            ],
            body: b"{\"n\":1}".to_vec(),
            source_ip: "127.0.0.1".into(),
            protocol: "HTTP/1.1".into(),
            request_id: "id-1".into(),
            time_ms: 1_907_755_200_000,
        }
    }

    fn assert_decodes_to_leaf(event: &Value, format: Format, cert: &Certificate) {
        let decoded = decode(event.to_string().as_bytes());
        assert!(decoded.damage.is_empty(), "{:?}", decoded.damage);
        assert_eq!(decoded.formats.first(), Some(&format));
        assert_eq!(decoded.certificates.len(), 1);
        assert_eq!(decoded.claims.len(), 5);
        for claim in &decoded.claims {
            assert_eq!(compare(claim, cert), Comparison::Matches, "{claim:?}");
        }
    }

    #[test]
    fn payload_v1_event_carries_identity_client_cert() {
        let cert = leaf();
        let event = lambda_event(Payload::V1, &request(), &cert);
        let client_cert = &event["requestContext"]["identity"]["clientCert"];
        assert_eq!(client_cert["subjectDN"], "O=Example,CN=serve-client");
        assert_eq!(
            event["requestContext"]["requestTime"],
            "15/Jun/2030:12:00:00 +0000"
        );
        assert_eq!(
            event["multiValueQueryStringParameters"]["a"],
            json!(["1", "2"])
        );
        assert_eq!(event["queryStringParameters"]["b"], "x y");
        assert_eq!(event["requestContext"]["domainName"], "api.example.test");
        assert_eq!(event["pathParameters"]["proxy"], "orders/7");
        assert_eq!(event["body"], "{\"n\":1}");
        assert_decodes_to_leaf(&event, Format::ApiGatewayRestEvent, &cert);
    }

    #[test]
    fn payload_v2_event_carries_authentication_client_cert() {
        let cert = leaf();
        let event = lambda_event(Payload::V2, &request(), &cert);
        assert_eq!(event["version"], "2.0");
        assert_eq!(
            event["requestContext"]["authentication"]["clientCert"]["issuerDN"],
            "O=Example,CN=mtls-check Test Client CA"
        );
        assert_eq!(event["queryStringParameters"]["a"], "1,2");
        assert_eq!(event["cookies"], json!(["s=1", "t=2"]));
        assert!(event["headers"].get("cookie").is_none());
        assert_eq!(event["requestContext"]["http"]["method"], "POST");
        assert_decodes_to_leaf(&event, Format::ApiGatewayHttpEvent, &cert);
    }

    #[test]
    fn binary_body_is_base64() {
        let mut facts = request();
        facts.body = vec![0xff, 0x00];
        let event = lambda_event(Payload::V1, &facts, &leaf());
        assert_eq!(event["body"], "/wA=");
        assert_eq!(event["isBase64Encoded"], true);
    }
}

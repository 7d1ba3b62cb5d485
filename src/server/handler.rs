//! What `mtls-check serve` does with each HTTP request on an accepted
//! connection: respond with 403 for a rejected certificate (when the server
//! rejects with 403), else return the Lambda event as JSON (echo) or
//! forward the request to an upstream with the client certificate in the
//! profile's gateway shape.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::echo::{lambda_event, Payload, RequestFacts};
use super::verifier::Decision;
use crate::forwarded::encode;
use crate::x509::Certificate;

/// Largest request or upstream response body read, in bytes: API Gateway's
/// payload quota of 10 MB.
const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// Time allowed to connect to the upstream and receive its whole response.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);

/// Header that carries API Gateway's `clientCert` object as JSON to an
/// upstream. API Gateway documents no such header (an HTTP integration maps
/// `$context.identity.clientCert.*` itself), so the name is this tool's.
pub const APIGW_CLIENT_CERT_HEADER: &str = "x-mtls-check-client-cert";

/// Hop-by-hop headers (RFC 9110 7.6.1) that are not forwarded.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The destination of accepted requests.
#[derive(Debug, Clone)]
pub enum Backend {
    /// Return the Lambda proxy event of this payload format as JSON.
    Echo(Payload),
    /// Forward to an `http://` upstream.
    Upstream(Upstream),
}

/// An `http://host:port/base` upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// `host:port` to connect to.
    pub authority: String,
    /// Path prefix without a trailing slash; empty for none.
    pub base_path: String,
}

impl Upstream {
    /// Parses an `http://host[:port][/path]` URL; https upstreams are not supported.
    pub fn parse(url: &str) -> Result<Upstream, String> {
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!("invalid upstream {url:?}: only http:// URLs are supported, for example http://127.0.0.1:3000")
        })?;
        let (authority, path) = match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        };
        if authority.is_empty() {
            return Err(format!("invalid upstream {url:?}: the host is missing"));
        }
        let authority = if authority.contains(':') && !authority.ends_with(']') {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        Ok(Upstream {
            authority,
            base_path: path.trim_end_matches('/').to_string(),
        })
    }
}

/// The gateway shape the client certificate takes towards an upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardShape {
    /// API Gateway's `clientCert` object as JSON in [`APIGW_CLIENT_CERT_HEADER`].
    ApiGateway,
    /// ALB verify mode's `X-Amzn-Mtls-Clientcert-*` headers.
    Alb,
    /// Envoy's `x-forwarded-client-cert`.
    Xfcc,
}

impl ForwardShape {
    /// Returns the shape for a profile.
    pub fn for_profile(profile: &str) -> ForwardShape {
        match profile {
            "apigw-rest" | "apigw-http" => ForwardShape::ApiGateway,
            "alb" => ForwardShape::Alb,
            _ => ForwardShape::Xfcc,
        }
    }

    /// True when a client-sent header of this name must be dropped, because
    /// only the gateway may set it.
    fn is_reserved(name: &str) -> bool {
        name.starts_with("x-amzn-mtls-clientcert")
            || name == "x-forwarded-client-cert"
            || name == APIGW_CLIENT_CERT_HEADER
    }
}

/// The state every request handler shares.
pub struct Shared {
    pub backend: Backend,
    pub shape: ForwardShape,
    pub request_counter: AtomicU64,
}

/// One accepted connection: the client, its certificate and the decision on it.
pub struct ConnectionFacts {
    pub peer: SocketAddr,
    pub decision: Arc<Decision>,
    pub leaf: Certificate,
}

type HttpResponse = Response<Full<Bytes>>;

fn json_response(status: StatusCode, body: String) -> HttpResponse {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn message_response(status: StatusCode, message: &str) -> HttpResponse {
    json_response(
        status,
        serde_json::json!({ "message": message }).to_string(),
    )
}

/// Handles one request.
pub async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    connection: Arc<ConnectionFacts>,
) -> Result<HttpResponse, std::convert::Infallible> {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let subject = connection.leaf.subject.rfc4514.clone();

    if !connection.decision.accepted() {
        // API Gateway responds to a rejected certificate with 403 and this body.
        let mut response = message_response(StatusCode::FORBIDDEN, "Forbidden");
        response.headers_mut().insert(
            HeaderName::from_static("x-amzn-errortype"),
            HeaderValue::from_static("ForbiddenException"),
        );
        tracing::info!(peer = %connection.peer, %method, %path, %subject, status = 403, "request rejected");
        return Ok(response);
    }

    let response = match &shared.backend {
        Backend::Echo(payload) => echo(request, *payload, &shared, &connection).await,
        Backend::Upstream(upstream) => forward(request, upstream, &shared, &connection).await,
    };
    tracing::info!(
        peer = %connection.peer,
        %method,
        %path,
        %subject,
        status = response.status().as_u16(),
        "request served"
    );
    Ok(response)
}

async fn read_body(body: Incoming) -> Result<Bytes, HttpResponse> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) => {
            tracing::warn!(%error, "request body not read");
            Err(message_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request Too Long",
            ))
        }
    }
}

fn next_request_id(shared: &Shared) -> String {
    let number = shared.request_counter.fetch_add(1, Ordering::Relaxed);
    format!("mtls-check-{number:012}")
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

async fn echo(
    request: Request<Incoming>,
    payload: Payload,
    shared: &Shared,
    connection: &ConnectionFacts,
) -> HttpResponse {
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let facts = RequestFacts {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or_default().to_string(),
        headers,
        body: body.to_vec(),
        source_ip: connection.peer.ip().to_string(),
        protocol: format!("{:?}", parts.version),
        request_id: next_request_id(shared),
        time_ms: now_ms(),
    };
    let event = lambda_event(payload, &facts, &connection.leaf);
    json_response(StatusCode::OK, event.to_string())
}

/// Returns the identity headers of `shape` for the connection's certificate.
pub fn identity_headers(
    shape: ForwardShape,
    connection: &ConnectionFacts,
) -> Vec<(String, String)> {
    let leaf = &connection.leaf;
    match shape {
        ForwardShape::ApiGateway => vec![(
            APIGW_CLIENT_CERT_HEADER.to_string(),
            encode::api_gateway_client_cert(leaf).to_string(),
        )],
        ForwardShape::Alb => encode::alb_verify_headers(leaf)
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
        ForwardShape::Xfcc => vec![(
            "x-forwarded-client-cert".to_string(),
            encode::xfcc(leaf, &connection.decision.chain),
        )],
    }
}

async fn forward(
    request: Request<Incoming>,
    upstream: &Upstream,
    shared: &Shared,
    connection: &ConnectionFacts,
) -> HttpResponse {
    let (parts, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(response) => return response,
    };

    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|value| value.as_str())
        .unwrap_or("/");
    let mut builder = Request::builder()
        .method(parts.method.clone())
        .uri(format!("{}{path_and_query}", upstream.base_path));
    for (name, value) in &parts.headers {
        let name_text = name.as_str();
        if HOP_BY_HOP.contains(&name_text) || ForwardShape::is_reserved(name_text) {
            continue;
        }
        builder = builder.header(name, value);
    }
    for (name, value) in identity_headers(shared.shape, connection) {
        builder = builder.header(name, value);
    }
    builder = builder.header("x-forwarded-for", connection.peer.ip().to_string());
    let outgoing = match builder.body(Full::new(body)) {
        Ok(outgoing) => outgoing,
        Err(error) => {
            tracing::warn!(%error, "upstream request not built");
            return message_response(StatusCode::BAD_GATEWAY, "Bad Gateway");
        }
    };

    match tokio::time::timeout(UPSTREAM_TIMEOUT, send_upstream(outgoing, upstream)).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            tracing::warn!(upstream = %upstream.authority, %error, "upstream request failed");
            message_response(StatusCode::BAD_GATEWAY, "Bad Gateway")
        }
        Err(_) => {
            tracing::warn!(upstream = %upstream.authority, timeout_s = UPSTREAM_TIMEOUT.as_secs(), "upstream timed out");
            message_response(StatusCode::GATEWAY_TIMEOUT, "Endpoint request timed out")
        }
    }
}

async fn send_upstream(
    mut outgoing: Request<Full<Bytes>>,
    upstream: &Upstream,
) -> Result<HttpResponse, String> {
    let stream = tokio::net::TcpStream::connect(&upstream.authority)
        .await
        .map_err(|error| format!("connect failed: {error}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|error| format!("HTTP handshake failed: {error}"))?;
    tokio::spawn(async move {
        if let Err(error) = connection.await {
            tracing::debug!(%error, "upstream connection closed with an error");
        }
    });
    if let Ok(host) = HeaderValue::from_str(&upstream.authority) {
        outgoing.headers_mut().insert(hyper::header::HOST, host);
    }
    let response = sender
        .send_request(outgoing)
        .await
        .map_err(|error| format!("request failed: {error}"))?;
    let (mut parts, body) = response.into_parts();
    let body = Limited::new(body, MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|error| format!("response body not read: {error}"))?
        .to_bytes();
    for name in HOP_BY_HOP {
        parts.headers.remove(*name);
    }
    Ok(Response::from_parts(parts, Full::new(body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_url_parses() {
        let parsed = Upstream::parse("http://127.0.0.1:3000/api/").expect("valid");
        assert_eq!(parsed.authority, "127.0.0.1:3000");
        assert_eq!(parsed.base_path, "/api");
        let default_port = Upstream::parse("http://localhost").expect("valid");
        assert_eq!(default_port.authority, "localhost:80");
        assert!(Upstream::parse("https://localhost").is_err());
        assert!(Upstream::parse("http:///x").is_err());
    }

    #[test]
    fn forward_shape_follows_profile() {
        assert_eq!(
            ForwardShape::for_profile("apigw-http"),
            ForwardShape::ApiGateway
        );
        assert_eq!(ForwardShape::for_profile("alb"), ForwardShape::Alb);
        assert_eq!(ForwardShape::for_profile("cloudflare"), ForwardShape::Xfcc);
    }

    #[test]
    fn client_sent_identity_headers_are_reserved() {
        assert!(ForwardShape::is_reserved("x-amzn-mtls-clientcert-subject"));
        assert!(ForwardShape::is_reserved("x-forwarded-client-cert"));
        assert!(ForwardShape::is_reserved(APIGW_CLIENT_CERT_HEADER));
        assert!(!ForwardShape::is_reserved("x-request-id"));
    }
}

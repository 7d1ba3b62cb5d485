//! Forwarded client certificates: what a backend, a Lambda function or an
//! edge function receives after a gateway or proxy ended the TLS handshake.
//! [`decode`] detects the format, decodes every certificate in it, keeps
//! the metadata the gateway sent beside it, and describes each damaged
//! value by the encoding rule it breaks.
//!
//! Input is a JSON event (API Gateway REST, HTTP payload 2.0, the bare
//! `clientCert` object, or any event with a `headers` map), one or more
//! `Name: value` header lines, or a raw header value whose format is
//! guessed from its shape.

pub mod encode;
mod formats;
pub mod metadata;
pub mod report;

#[cfg(test)]
mod tests;

use crate::x509::Certificate;

pub use metadata::Claim;

/// Maximum number of header lines read from one input; far above what any
/// proxy sends for one request.
const MAX_HEADER_LINES: usize = 1_000;

/// A forwarding format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// API Gateway REST API event, or an HTTP API event in payload format 1.0:
    /// `requestContext.identity.clientCert`.
    ApiGatewayRestEvent,
    /// API Gateway HTTP API event, payload format 2.0: `requestContext.authentication.clientCert`.
    ApiGatewayHttpEvent,
    /// The `clientCert` object of an API Gateway event on its own.
    ApiGatewayClientCert,
    /// ALB `X-Amzn-Mtls-Clientcert` (passthrough mode): URL-encoded PEM chain.
    AlbClientCert,
    /// ALB `X-Amzn-Mtls-Clientcert-Leaf` (verify mode): URL-encoded PEM leaf.
    AlbClientCertLeaf,
    /// nginx `$ssl_client_escaped_cert`: URL-encoded PEM with every reserved byte escaped.
    NginxEscapedCert,
    /// Envoy `x-forwarded-client-cert`.
    EnvoyXfcc,
    /// Traefik `X-Forwarded-Tls-Client-Cert`: comma-joined base64 DER.
    TraefikClientCert,
    /// RFC 9440 `Client-Cert`: the leaf as a `:base64:` byte sequence.
    Rfc9440ClientCert,
    /// RFC 9440 `Client-Cert-Chain`: a list of `:base64:` byte sequences.
    Rfc9440ClientCertChain,
    /// Cloudflare Access `Cf-Client-Cert-Der-Base64`: base64 DER of the leaf.
    CloudflareDerBase64,
    /// Base64 DER with no header name to say which producer sent it (Cloudflare, Traefik, Caddy, HAProxy).
    Base64Der,
    /// PEM text as it is, for example a `clientCertPem` value copied out of an event.
    Pem,
}

impl Format {
    /// Returns the name the report uses.
    pub fn name(self) -> &'static str {
        match self {
            Format::ApiGatewayRestEvent => "apigw-rest-event",
            Format::ApiGatewayHttpEvent => "apigw-http-event",
            Format::ApiGatewayClientCert => "apigw-client-cert",
            Format::AlbClientCert => "alb-x-amzn-mtls-clientcert",
            Format::AlbClientCertLeaf => "alb-x-amzn-mtls-clientcert-leaf",
            Format::NginxEscapedCert => "nginx-ssl-client-escaped-cert",
            Format::EnvoyXfcc => "envoy-xfcc",
            Format::TraefikClientCert => "traefik-x-forwarded-tls-client-cert",
            Format::Rfc9440ClientCert => "rfc9440-client-cert",
            Format::Rfc9440ClientCertChain => "rfc9440-client-cert-chain",
            Format::CloudflareDerBase64 => "cloudflare-cf-client-cert-der-base64",
            Format::Base64Der => "base64-der",
            Format::Pem => "pem",
        }
    }

    /// Returns the report's item encoding for certificates in this format.
    pub fn encoding(self) -> &'static str {
        match self {
            Format::ApiGatewayRestEvent
            | Format::ApiGatewayHttpEvent
            | Format::ApiGatewayClientCert
            | Format::Pem => "pem",
            Format::AlbClientCert
            | Format::AlbClientCertLeaf
            | Format::NginxEscapedCert
            | Format::EnvoyXfcc => "url-encoded-pem",
            Format::TraefikClientCert
            | Format::Rfc9440ClientCert
            | Format::Rfc9440ClientCertChain
            | Format::CloudflareDerBase64
            | Format::Base64Der => "base64",
        }
    }
}

/// One certificate taken out of the input.
#[derive(Debug, Clone)]
pub struct ForwardedCertificate {
    pub der: Vec<u8>,
    pub format: Format,
    /// The field or header it came from, e.g. "X-Amzn-Mtls-Clientcert certificate 2".
    pub location: String,
}

/// A damaged value: what is wrong, named by the encoding rule it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub format: Option<Format>,
    pub message: String,
}

/// Everything decoded from one input.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Formats found, in input order, each once.
    pub formats: Vec<Format>,
    /// Certificates, leaf first as the producer sent them, duplicates removed.
    pub certificates: Vec<ForwardedCertificate>,
    /// Metadata the gateway sent beside the certificate.
    pub claims: Vec<Claim>,
    pub damage: Vec<Damage>,
    /// Header names that carry no certificate this module reads.
    pub ignored_headers: Vec<String>,
}

impl Decoded {
    fn add_format(&mut self, format: Format) {
        if !self.formats.contains(&format) {
            self.formats.push(format);
        }
    }

    fn damage(&mut self, format: Option<Format>, message: String) {
        if let Some(format) = format {
            self.add_format(format);
        }
        self.damage.push(Damage { format, message });
    }

    /// Adds a certificate unless the same DER is already listed; a DER that
    /// does not parse as X.509 becomes damage instead.
    fn add_certificate(&mut self, der: Vec<u8>, format: Format, location: String) {
        self.add_format(format);
        if let Err(error) = Certificate::from_der(&der) {
            self.damage(
                Some(format),
                format!("{location} decodes, but its bytes are not an X.509 certificate: {error}"),
            );
            return;
        }
        if self.certificates.iter().any(|c| c.der == der) {
            return;
        }
        self.certificates.push(ForwardedCertificate {
            der,
            format,
            location,
        });
    }
}

/// Detects the format of `input` and decodes it.
pub fn decode(input: &[u8]) -> Decoded {
    let mut decoded = Decoded::default();
    let text = match std::str::from_utf8(input) {
        Ok(text) => text.trim_start_matches('\u{feff}').trim(),
        Err(error) => {
            decoded.damage(
                None,
                format!(
                    "the input is not UTF-8 text (invalid byte at offset {}); forwarded certificates travel as text",
                    error.valid_up_to()
                ),
            );
            return decoded;
        }
    };
    if text.is_empty() {
        decoded.damage(None, "the input is empty".into());
        return decoded;
    }

    if text.starts_with('{') {
        formats::decode_event(text, &mut decoded);
    } else if let Some(lines) = header_lines(text) {
        for (name, value) in lines.into_iter().take(MAX_HEADER_LINES) {
            formats::decode_header(&name, value, &mut decoded);
        }
    } else {
        formats::decode_value(text, None, &mut decoded);
    }
    decoded
}

/// Splits `Name: value` lines, or returns `None` when any line is not one.
///
/// A header name is an RFC 9110 token. A raw RFC 9440 value starts with `:`
/// and PEM starts with `-`, so neither is taken for a header line.
fn header_lines(text: &str) -> Option<Vec<(String, &str)>> {
    let mut lines = Vec::new();
    for line in text.lines().map(str::trim).filter(|line| !line.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let is_token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b));
        if !is_token || name.starts_with('-') {
            return None;
        }
        lines.push((name.to_ascii_lowercase(), value.trim()));
    }
    Some(lines)
}

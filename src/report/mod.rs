//! The report contract: serializable types shared by every command, and the
//! renderers that turn a report into JSON or text for people. Nothing else in
//! the crate prints.

pub mod expiry;
pub mod sarif;
pub mod text;

use serde::{Deserialize, Serialize};

use crate::input::Origin;

/// Finding severity, ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// RFC 4514 subject of the certificate concerned, if any.
    pub subject: Option<String>,
    /// Index into `items`, if the finding concerns one input block.
    pub item: Option<usize>,
    /// The gateway's own log line for this failure, where one is known.
    pub gateway_message: Option<String>,
    /// Advice on how to fix it.
    pub help: String,
    /// The position in an input that the finding points to when it concerns
    /// no decoded block (`item` is null), such as a stray line in a bundle.
    /// Absent from JSON when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// A line of an input, for findings about text outside any block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Position {
    /// The input's name, as in an item's `origin.source`.
    pub source: String,
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the line's first byte in the original input.
    pub offset: usize,
}

/// The operation that produced a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Command {
    Verify,
    Lint,
    Csr,
    Inspect,
    Decode,
}

/// The overall result of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Accept,
    Deny,
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Deny => "deny",
            Verdict::Pass => "pass",
            Verdict::Warn => "warn",
            Verdict::Fail => "fail",
        }
    }

    /// CLI exit code: 0 accept/pass/warn, 1 deny/fail.
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Accept | Verdict::Pass | Verdict::Warn => 0,
            Verdict::Deny | Verdict::Fail => 1,
        }
    }

    /// Computes the lint and csr verdict: fail on any error, warn on any warning, else pass.
    pub fn from_findings(findings: &[Finding]) -> Verdict {
        match findings.iter().map(|f| f.severity).max() {
            Some(Severity::Error) => Verdict::Fail,
            Some(Severity::Warning) => Verdict::Warn,
            _ => Verdict::Pass,
        }
    }
}

/// Tool name and version.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

/// A report read back from JSON names this build, not the one that wrote it,
/// because the fields are `&'static str`. The JSON's `tool` is read and dropped.
impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer)?;
        Ok(Tool::default())
    }
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

/// A short description of a certificate for `items` and paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct CertificateSummary {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub key: String,
    pub signature_algorithm: String,
    pub is_ca: bool,
    pub self_signed: bool,
    pub sha256_fingerprint: String,
}

/// One input block as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Item {
    /// "certificate", "certificate-request", "crl", "private-key", "pkcs7", "public-key", "other", "unknown".
    pub kind: String,
    /// The PEM label as written, if any.
    pub label: Option<String>,
    /// "pem", "der", "base64" or "url-encoded-pem".
    pub encoding: String,
    pub origin: Origin,
    /// Role of this block in the command: "leaf", "presented", "truststore", "csr", "input".
    pub role: String,
    /// Whether the block decoded and parsed.
    pub ok: bool,
    pub summary: Option<CertificateSummary>,
}

/// One certificate on a validation path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PathEntry {
    pub item: usize,
    /// "leaf", "intermediate" or "anchor".
    pub role: String,
    pub subject: String,
    /// "presented" (sent by the client) or "truststore".
    pub source: String,
}

/// Facts of a verify run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PathFacts {
    /// The path that was accepted, or the best candidate that was rejected.
    pub certificates: Vec<PathEntry>,
    /// Whether `certificates` is a complete, accepted path.
    pub accepted: bool,
    /// CA certificates on the path, the anchor included and the leaf not.
    pub ca_count: usize,
    pub usage: String,
    pub peer_name: Option<String>,
}

/// Lint facts for one CA in the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct GraphNode {
    pub item: usize,
    pub subject: String,
    pub is_ca: bool,
    pub self_signed: bool,
    /// Item of the certificate in the bundle that signed this one.
    pub issuer_item: Option<usize>,
    /// Steps up to a self-signed root in the bundle (0 for a root), if one is reachable.
    pub depth_to_root: Option<usize>,
    /// Whether a client certificate issued directly by this CA could be accepted by the profile.
    pub clients_accepted: bool,
    /// The reason clients are refused, when `clients_accepted` is false.
    pub reason: Option<String>,
}

/// When a linted truststore first starts rejecting clients: the earliest
/// notAfter among the CAs that end or sit on a path to a trust anchor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Forecast {
    /// RFC 3339; at or before `checked_at` when a CA has already expired.
    pub first_refusal: String,
    /// Item of the CA that expires first.
    pub certificate: usize,
    pub subject: String,
    /// Whole days from the check time to `first_refusal` (negative when past).
    pub days_left: i64,
}

/// Lint facts of a truststore.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct BundleFacts {
    pub certificates: usize,
    pub bytes: usize,
}

/// Facts `decode` found in a forwarded certificate input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ForwardedFacts {
    /// Format names, in input order, e.g. "alb-x-amzn-mtls-clientcert", "envoy-xfcc".
    pub formats: Vec<String>,
    pub metadata: Vec<MetadataCheck>,
}

/// One metadata value the gateway sent, compared with the leaf certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct MetadataCheck {
    /// "subject", "issuer", "serial number", "notBefore", "notAfter" or "SHA-256 fingerprint".
    pub field: String,
    /// JSON path or header name it came from.
    pub source: String,
    pub value: String,
    /// True when it equals the certificate's field, false when it differs, null when unreadable.
    pub matches: Option<bool>,
}

/// The report every command returns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Report {
    pub tool: Tool,
    pub command: Command,
    pub profile: String,
    pub checked_at: String,
    pub verdict: Verdict,
    pub findings: Vec<Finding>,
    pub items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<PathFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchors: Option<Vec<usize>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph: Option<Vec<GraphNode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundle: Option<BundleFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<Forecast>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub csr: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>[]"))]
    pub certificates: Option<Vec<serde_json::Value>>,
    /// Facts of a decode run: the forwarding formats found and the metadata checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<ForwardedFacts>,
    /// True when the input could not be used at all (no certificate, no request); the CLI exits 2.
    #[serde(skip)]
    pub unusable: bool,
}

impl Report {
    /// Serializes the report as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\":\"report could not be serialized: {e}\"}}"))
    }

    /// Returns the CLI exit code for this report.
    pub fn exit_code(&self) -> i32 {
        if self.unusable {
            2
        } else {
            self.verdict.exit_code()
        }
    }
}

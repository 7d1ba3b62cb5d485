//! Turns one decoded input into report items and parsed views. Every block
//! becomes an item with its origin, and certificates are parsed once. A block
//! that is not what the command needs becomes a finding, so no block is
//! dropped silently.

use crate::input::{self, Block, BlockKind, Layout};
use crate::report::{CertificateSummary, Finding, Item, Severity};
use crate::rules::finding;

use super::csr::Csr;
use super::{format_time, Certificate};

/// Severity policy for findings about the input itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputSeverity {
    /// Lint: a bad block makes the bundle unusable for upload.
    Strict,
    /// Verify: the verdict comes from path validation, so input problems only warn.
    Advisory,
}

/// One parsed certificate and the item it came from.
#[derive(Debug, Clone)]
pub struct LoadedCertificate {
    pub item: usize,
    pub cert: Certificate,
    pub byte_len: usize,
}

/// Everything read from one input.
pub struct Loaded {
    pub certificates: Vec<LoadedCertificate>,
    pub requests: Vec<(usize, Csr)>,
    /// Items of blocks that are neither certificates nor requests, with their labels.
    pub other_blocks: Vec<(usize, Option<String>)>,
    pub layout: Layout,
    pub findings: Vec<Finding>,
}

/// Builds the short description of a certificate for `items`.
pub fn summarize(cert: &Certificate) -> CertificateSummary {
    CertificateSummary {
        subject: cert.subject.rfc4514.clone(),
        issuer: cert.issuer.rfc4514.clone(),
        serial: cert.serial.hex.clone(),
        not_before: format_time(cert.not_before),
        not_after: format_time(cert.not_after),
        key: cert.key.name.clone(),
        signature_algorithm: cert.signature_algorithm.name.clone(),
        is_ca: cert.is_ca(),
        self_signed: cert.self_signed,
        sha256_fingerprint: cert.sha256_fingerprint.clone(),
    }
}

fn kind_name(kind: &BlockKind) -> &'static str {
    match kind {
        BlockKind::Certificate => "certificate",
        BlockKind::CertificateRequest => "certificate-request",
        BlockKind::Crl => "crl",
        BlockKind::PrivateKey => "private-key",
        BlockKind::Pkcs7 => "pkcs7",
        BlockKind::PublicKey => "public-key",
        BlockKind::Other(_) => "other",
        BlockKind::Unknown => "unknown",
    }
}

fn encoding_name(encoding: input::Encoding) -> &'static str {
    match encoding {
        input::Encoding::Pem => "pem",
        input::Encoding::Der => "der",
        input::Encoding::Base64 => "base64",
        input::Encoding::UrlEncodedPem => "url-encoded-pem",
    }
}

fn position(block: &Block) -> String {
    if block.origin.line > 0 {
        format!(
            "{} line {} (block {})",
            block.origin.source,
            block.origin.line,
            block.origin.block + 1
        )
    } else {
        format!(
            "{} byte {} (block {})",
            block.origin.source,
            block.origin.offset,
            block.origin.block + 1
        )
    }
}

/// The reason a certificate block was not used.
enum Refused<E> {
    Limit(crate::limits::Exceeded),
    Parse(E),
}

/// The kind of block a command reads from an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Certificates,
    Request,
}

/// Decodes `bytes`, appends one item per block to `items` and parses what the command needs.
pub fn load(
    bytes: &[u8],
    source: &str,
    role: &str,
    expect: Expect,
    severity: InputSeverity,
    items: &mut Vec<Item>,
) -> Loaded {
    let decoded = input::decode(bytes, source);
    let mut loaded = Loaded {
        certificates: Vec::new(),
        requests: Vec::new(),
        other_blocks: Vec::new(),
        layout: decoded.layout,
        findings: Vec::new(),
    };
    let input_severity = match severity {
        InputSeverity::Strict => Severity::Error,
        InputSeverity::Advisory => Severity::Warning,
    };
    if let Some(limit) = &decoded.limit {
        loaded.findings.push(finding(
            "input.limit-exceeded",
            Severity::Error,
            format!("{source}: {limit}"),
            None,
            None,
            "Split the input into smaller files; no gateway accepts inputs this large.",
        ));
    }

    for block in decoded.blocks {
        let index = items.len();
        let mut item = Item {
            kind: kind_name(&block.kind).to_string(),
            label: block.label.clone(),
            encoding: encoding_name(block.encoding).to_string(),
            origin: block.origin.clone(),
            role: role.to_string(),
            ok: false,
            summary: None,
        };

        match (&block.kind, &block.der) {
            (BlockKind::PrivateKey, _) => {
                loaded.findings.push(finding(
                    "input.private-key",
                    input_severity,
                    format!(
                        "{}: a private key block; it is ignored and its content is never shown",
                        position(&block)
                    ),
                    None,
                    Some(index),
                    "Remove the private key from this file and keep it secret; if this file was shared or uploaded, treat the key as compromised and replace it.",
                ));
                loaded.other_blocks.push((index, block.label.clone()));
            }
            (_, Err(error)) => {
                loaded.findings.push(finding(
                    "input.malformed",
                    input_severity,
                    format!("{}: {error}", position(&block)),
                    None,
                    Some(index),
                    "Export the block again from its source (openssl x509 -outform PEM); the other blocks were still checked.",
                ));
                loaded.other_blocks.push((index, block.label.clone()));
            }
            (BlockKind::Certificate, Ok(der)) if expect == Expect::Certificates => {
                match crate::limits::check_certificate_der(der)
                    .map_err(Refused::Limit)
                    .and_then(|()| Certificate::from_der(der).map_err(Refused::Parse))
                    .and_then(|cert| match crate::limits::check_certificate(&cert) {
                        Ok(()) => Ok(cert),
                        Err(exceeded) => Err(Refused::Limit(exceeded)),
                    }) {
                    Err(Refused::Limit(exceeded)) => loaded.findings.push(crate::limits::finding(
                        exceeded,
                        &position(&block),
                        Some(index),
                    )),
                    Err(Refused::Parse(error)) => loaded.findings.push(finding(
                        "input.malformed",
                        input_severity,
                        format!("{}: {error}", position(&block)),
                        None,
                        Some(index),
                        "Export the certificate again from its source; the other blocks were still checked.",
                    )),
                    Ok(cert) => {
                        item.ok = true;
                        item.summary = Some(summarize(&cert));
                        loaded.certificates.push(LoadedCertificate { item: index, cert, byte_len: block.byte_len });
                    }
                }
            }
            (BlockKind::CertificateRequest, Ok(der)) if expect == Expect::Request => match Csr::from_der(der) {
                Ok(csr) => {
                    item.ok = true;
                    loaded.requests.push((index, csr));
                }
                Err(error) => loaded.findings.push(finding(
                    "input.malformed",
                    Severity::Error,
                    format!("{}: {error}", position(&block)),
                    None,
                    Some(index),
                    "Generate the request again (openssl req -new) and pass the PEM file as it was written.",
                )),
            },
            (kind, Ok(_)) => {
                let (wanted, help) = match expect {
                    Expect::Certificates => (
                        "a certificate",
                        "Pass only PEM CERTIFICATE blocks here; CRLs, requests and keys belong elsewhere.",
                    ),
                    Expect::Request => (
                        "a certificate request",
                        "Pass one PKCS#10 request here: a PEM CERTIFICATE REQUEST block (-----BEGIN CERTIFICATE REQUEST-----) or its DER; certificates, CRLs and keys belong to the other commands.",
                    ),
                };
                loaded.findings.push(finding(
                    "input.not-a-certificate",
                    input_severity,
                    format!("{}: {kind} where {wanted} was expected; it is not used", position(&block)),
                    None,
                    Some(index),
                    help,
                ));
                loaded.other_blocks.push((index, block.label.clone()));
            }
        }
        items.push(item);
    }
    loaded
}

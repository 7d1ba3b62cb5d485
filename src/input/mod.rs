//! Input decoding: turns the bytes of a user's file (truststore bundle, client
//! chain, CSR, CRL) or of a forwarded header value into a list of blocks. Each
//! block carries its DER bytes and its origin. A [`Layout`] describes the
//! bundle's shape for the format rules.
//!
//! The decoder is tolerant of real-world damage and never gives up on the
//! whole input: a block that does not decode becomes a [`Block`] whose `der`
//! is a [`DecodeError`], and decoding goes on with the next block. It runs in
//! time linear in the input, never panics, and never keeps private key bytes.
//!
//! Accepted encodings, tried in this order:
//! - binary DER (first byte `0x30` and not text), one or more objects back to back;
//! - PEM (RFC 7468, read laxly), also when URL-encoded (ALB, CloudFront,
//!   nginx, Envoy headers) or JSON-escaped (API Gateway authorizer events);
//! - bare base64 of DER, including RFC 9440 `:base64:` lists and comma lists;
//! - anything else is text without a block: zero blocks, every line a stray line.

mod bare_base64;
mod der;
mod label;
mod lines;
mod pem;
mod sniff;

#[cfg(test)]
mod tests;

use std::fmt;

pub use crate::limits::{MAX_BLOCKS, MAX_INPUT_BYTES};

/// Maximum number of stray lines listed in [`Layout::stray`]: enough to show
/// every problem in a real bundle, and a bound on memory for inputs made only
/// of newlines.
pub const MAX_STRAY_LINES: usize = 10_000;

/// Position of a block in its input.
///
/// For URL-encoded or JSON-escaped PEM, `offset` and `line` refer to the text
/// after percent-decoding or unescaping, not to the original bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Origin {
    /// The input's name, e.g. a file path or "truststore".
    pub source: String,
    /// 0-based index of the block within this input.
    pub block: usize,
    /// Byte offset of the block's first byte: the first `-` of its BEGIN
    /// boundary, or the first byte of the DER object or of its base64 text.
    /// Counted in the original bytes, a byte order mark included.
    pub offset: usize,
    /// 1-based line of that byte (`\n`, `\r\n` and a lone `\r` each end a
    /// line); 0 for binary DER input.
    pub line: usize,
}

/// Encoding of the input, or of one block of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// PEM text, also when it arrived JSON-escaped; also used for text with
    /// no block at all and for empty input.
    Pem,
    /// Binary DER.
    Der,
    /// Bare base64 of DER, without PEM boundaries.
    Base64,
    /// Percent-encoded PEM, as forwarded in HTTP headers.
    UrlEncodedPem,
}

/// Kind of object in a block, from its PEM label or, without one, from its
/// DER shape.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    /// "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE", or DER
    /// shaped like an X.509 certificate.
    Certificate,
    /// "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", or DER shaped like
    /// a PKCS#10 request.
    CertificateRequest,
    /// "X509 CRL", or DER shaped like a CRL.
    Crl,
    /// Any label containing "PRIVATE", or DER shaped like a private key
    /// (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, DSA) or a PKCS#12 archive.
    PrivateKey,
    /// "PKCS7" or "CMS".
    Pkcs7,
    /// "PUBLIC KEY" or "RSA PUBLIC KEY".
    PublicKey,
    /// Any other PEM label, as written.
    Other(String),
    /// Neither a readable label nor a known DER shape.
    Unknown,
}

/// One object found in the input.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// The PEM label as written, or `None` for DER, base64, or an unreadable label.
    pub label: Option<String>,
    pub encoding: Encoding,
    pub origin: Origin,
    /// The DER object, or the reason it could not be decoded. For
    /// [`BlockKind::PrivateKey`] this is always `Ok` with an empty vector or
    /// an error, because key bytes are dropped as soon as the kind is known.
    pub der: Result<Vec<u8>, DecodeError>,
    /// Bytes the block occupies, counted as in [`Origin::offset`]: from its
    /// BEGIN boundary through the END line and its line break, the DER
    /// object's length, or the span of its base64 text.
    pub byte_len: usize,
}

/// Reason a block could not be decoded. No variant contains any byte of the
/// block's body, because the body may be key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A BEGIN boundary with no END before the next BEGIN or the end of input.
    MissingEndLine { label: String },
    /// An END boundary with no BEGIN before it.
    MissingBeginLine { label: String },
    /// BEGIN and END boundaries with different labels.
    MismatchedEndLabel { begin: String, end: String },
    /// A character outside the base64 alphabet on this 1-based line.
    InvalidBase64 { line: usize },
    /// The base64 text ends in the middle of a group, on this 1-based line.
    TruncatedBase64 { line: usize },
    /// A PEM block with nothing between its boundaries.
    EmptyBody,
    /// Bytes after the DER object inside one PEM block or base64 item.
    TrailingData { extra: usize },
    /// The bytes do not start with a DER tag and length.
    NotDer,
    /// The DER header declares more bytes than are present.
    TruncatedDer { declared: usize, available: usize },
}

/// A cap that stopped decoding before the end of the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "limit")]
pub enum LimitExceeded {
    /// The input is larger than [`MAX_INPUT_BYTES`], so nothing was decoded.
    InputTooLarge { bytes: usize, max: usize },
    /// [`MAX_BLOCKS`] blocks were decoded and more followed, starting at
    /// `offset`, counted as in [`Origin::offset`]. Nothing from there on was
    /// read.
    TooManyBlocks { max: usize, offset: usize },
}

/// The line break style of a text input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineEndings {
    /// No line break at all (one line, or binary input).
    #[default]
    None,
    Lf,
    Crlf,
    Cr,
    /// More than one of the above.
    Mixed,
}

/// Content class of a stray line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrayKind {
    /// Empty or whitespace only.
    Blank,
    /// Starts with `#` and contains no `-`.
    Comment,
    /// Starts with `#` and contains a `-`, which ALB and CloudFront reject.
    CommentWithDash,
    /// Any other text outside a PEM block.
    Text,
}

/// A line outside every PEM block, or a blank line inside one. Holds no text
/// from the line, because the text may be key material.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StrayLine {
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the line's first byte.
    pub offset: usize,
    pub kind: StrayKind,
    pub inside_block: bool,
}

/// The shape of a text input, for the bundle format rules. For binary DER
/// only `total_bytes` is set.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Layout {
    /// Length of the original input in bytes, before any percent-decoding or
    /// JSON unescaping.
    pub total_bytes: usize,
    /// The input starts with a UTF-8 byte order mark.
    pub bom: bool,
    pub line_endings: LineEndings,
    /// Blank lines anywhere, `#` comments and other text outside blocks,
    /// in input order, at most [`MAX_STRAY_LINES`] of them. The blank line
    /// that ends the RFC 1421 headers of a legacy encrypted key is not listed.
    pub stray: Vec<StrayLine>,
    /// Stray lines found beyond [`MAX_STRAY_LINES`] and not listed.
    pub stray_omitted: usize,
    /// A BEGIN, END or body line starts with whitespace.
    pub indented: bool,
    /// A body line has spaces or tabs between base64 characters, as when
    /// the body lines were joined with spaces.
    pub whitespace_in_body: bool,
    /// The text has a byte above 0x7F (the byte order mark aside).
    pub non_ascii: bool,
}

/// Everything decoded from one input.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub blocks: Vec<Block>,
    pub layout: Layout,
    pub encoding: Encoding,
    /// The cap that stopped decoding early, if any.
    pub limit: Option<LimitExceeded>,
}

/// Decodes `bytes` into blocks. `source` names the input in each block's
/// [`Origin`]. It never panics, and its time and memory grow linearly with
/// the input size.
pub fn decode(bytes: &[u8], source: &str) -> Decoded {
    if bytes.len() > MAX_INPUT_BYTES {
        return Decoded {
            blocks: Vec::new(),
            layout: Layout {
                total_bytes: bytes.len(),
                ..Layout::default()
            },
            encoding: sniff::guess_encoding(bytes),
            limit: Some(LimitExceeded::InputTooLarge {
                bytes: bytes.len(),
                max: MAX_INPUT_BYTES,
            }),
        };
    }

    if sniff::is_binary_der(bytes) {
        return der::decode_binary(bytes, source);
    }

    let prepared = sniff::prepare_text(bytes);
    if sniff::has_pem_boundary(&prepared.text) {
        return pem::decode(&prepared.text, bytes.len(), source, prepared.encoding);
    }
    if let Some(decoded) = bare_base64::decode(bytes, source) {
        return decoded;
    }
    pem::decode(&prepared.text, bytes.len(), source, prepared.encoding)
}

impl fmt::Display for BlockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockKind::Certificate => f.write_str("certificate"),
            BlockKind::CertificateRequest => f.write_str("certificate request (CSR)"),
            BlockKind::Crl => f.write_str("CRL"),
            BlockKind::PrivateKey => f.write_str("private key"),
            BlockKind::Pkcs7 => f.write_str("PKCS#7"),
            BlockKind::PublicKey => f.write_str("public key"),
            BlockKind::Other(label) => write!(f, "PEM block labelled {label}"),
            BlockKind::Unknown => f.write_str("unknown data"),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::MissingEndLine { label } if label.is_empty() => f.write_str(
                "the PEM block that starts here has no END line before the next BEGIN line or \
                 the end of the input; add the missing END line",
            ),
            DecodeError::MissingEndLine { label } => write!(
                f,
                "the PEM block \"-----BEGIN {label}-----\" has no END line before the next \
                 BEGIN line or the end of the input; add the missing \"-----END {label}-----\" \
                 line"
            ),
            DecodeError::MissingBeginLine { label } if label.is_empty() => f.write_str(
                "an END line has no BEGIN line before it; add the missing BEGIN line or remove \
                 the END line",
            ),
            DecodeError::MissingBeginLine { label } => write!(
                f,
                "the line \"-----END {label}-----\" has no BEGIN line before it; add the \
                 missing \"-----BEGIN {label}-----\" line or remove the END line"
            ),
            DecodeError::MismatchedEndLabel { begin, end } => write!(
                f,
                "the PEM block begins with label {} but ends with label {}; make both \
                 boundary lines name the same label",
                quote_label(begin),
                quote_label(end)
            ),
            DecodeError::InvalidBase64 { line } => write!(
                f,
                "line {line} holds a character that is not valid base64; remove it, or \
                 export the object again"
            ),
            DecodeError::TruncatedBase64 { line } => write!(
                f,
                "the base64 text ends in the middle of a group on line {line}, so a character \
                 or line is missing; export the object again"
            ),
            DecodeError::EmptyBody => f.write_str(
                "the PEM block is empty: nothing between its BEGIN and END lines; \
                 export the object again or remove the empty block",
            ),
            DecodeError::TrailingData { extra } => write!(
                f,
                "{extra} bytes follow the end of the DER object; put each object in its own \
                 PEM block"
            ),
            DecodeError::NotDer => f.write_str(
                "the decoded bytes are not a DER object (invalid tag or length); the data is \
                 corrupted or in another format",
            ),
            DecodeError::TruncatedDer {
                declared,
                available,
            } => write!(
                f,
                "the DER object declares {declared} bytes but only {available} are present; \
                 the data was cut short, export it again"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitExceeded::InputTooLarge { bytes, max } => write!(
                f,
                "the input is {bytes} bytes, more than the maximum of {max} bytes; \
                 nothing was decoded, split the file"
            ),
            LimitExceeded::TooManyBlocks { max, offset } => write!(
                f,
                "the input holds more than {max} blocks; decoding stopped at byte {offset}, \
                 split the file"
            ),
        }
    }
}

/// Quotes a label for a message; an empty label stands for one that could
/// not be read.
fn quote_label(label: &str) -> String {
    if label.is_empty() {
        "(unreadable)".to_owned()
    } else {
        format!("\"{label}\"")
    }
}

//! PEM boundaries (`-----BEGIN LABEL-----`, `-----END LABEL-----`) and the
//! block kinds their labels name.
//!
//! A boundary may sit anywhere on a line, so PEM that lost its line breaks,
//! or sits inside a JSON string or a header value, still reads.

use super::sniff::{find, BEGIN_MARKER};
use super::BlockKind;

const END_MARKER: &[u8] = b"-----END ";

/// The five dashes that close a boundary.
const DASHES: &[u8] = b"-----";

/// Maximum label length kept. The longest label in common use, "SSH2
/// ENCRYPTED PRIVATE KEY", has 26 characters, so anything much longer is not
/// a label.
const MAX_LABEL_LEN: usize = 64;

/// Whether a boundary opens or closes a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BoundaryKind {
    Begin,
    End,
}

/// A boundary found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Boundary<'a> {
    pub kind: BoundaryKind,
    pub label: Label<'a>,
    /// Bytes from the marker's first dash through the closing dashes.
    pub len: usize,
}

/// A boundary's label, kept as text only when it reads as a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Label<'a> {
    raw: &'a [u8],
    readable: Option<&'a str>,
}

/// Evidence of where a label ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelEnd {
    /// Closing dashes mark where the label ends.
    Dashes,
    /// No closing dashes, so the rest of the line might run into the body.
    EndOfLine,
}

impl<'a> Label<'a> {
    fn new(raw: &'a [u8], end: LabelEnd) -> Self {
        let readable = std::str::from_utf8(raw).ok().filter(|text| {
            let looks_like_label = !text.is_empty()
                && text.len() <= MAX_LABEL_LEN
                && text.bytes().all(|b| (0x20..=0x7E).contains(&b));
            // Without closing dashes only a known label is trusted, so that
            // body text run onto the line is never kept as a label.
            looks_like_label && (end == LabelEnd::Dashes || is_known_label(text))
        });
        Label { raw, readable }
    }

    /// Returns the label as written, if it reads as one.
    pub fn text(&self) -> Option<&'a str> {
        self.readable
    }

    /// Returns the label for error messages: as written, or empty if unreadable.
    pub fn for_message(&self) -> String {
        self.readable.unwrap_or_default().to_owned()
    }

    /// Returns the kind the label names. An unreadable label names no kind,
    /// unless it mentions "PRIVATE", which is treated as a key.
    pub fn kind(&self) -> Option<BlockKind> {
        match self.readable {
            Some(text) => Some(kind_for_label(text)),
            None if contains_ignore_case(self.raw, b"PRIVATE") => Some(BlockKind::PrivateKey),
            None => None,
        }
    }

    /// Returns true for OpenSSL's TRUSTED CERTIFICATE form, whose body is a
    /// certificate followed by trust settings.
    pub fn is_trusted_certificate(&self) -> bool {
        self.readable
            .is_some_and(|text| text.eq_ignore_ascii_case("TRUSTED CERTIFICATE"))
    }

    /// Returns true when an END label closes a block opened with `self`.
    pub fn matches(&self, end: &Label<'_>) -> bool {
        self.raw == end.raw
    }
}

/// Labels with a fixed kind, upper case, from RFC 7468 and OpenSSL.
const KNOWN_LABELS: [(&str, BlockKind); 10] = [
    ("CERTIFICATE", BlockKind::Certificate),
    ("X509 CERTIFICATE", BlockKind::Certificate),
    ("TRUSTED CERTIFICATE", BlockKind::Certificate),
    ("CERTIFICATE REQUEST", BlockKind::CertificateRequest),
    ("NEW CERTIFICATE REQUEST", BlockKind::CertificateRequest),
    ("X509 CRL", BlockKind::Crl),
    ("PKCS7", BlockKind::Pkcs7),
    ("CMS", BlockKind::Pkcs7),
    ("PUBLIC KEY", BlockKind::PublicKey),
    ("RSA PUBLIC KEY", BlockKind::PublicKey),
];

/// Maps a label to the kind it names, ignoring case. Any label containing
/// "PRIVATE" is a key, and unknown labels become [`BlockKind::Other`] as
/// written.
pub(super) fn kind_for_label(label: &str) -> BlockKind {
    let upper = label.to_ascii_uppercase();
    if let Some((_, kind)) = KNOWN_LABELS.iter().find(|(known, _)| *known == upper) {
        return kind.clone();
    }
    if upper.contains("PRIVATE") {
        BlockKind::PrivateKey
    } else {
        BlockKind::Other(label.to_owned())
    }
}

/// Returns true for a label from [`KNOWN_LABELS`] or one ending in
/// "PRIVATE KEY" ("RSA PRIVATE KEY", "OPENSSH PRIVATE KEY", ...).
fn is_known_label(label: &str) -> bool {
    let upper = label.to_ascii_uppercase();
    upper.ends_with("PRIVATE KEY") || KNOWN_LABELS.iter().any(|(known, _)| *known == upper)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window.eq_ignore_ascii_case(needle))
}

/// Finds the first boundary marker in `line` at or after `from`, returning
/// its position and kind.
pub(super) fn find_boundary(line: &[u8], from: usize) -> Option<(usize, BoundaryKind)> {
    let rest = line.get(from..)?;
    rest.iter().enumerate().find_map(|(i, &byte)| {
        if byte != b'-' {
            return None;
        }
        let at = rest.get(i..).unwrap_or_default();
        if at.starts_with(BEGIN_MARKER) {
            Some((from + i, BoundaryKind::Begin))
        } else if at.starts_with(END_MARKER) {
            Some((from + i, BoundaryKind::End))
        } else {
            None
        }
    })
}

/// Reads the boundary at the start of `at` (which starts with a marker),
/// up to the end of the line it was cut from.
pub(super) fn parse_boundary(at: &[u8], kind: BoundaryKind) -> Boundary<'_> {
    let marker_len = match kind {
        BoundaryKind::Begin => BEGIN_MARKER.len(),
        BoundaryKind::End => END_MARKER.len(),
    };
    let after_marker = at.get(marker_len..).unwrap_or_default();

    match find(after_marker, DASHES) {
        Some(label_len) => {
            let raw = after_marker.get(..label_len).unwrap_or_default();
            let after_dashes = after_marker.get(label_len..).unwrap_or_default();
            let dashes = after_dashes.iter().take_while(|&&b| b == b'-').count();
            Boundary {
                kind,
                label: Label::new(raw.trim_ascii(), LabelEnd::Dashes),
                len: marker_len + label_len + dashes,
            }
        }
        None => {
            let raw = after_marker.trim_ascii();
            let without_dashes = raw.len() - raw.iter().rev().take_while(|&&b| b == b'-').count();
            let raw = raw.get(..without_dashes).unwrap_or_default().trim_ascii();
            Boundary {
                kind,
                label: Label::new(raw, LabelEnd::EndOfLine),
                len: at.len(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_map_to_kinds() {
        assert_eq!(kind_for_label("CERTIFICATE"), BlockKind::Certificate);
        assert_eq!(kind_for_label("X509 CERTIFICATE"), BlockKind::Certificate);
        assert_eq!(
            kind_for_label("TRUSTED CERTIFICATE"),
            BlockKind::Certificate
        );
        assert_eq!(
            kind_for_label("NEW CERTIFICATE REQUEST"),
            BlockKind::CertificateRequest
        );
        assert_eq!(kind_for_label("X509 CRL"), BlockKind::Crl);
        assert_eq!(kind_for_label("CMS"), BlockKind::Pkcs7);
        assert_eq!(kind_for_label("RSA PUBLIC KEY"), BlockKind::PublicKey);
        assert_eq!(kind_for_label("OPENSSH PRIVATE KEY"), BlockKind::PrivateKey);
        assert_eq!(
            kind_for_label("DH PARAMETERS"),
            BlockKind::Other("DH PARAMETERS".to_owned())
        );
    }

    #[test]
    fn boundary_with_closing_dashes() {
        let boundary = parse_boundary(b"-----BEGIN X509 CRL-----rest", BoundaryKind::Begin);
        assert_eq!(boundary.label.text(), Some("X509 CRL"));
        assert_eq!(boundary.len, 24);
    }

    #[test]
    fn boundary_without_dashes_keeps_known_label() {
        let boundary = parse_boundary(b"-----BEGIN CERTIFICATE --", BoundaryKind::Begin);
        assert_eq!(boundary.label.text(), Some("CERTIFICATE"));
        assert_eq!(boundary.len, 25);
    }

    #[test]
    fn boundary_without_dashes_never_keeps_body_text() {
        let boundary = parse_boundary(b"-----BEGIN PRIVATE KEY MIIEvgIBADAN", BoundaryKind::Begin);
        assert_eq!(boundary.label.text(), None);
        assert_eq!(boundary.label.kind(), Some(BlockKind::PrivateKey));
    }

    #[test]
    fn overlong_label_is_unreadable() {
        let line = format!("-----BEGIN {}-----", "A".repeat(MAX_LABEL_LEN + 1));
        let boundary = parse_boundary(line.as_bytes(), BoundaryKind::Begin);
        assert_eq!(boundary.label.text(), None);
        assert_eq!(boundary.label.kind(), None);
    }

    #[test]
    fn find_boundary_skips_extra_dashes_and_text() {
        assert_eq!(
            find_boundary(b"x ------BEGIN A-----", 0),
            Some((3, BoundaryKind::Begin))
        );
        assert_eq!(
            find_boundary(b"abc-----END A-----", 1),
            Some((3, BoundaryKind::End))
        );
        assert_eq!(find_boundary(b"----- BEGIN A-----", 0), None);
    }
}

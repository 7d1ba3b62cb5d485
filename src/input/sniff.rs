//! Encoding detection, and the two text transforms applied before PEM is
//! read: percent-decoding (PEM forwarded in HTTP headers) and JSON string
//! unescaping (PEM pasted out of a Lambda event).

use std::borrow::Cow;

use super::Encoding;

/// The marker every PEM block starts with.
pub(super) const BEGIN_MARKER: &[u8] = b"-----BEGIN ";

/// The BEGIN marker as percent-encoding leaves it (`%20` for the space).
const URL_BEGIN_MARKER: &[u8] = b"-----BEGIN%20";

/// How many leading bytes [`guess_encoding`] looks at.
const GUESS_PREFIX_BYTES: usize = 64 * 1024;

/// Text ready for the PEM reader, and the encoding it arrived in.
pub(super) struct Prepared<'a> {
    pub text: Cow<'a, [u8]>,
    pub encoding: Encoding,
}

/// Returns true for binary DER: a SEQUENCE tag first, and not text.
pub(super) fn is_binary_der(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30) && !is_text(bytes)
}

/// Returns true when `bytes` are UTF-8 without control characters other
/// than tab, line feed, form feed and carriage return.
fn is_text(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    !text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
}

/// Guesses the encoding from the first bytes only, for input too large to
/// decode.
pub(super) fn guess_encoding(bytes: &[u8]) -> Encoding {
    let prefix = bytes.get(..GUESS_PREFIX_BYTES).unwrap_or(bytes);
    if prefix.first() == Some(&0x30) && !contains(prefix, BEGIN_MARKER) {
        Encoding::Der
    } else if contains(prefix, URL_BEGIN_MARKER) && !contains(prefix, BEGIN_MARKER) {
        Encoding::UrlEncodedPem
    } else {
        Encoding::Pem
    }
}

/// Returns true when `text` contains a PEM BEGIN marker.
pub(super) fn has_pem_boundary(text: &[u8]) -> bool {
    contains(text, BEGIN_MARKER)
}

/// Undoes percent-encoding and JSON escaping where the text shows them.
///
/// Percent-decoding never turns `+` into a space: ALB leaves `+` literal in
/// base64, so form decoding would corrupt it. Literal `=` and `%3D` both
/// decode to `=`, and hex digits may be in either case.
pub(super) fn prepare_text(bytes: &[u8]) -> Prepared<'_> {
    let mut encoding = Encoding::Pem;
    let mut text = Cow::Borrowed(bytes);

    if !contains(bytes, BEGIN_MARKER) && contains(bytes, URL_BEGIN_MARKER) {
        text = percent_encoding::percent_decode(bytes).into();
        encoding = Encoding::UrlEncodedPem;
    }

    if is_json_escaped(&text) {
        text = Cow::Owned(json_unescape(&text));
    }

    Prepared { text, encoding }
}

/// Returns true when a PEM boundary is followed by the two characters `\n`
/// or `\r` instead of a line break, as in a JSON string.
fn is_json_escaped(text: &[u8]) -> bool {
    contains(text, b"-----\\n") || contains(text, b"-----\\r")
}

/// Replaces the JSON escapes `\n`, `\r`, `\t`, `\/`, `\\`, `\"` and
/// `\uXXXX` below U+0080 (some encoders write `+` as `\u002B`) with the
/// characters they stand for. Other escapes are kept as written.
fn json_unescape(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(&byte) = text.get(i) {
        if byte != b'\\' {
            out.push(byte);
            i += 1;
            continue;
        }

        let replacement = match text.get(i + 1) {
            Some(b'n') => Some((b'\n', 2)),
            Some(b'r') => Some((b'\r', 2)),
            Some(b't') => Some((b'\t', 2)),
            Some(b'/') => Some((b'/', 2)),
            Some(b'\\') => Some((b'\\', 2)),
            Some(b'"') => Some((b'"', 2)),
            Some(b'u') => ascii_unicode_escape(text.get(i + 2..i + 6)).map(|c| (c, 6)),
            _ => None,
        };
        match replacement {
            Some((character, escape_len)) => {
                out.push(character);
                i += escape_len;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Decodes the four hex digits of a `\uXXXX` escape when they name an ASCII
/// character.
fn ascii_unicode_escape(digits: Option<&[u8]>) -> Option<u8> {
    let digits = std::str::from_utf8(digits?).ok()?;
    let value = u16::from_str_radix(digits, 16).ok()?;
    u8::try_from(value).ok().filter(u8::is_ascii)
}

/// Returns true when `needle` occurs in `haystack`. Linear for the short,
/// fixed needles used here.
pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// Returns the first position of `needle` in `haystack`. Linear for the
/// short, fixed needles used here.
pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_unescape_turns_escapes_into_characters() {
        let unescaped = json_unescape(br#"a\nb\r\nc\/d\u002Be\"f\\g\qh"#);
        assert_eq!(unescaped, b"a\nb\r\nc/d+e\"f\\g\\qh");
    }

    #[test]
    fn json_unescape_keeps_non_ascii_unicode_escape() {
        assert_eq!(json_unescape(br"\u00e9"), br"\u00e9");
    }

    #[test]
    fn json_unescape_keeps_trailing_backslash() {
        assert_eq!(json_unescape(b"abc\\"), b"abc\\");
    }

    #[test]
    fn prepare_text_percent_decoding_keeps_plus() {
        let prepared = prepare_text(b"-----BEGIN%20X-----%0Aab+c%3d%3D=");
        assert_eq!(prepared.encoding, Encoding::UrlEncodedPem);
        assert_eq!(&*prepared.text, b"-----BEGIN X-----\nab+c===");
    }

    #[test]
    fn binary_der_needs_sequence_tag_and_non_text() {
        assert!(is_binary_der(&[0x30, 0x82, 0x01, 0x00]));
        assert!(is_binary_der(&[0x30, 0x03, 0x02, 0x01, 0x00]));
        assert!(!is_binary_der(b"0 is a digit\n"));
        assert!(!is_binary_der(&[0x31, 0x82]));
    }

    #[test]
    fn guess_encoding_reads_prefix_markers() {
        assert_eq!(guess_encoding(&[0x30, 0x82]), Encoding::Der);
        assert_eq!(guess_encoding(b"-----BEGIN%20X"), Encoding::UrlEncodedPem);
        assert_eq!(guess_encoding(b"-----BEGIN X"), Encoding::Pem);
    }
}

//! The tolerant PEM reader (RFC 7468, read laxly).
//!
//! It reads line by line in one pass. Boundaries may be indented or share a
//! line with body text, and body lines may contain spaces. Blank lines,
//! comments and other text may sit between blocks. RFC 1421 headers
//! (`Proc-Type:`, `DEK-Info:` in legacy encrypted keys) are skipped. A BEGIN
//! with no END before the next BEGIN closes its block with an error, and the
//! next block is read as usual.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

use super::der::{self, TrailingBytes};
use super::label::{self, BoundaryKind, Label};
use super::lines::{self, Line, Lines};
use super::{
    Block, BlockKind, DecodeError, Decoded, Encoding, Layout, LimitExceeded, Origin, StrayKind,
    StrayLine, MAX_BLOCKS, MAX_STRAY_LINES,
};

/// Standard-alphabet base64 that accepts missing padding and nonzero
/// trailing bits, as many encoders in the wild produce.
pub(super) const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Reads PEM blocks from `text`. `total_bytes` is the original input's
/// length, which differs from `text`'s after percent-decoding.
pub(super) fn decode(text: &[u8], total_bytes: usize, source: &str, encoding: Encoding) -> Decoded {
    let mut reader = Reader {
        text,
        source,
        encoding,
        blocks: Vec::new(),
        layout: lines::text_layout(text, total_bytes),
        open: None,
        limit: None,
    };
    reader.read_all();

    Decoded {
        blocks: reader.blocks,
        layout: reader.layout,
        encoding,
        limit: reader.limit,
    }
}

/// Whether reading goes on after a boundary.
enum Flow {
    Continue,
    Stop,
}

struct Reader<'a> {
    text: &'a [u8],
    source: &'a str,
    encoding: Encoding,
    blocks: Vec<Block>,
    layout: Layout,
    open: Option<OpenBlock<'a>>,
    limit: Option<LimitExceeded>,
}

/// A block whose BEGIN boundary was read and whose END was not yet.
struct OpenBlock<'a> {
    label: Label<'a>,
    offset: usize,
    line: usize,
    phase: Phase,
    body: Body,
}

/// Position of the reader inside an open block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Right after BEGIN: RFC 1421 headers or the body may follow.
    Start,
    /// Among RFC 1421 headers, which end at a blank line.
    Headers,
    /// In the base64 body.
    Body,
}

/// Boundary that ended a block.
enum BlockEnd<'a> {
    /// An END boundary with this label.
    Found(Label<'a>),
    /// The next BEGIN boundary or the end of the input came first.
    Missing,
}

impl<'a> Reader<'a> {
    fn read_all(&mut self) {
        let text = self.text;
        for line in Lines::new(text, lines::content_start(text)) {
            if let Flow::Stop = self.read_line(line) {
                return;
            }
        }
        if let Some(open) = self.open.take() {
            self.close(open, BlockEnd::Missing, text.len());
        }
    }

    /// Reads one line: text, body and boundaries from left to right.
    fn read_line(&mut self, line: Line) -> Flow {
        let content = self.text.get(line.start..line.end).unwrap_or_default();
        if content.trim_ascii().is_empty() {
            self.read_blank_line(line);
            return Flow::Continue;
        }

        let first_non_space = content
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or_default();
        let mut position = 0;
        let mut text_outside = false;
        let mut found_boundary = false;

        loop {
            let next = label::find_boundary(content, position);
            let segment_end = next.map_or(content.len(), |(at, _)| at);
            let segment = content.get(position..segment_end).unwrap_or_default();
            if !segment.trim_ascii().is_empty() {
                if self.open.is_some() {
                    self.read_body_segment(segment, line.number, position == 0);
                } else {
                    text_outside = true;
                }
            }

            let Some((at, kind)) = next else {
                break;
            };
            found_boundary = true;
            if at == first_non_space && first_non_space > 0 {
                self.layout.indented = true;
            }

            let boundary = label::parse_boundary(content.get(at..).unwrap_or_default(), kind);
            let boundary_offset = line.start + at;
            position = at + boundary.len;
            let flow = match kind {
                BoundaryKind::Begin => self.begin_block(boundary.label, boundary_offset, line),
                BoundaryKind::End => {
                    let rest = content.get(position..).unwrap_or_default();
                    let end = if rest.trim_ascii().is_empty() {
                        line.next
                    } else {
                        line.start + position
                    };
                    self.end_block(boundary.label, boundary_offset, end, line)
                }
            };
            if let Flow::Stop = flow {
                return Flow::Stop;
            }
        }

        if text_outside {
            let kind = if found_boundary {
                StrayKind::Text
            } else {
                classify_outside_line(content)
            };
            self.push_stray(line, kind, false);
        }
        Flow::Continue
    }

    fn read_blank_line(&mut self, line: Line) {
        match self.open.as_mut() {
            // The blank line that ends RFC 1421 headers is syntax, not a stray.
            Some(open) if open.phase == Phase::Headers => open.phase = Phase::Body,
            Some(_) => self.push_stray(line, StrayKind::Blank, true),
            None => self.push_stray(line, StrayKind::Blank, false),
        }
    }

    /// Feeds a non-blank piece of a line inside an open block to its body,
    /// unless it is an RFC 1421 header.
    fn read_body_segment(&mut self, segment: &[u8], line_number: usize, starts_line: bool) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        if open.phase != Phase::Body && is_header_line(segment) {
            open.phase = Phase::Headers;
            return;
        }

        // Without the blank line after the headers, the body starts here.
        open.phase = Phase::Body;
        if starts_line && segment.first().is_some_and(u8::is_ascii_whitespace) {
            self.layout.indented = true;
        }
        if open.body.push_segment(segment, line_number) {
            self.layout.whitespace_in_body = true;
        }
    }

    fn begin_block(&mut self, label: Label<'a>, offset: usize, line: Line) -> Flow {
        if let Some(open) = self.open.take() {
            self.close(open, BlockEnd::Missing, offset);
        }
        if self.blocks.len() >= MAX_BLOCKS {
            self.limit = Some(LimitExceeded::TooManyBlocks {
                max: MAX_BLOCKS,
                offset,
            });
            return Flow::Stop;
        }

        let keep_symbols = if label.kind() == Some(BlockKind::PrivateKey) {
            KeepSymbols::No
        } else {
            KeepSymbols::Yes
        };
        self.open = Some(OpenBlock {
            label,
            offset,
            line: line.number,
            phase: Phase::Start,
            body: Body::new(keep_symbols),
        });
        Flow::Continue
    }

    /// Closes the open block at an END boundary, or records a block for an
    /// END with no BEGIN. `end` is the offset just past the boundary.
    fn end_block(&mut self, label: Label<'a>, offset: usize, end: usize, line: Line) -> Flow {
        if let Some(open) = self.open.take() {
            self.close(open, BlockEnd::Found(label), end);
            return Flow::Continue;
        }
        if self.blocks.len() >= MAX_BLOCKS {
            self.limit = Some(LimitExceeded::TooManyBlocks {
                max: MAX_BLOCKS,
                offset,
            });
            return Flow::Stop;
        }

        let block = Block {
            kind: label.kind().unwrap_or(BlockKind::Unknown),
            label: label.text().map(str::to_owned),
            encoding: self.encoding,
            origin: self.origin(offset, line.number),
            der: Err(DecodeError::MissingBeginLine {
                label: label.for_message(),
            }),
            byte_len: end.saturating_sub(offset),
        };
        self.blocks.push(block);
        Flow::Continue
    }

    /// Turns an open block into a [`Block`]. `end` is the offset just past it.
    fn close(&mut self, open: OpenBlock<'a>, block_end: BlockEnd<'a>, end: usize) {
        let label_kind = open.label.kind();
        let unknown_if_unlabelled = label_kind.clone().unwrap_or(BlockKind::Unknown);

        let (kind, der) = match block_end {
            BlockEnd::Missing => (
                unknown_if_unlabelled,
                Err(DecodeError::MissingEndLine {
                    label: open.label.for_message(),
                }),
            ),
            BlockEnd::Found(end_label) if !open.label.matches(&end_label) => (
                unknown_if_unlabelled,
                Err(DecodeError::MismatchedEndLabel {
                    begin: open.label.for_message(),
                    end: end_label.for_message(),
                }),
            ),
            // A key's body is checked but never decoded, so its bytes never
            // exist in memory.
            BlockEnd::Found(_) if label_kind == Some(BlockKind::PrivateKey) => (
                BlockKind::PrivateKey,
                open.body.check_symbols().map(|()| Vec::new()),
            ),
            BlockEnd::Found(_) => match open.body.decode() {
                Ok(bytes) => {
                    let trailing = if open.label.is_trusted_certificate() {
                        TrailingBytes::Drop
                    } else {
                        TrailingBytes::Reject
                    };
                    der::finish_object(bytes, label_kind, trailing)
                }
                Err(error) => (unknown_if_unlabelled, Err(error)),
            },
        };

        let block = Block {
            kind,
            label: open.label.text().map(str::to_owned),
            encoding: self.encoding,
            origin: self.origin(open.offset, open.line),
            der,
            byte_len: end.saturating_sub(open.offset),
        };
        self.blocks.push(block);
    }

    fn origin(&self, offset: usize, line: usize) -> Origin {
        Origin {
            source: self.source.to_owned(),
            block: self.blocks.len(),
            offset,
            line,
        }
    }

    fn push_stray(&mut self, line: Line, kind: StrayKind, inside_block: bool) {
        if self.layout.stray.len() >= MAX_STRAY_LINES {
            self.layout.stray_omitted += 1;
            return;
        }
        self.layout.stray.push(StrayLine {
            line: line.number,
            offset: line.start,
            kind,
            inside_block,
        });
    }
}

/// Classifies a non-blank line with no boundary outside every block.
fn classify_outside_line(content: &[u8]) -> StrayKind {
    let trimmed = content.trim_ascii();
    if !trimmed.starts_with(b"#") {
        StrayKind::Text
    } else if trimmed.contains(&b'-') {
        StrayKind::CommentWithDash
    } else {
        StrayKind::Comment
    }
}

/// Returns true for an RFC 1421 header line such as `Proc-Type: 4,ENCRYPTED`.
/// Every such header name contains a hyphen, which base64 never does, so a
/// damaged body line is not mistaken for a header.
fn is_header_line(segment: &[u8]) -> bool {
    let trimmed = segment.trim_ascii_start();
    let Some(colon) = trimmed.iter().position(|&b| b == b':') else {
        return false;
    };
    let name = trimmed.get(..colon).unwrap_or_default();
    name.first().is_some_and(u8::is_ascii_alphabetic)
        && name.contains(&b'-')
        && name.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'-')
}

fn is_base64_symbol(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=')
}

/// Whether a body keeps its base64 symbols for decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeepSymbols {
    Yes,
    /// Only count them: the block is a private key by its label.
    No,
}

/// The base64 body of a block, with whitespace removed.
struct Body {
    keep: KeepSymbols,
    symbols: Vec<u8>,
    count: usize,
    /// `=` symbols at the end so far.
    trailing_padding: usize,
    first_invalid_line: Option<usize>,
    /// (index of the line's first symbol, line number) for each body line.
    line_starts: Vec<(usize, usize)>,
    last_line: usize,
}

impl Body {
    fn new(keep: KeepSymbols) -> Self {
        Body {
            keep,
            symbols: Vec::new(),
            count: 0,
            trailing_padding: 0,
            first_invalid_line: None,
            line_starts: Vec::new(),
            last_line: 0,
        }
    }

    /// Adds a piece of a body line. Returns true when spaces or tabs sit
    /// between two base64 symbols.
    fn push_segment(&mut self, segment: &[u8], line: usize) -> bool {
        if self.line_starts.last().map(|&(_, l)| l) != Some(line) {
            self.line_starts.push((self.count, line));
        }
        self.last_line = line;

        let mut seen_symbol = false;
        let mut in_gap = false;
        let mut space_between_symbols = false;
        for &byte in segment {
            if is_base64_symbol(byte) {
                space_between_symbols |= in_gap && seen_symbol;
                seen_symbol = true;
                in_gap = false;
                self.push_symbol(byte, line);
            } else if byte.is_ascii_whitespace() {
                in_gap = true;
            } else {
                self.first_invalid_line.get_or_insert(line);
            }
        }
        space_between_symbols
    }

    fn push_symbol(&mut self, symbol: u8, line: usize) {
        if symbol == b'=' {
            self.trailing_padding += 1;
        } else if self.trailing_padding > 0 {
            // Data after padding: the padding is misplaced.
            self.first_invalid_line.get_or_insert(line);
        }
        self.count += 1;
        if self.keep == KeepSymbols::Yes {
            self.symbols.push(symbol);
        }
    }

    /// Checks what can be checked without decoding: the alphabet, an empty
    /// body, and a length that cannot be base64.
    fn check_symbols(&self) -> Result<(), DecodeError> {
        if let Some(line) = self.first_invalid_line {
            return Err(DecodeError::InvalidBase64 { line });
        }
        if self.count == 0 {
            return Err(DecodeError::EmptyBody);
        }
        if (self.count - self.trailing_padding) % 4 == 1 {
            return Err(DecodeError::TruncatedBase64 {
                line: self.last_line,
            });
        }
        Ok(())
    }

    fn decode(&self) -> Result<Vec<u8>, DecodeError> {
        self.check_symbols()?;
        LENIENT_BASE64
            .decode(&self.symbols)
            .map_err(|error| match error {
                base64::DecodeError::InvalidByte(index, _)
                | base64::DecodeError::InvalidLastSymbol(index, _) => DecodeError::InvalidBase64 {
                    line: self.line_of_symbol(index),
                },
                base64::DecodeError::InvalidLength(_) => DecodeError::TruncatedBase64 {
                    line: self.last_line,
                },
                base64::DecodeError::InvalidPadding => DecodeError::InvalidBase64 {
                    line: self.last_line,
                },
            })
    }

    fn line_of_symbol(&self, index: usize) -> usize {
        let after = self
            .line_starts
            .partition_point(|&(start, _)| start <= index);
        after
            .checked_sub(1)
            .and_then(|i| self.line_starts.get(i))
            .map_or(self.last_line, |&(_, line)| line)
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        // The symbols may encode a key under a wrong label.
        der::wipe(&mut self.symbols);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_need_hyphenated_name() {
        assert!(is_header_line(b"Proc-Type: 4,ENCRYPTED"));
        assert!(is_header_line(b"  DEK-Info: AES-128-CBC,00"));
        assert!(!is_header_line(b"MIIB:AAAA"));
        assert!(!is_header_line(b"Subject: CN=x"));
    }

    #[test]
    fn outside_lines_classify_comments() {
        assert_eq!(classify_outside_line(b"# root CA"), StrayKind::Comment);
        assert_eq!(
            classify_outside_line(b" # root-CA"),
            StrayKind::CommentWithDash
        );
        assert_eq!(classify_outside_line(b"Subject: x"), StrayKind::Text);
    }

    #[test]
    fn body_reports_padding_in_the_middle() {
        let mut body = Body::new(KeepSymbols::Yes);
        body.push_segment(b"QQ==", 2);
        body.push_segment(b"QQ==", 3);
        assert_eq!(body.decode(), Err(DecodeError::InvalidBase64 { line: 3 }));
    }

    #[test]
    fn body_reports_impossible_length() {
        let mut body = Body::new(KeepSymbols::No);
        body.push_segment(b"QUJDR", 7);
        assert_eq!(
            body.check_symbols(),
            Err(DecodeError::TruncatedBase64 { line: 7 })
        );
    }
}

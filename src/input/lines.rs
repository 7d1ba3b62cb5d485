//! Line splitting for text input. `\n`, `\r\n` and a lone `\r` each end a
//! line; text after the last line break, if any, is the last line.

use super::{Layout, LineEndings};

/// The UTF-8 byte order mark.
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Line {
    /// Offset of the line's first byte.
    pub start: usize,
    /// Offset just past the line's content, before its line break.
    pub end: usize,
    /// Offset of the next line's first byte (past the line break).
    pub next: usize,
    /// 1-based line number.
    pub number: usize,
}

/// Iterator over the lines of a text, from a start offset on line 1.
pub(super) struct Lines<'a> {
    text: &'a [u8],
    position: usize,
    number: usize,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a [u8], start: usize) -> Self {
        Lines {
            text,
            position: start,
            number: 0,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        let start = self.position;
        let rest = self.text.get(start..).filter(|rest| !rest.is_empty())?;
        self.number += 1;

        let (end, next) = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            None => (self.text.len(), self.text.len()),
            Some(i) => {
                let break_len = if rest.get(i..i + 2) == Some(b"\r\n") {
                    2
                } else {
                    1
                };
                (start + i, start + i + break_len)
            }
        };
        self.position = next;
        Some(Line {
            start,
            end,
            next,
            number: self.number,
        })
    }
}

/// Tells which line break styles occur in `text`.
pub(super) fn line_endings(text: &[u8]) -> LineEndings {
    let (mut lf, mut crlf, mut cr) = (false, false, false);
    let mut i = 0;
    while let Some(&byte) = text.get(i) {
        match byte {
            b'\n' => lf = true,
            b'\r' if text.get(i + 1) == Some(&b'\n') => {
                crlf = true;
                i += 1;
            }
            b'\r' => cr = true,
            _ => {}
        }
        i += 1;
    }

    match (lf, crlf, cr) {
        (false, false, false) => LineEndings::None,
        (true, false, false) => LineEndings::Lf,
        (false, true, false) => LineEndings::Crlf,
        (false, false, true) => LineEndings::Cr,
        _ => LineEndings::Mixed,
    }
}

/// Fills the layout fields that depend only on the whole text: size, byte
/// order mark, line endings and non-ASCII bytes.
pub(super) fn text_layout(text: &[u8], total_bytes: usize) -> Layout {
    let bom = text.starts_with(BOM);
    let after_bom = if bom { text.get(BOM.len()..) } else { None }.unwrap_or(text);
    Layout {
        total_bytes,
        bom,
        line_endings: line_endings(text),
        non_ascii: !after_bom.is_ascii(),
        ..Layout::default()
    }
}

/// Returns the offset where the text proper begins: past a byte order mark.
pub(super) fn content_start(text: &[u8]) -> usize {
    if text.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Turns offsets into line numbers. It moves from the last offset asked,
/// so offsets asked in increasing order, or close to each other, cost
/// linear total time.
pub(super) struct LineCounter<'a> {
    text: &'a [u8],
    position: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            position: 0,
            line: 1,
        }
    }

    /// Returns the 1-based line of `offset`.
    pub fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        while self.position < offset {
            if self.ends_line(self.position) {
                self.line += 1;
            }
            self.position += 1;
        }
        while self.position > offset {
            self.position -= 1;
            if self.ends_line(self.position) {
                self.line -= 1;
            }
        }
        self.line
    }

    /// Returns true when the byte at `position` ends a line: a `\n`, or a
    /// `\r` not followed by `\n`.
    fn ends_line(&self, position: usize) -> bool {
        match self.text.get(position) {
            Some(b'\n') => true,
            Some(b'\r') => self.text.get(position + 1) != Some(&b'\n'),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &[u8]) -> Vec<(usize, usize, usize, usize)> {
        Lines::new(text, 0)
            .map(|l| (l.start, l.end, l.next, l.number))
            .collect()
    }

    #[test]
    fn lines_split_on_every_break_style() {
        let lines = spans(b"a\nb\r\nc\rd");
        assert_eq!(lines[0], (0, 1, 2, 1));
        assert_eq!(lines[1], (2, 3, 5, 2));
        assert_eq!(lines[2], (5, 6, 7, 3));
        assert_eq!(lines[3], (7, 8, 8, 4));
        assert_eq!(lines.len(), 4);
    }

    #[test]
    fn lines_final_break_adds_no_line() {
        assert_eq!(spans(b"a\n").len(), 1);
        assert_eq!(spans(b"a\n\n").len(), 2);
        assert!(spans(b"").is_empty());
    }

    #[test]
    fn line_endings_classify_styles() {
        assert_eq!(line_endings(b"abc"), LineEndings::None);
        assert_eq!(line_endings(b"a\nb\n"), LineEndings::Lf);
        assert_eq!(line_endings(b"a\r\nb\r\n"), LineEndings::Crlf);
        assert_eq!(line_endings(b"a\rb\r"), LineEndings::Cr);
        assert_eq!(line_endings(b"a\r\nb\n"), LineEndings::Mixed);
    }

    #[test]
    fn line_counter_counts_crlf_once() {
        let text = b"a\r\nb\rc\nd";
        let mut counter = LineCounter::new(text);
        assert_eq!(counter.line_at(0), 1);
        assert_eq!(counter.line_at(3), 2);
        assert_eq!(counter.line_at(5), 3);
        assert_eq!(counter.line_at(7), 4);
        assert_eq!(counter.line_at(4), 2);
        assert_eq!(counter.line_at(0), 1);
    }
}

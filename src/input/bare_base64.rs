//! Bare base64 of DER, without PEM boundaries: what HAProxy, Caddy,
//! Traefik and Cloudflare forward, or what is left when someone strips the
//! boundaries by hand.
//!
//! The text is split into items at `,` and `:` (RFC 9440 byte sequences
//! `:...:` and comma-joined lists) and after `=` padding followed by more
//! data (base64 strings pasted back to back). Each item is decoded on its
//! own and may hold several DER objects back to back. Both the standard and
//! the URL-safe alphabet are read, and padding is optional.

use base64::Engine as _;

use super::der::{self, split_objects};
use super::lines::{self, LineCounter};
use super::pem::LENIENT_BASE64;
use super::{Block, BlockKind, DecodeError, Decoded, Encoding, LimitExceeded, Origin, MAX_BLOCKS};

/// Symbols decoded to sniff the first DER header: 8 symbols give 6 bytes,
/// enough for a tag and a length of up to four octets.
const SNIFF_SYMBOLS: usize = 8;

/// One base64 item, with where each of its symbols sits in the input.
struct Item {
    /// Symbols in the standard alphabet, `=` kept.
    symbols: Vec<u8>,
    /// (index of the run's first symbol, offset of that symbol in the
    /// input) for each run of symbols with no whitespace between them.
    runs: Vec<(usize, usize)>,
}

impl Item {
    fn new() -> Self {
        Item {
            symbols: Vec::new(),
            runs: Vec::new(),
        }
    }

    /// Offset in the input of the symbol at `index`, or just past the last
    /// symbol for an index at or past the end.
    fn offset_of_symbol(&self, index: usize) -> usize {
        let last = self.symbols.len().saturating_sub(1);
        let clamped = index.min(last);
        let after = self.runs.partition_point(|&(start, _)| start <= clamped);
        let offset = after
            .checked_sub(1)
            .and_then(|i| self.runs.get(i))
            .map_or(0, |&(start, offset)| offset + (clamped - start));
        if index > last {
            offset + 1
        } else {
            offset
        }
    }

    /// Offset in the input of the symbol that contains the first bits of
    /// decoded byte `byte_index`.
    fn offset_of_byte(&self, byte_index: usize) -> usize {
        self.offset_of_symbol(byte_index.saturating_mul(4) / 3)
    }
}

/// Whitespace facts of a base64 text, for the layout.
struct WhitespaceFlags {
    indented: bool,
    whitespace_in_body: bool,
}

/// Decodes `bytes` as bare base64 of DER, or returns `None` when they are
/// not: another character occurs, or the first item does not start like a
/// DER SEQUENCE.
pub(super) fn decode(bytes: &[u8], source: &str) -> Option<Decoded> {
    let start = lines::content_start(bytes);
    let first = bytes
        .get(start..)?
        .iter()
        .find(|b| !b.is_ascii_whitespace())?;
    if *first != b'M' && *first != b':' {
        return None;
    }

    let flags = check_characters(bytes, start)?;
    let mut items = Items {
        bytes,
        position: start,
    };
    let first_item = items.next()?;
    if !starts_like_der(&first_item) {
        return None;
    }

    let mut layout = lines::text_layout(bytes, bytes.len());
    layout.indented = flags.indented;
    layout.whitespace_in_body = flags.whitespace_in_body;

    let mut blocks = Vec::new();
    let mut limit = None;
    let mut line_counter = LineCounter::new(bytes);
    // Items are made one at a time, so a text of many tiny items stops at
    // the block cap without building them all.
    for item in std::iter::once(first_item).chain(items) {
        let builder = BlockBuilder {
            source,
            item: &item,
            line_counter: &mut line_counter,
        };
        if let Some(offset) = builder.decode_item(&mut blocks) {
            limit = Some(LimitExceeded::TooManyBlocks {
                max: MAX_BLOCKS,
                offset,
            });
            break;
        }
    }

    Some(Decoded {
        blocks,
        layout,
        encoding: Encoding::Base64,
        limit,
    })
}

/// Checks that every byte is a base64 symbol, a separator or whitespace,
/// and notes leading whitespace and whitespace between symbols.
fn check_characters(bytes: &[u8], start: usize) -> Option<WhitespaceFlags> {
    let mut flags = WhitespaceFlags {
        indented: false,
        whitespace_in_body: false,
    };
    // State of the current line.
    let mut line_has_symbol = false;
    let mut leading_space = false;
    let mut previous_was_symbol = false;
    let mut space_after_symbol = false;

    for &byte in bytes.get(start..).unwrap_or_default() {
        if byte == b'\n' || byte == b'\r' {
            (line_has_symbol, leading_space) = (false, false);
            (previous_was_symbol, space_after_symbol) = (false, false);
        } else if byte.is_ascii_whitespace() {
            space_after_symbol |= previous_was_symbol;
            leading_space |= !line_has_symbol;
        } else if is_separator(byte) {
            (previous_was_symbol, space_after_symbol) = (false, false);
        } else {
            standard_symbol(byte)?;
            flags.whitespace_in_body |= space_after_symbol;
            flags.indented |= leading_space && !line_has_symbol;
            line_has_symbol = true;
            previous_was_symbol = true;
            space_after_symbol = false;
        }
    }
    Some(flags)
}

fn is_separator(byte: u8) -> bool {
    byte == b',' || byte == b':'
}

/// Iterator over the items of a text that passed [`check_characters`].
struct Items<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Iterator for Items<'_> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        let mut item = Item::new();
        let mut in_run = false;

        while let Some(&byte) = self.bytes.get(self.position) {
            let symbol = standard_symbol(byte);
            let ends_item = is_separator(byte)
                || (item.symbols.last() == Some(&b'=') && symbol.is_some_and(|s| s != b'='));
            if ends_item && !item.symbols.is_empty() {
                // A symbol after padding starts the next item, so it is not consumed.
                if is_separator(byte) {
                    self.position += 1;
                }
                return Some(item);
            }

            self.position += 1;
            let Some(symbol) = symbol else {
                in_run = false;
                continue;
            };
            if !in_run {
                item.runs.push((item.symbols.len(), self.position - 1));
                in_run = true;
            }
            item.symbols.push(symbol);
        }
        (!item.symbols.is_empty()).then_some(item)
    }
}

/// Maps a symbol of either base64 alphabet to the standard one.
fn standard_symbol(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => Some(byte),
        b'-' => Some(b'+'),
        b'_' => Some(b'/'),
        _ => None,
    }
}

/// Returns true when the item starts with a DER SEQUENCE header: a long
/// form length (every certificate, CSR, CRL and RSA key is over 127 bytes),
/// or a short form length of a complete object of at least two bytes. The
/// check keeps words such as "Make" out.
fn starts_like_der(item: &Item) -> bool {
    let prefix = item.symbols.get(..SNIFF_SYMBOLS).unwrap_or(&item.symbols);
    let Ok(head) = LENIENT_BASE64.decode(prefix) else {
        return false;
    };
    match head.as_slice() {
        [0x30, 0x81..=0x84, ..] => true,
        [0x30, 2..=0x7F, ..] => LENIENT_BASE64
            .decode(&item.symbols)
            .is_ok_and(|data| der::read_tlv(&data).is_ok()),
        _ => false,
    }
}

/// Turns one item into blocks.
struct BlockBuilder<'a, 'b, 'c> {
    source: &'c str,
    item: &'c Item,
    line_counter: &'b mut LineCounter<'a>,
}

impl BlockBuilder<'_, '_, '_> {
    /// Decodes the item and appends its blocks. Returns the input offset
    /// where decoding stopped if [`MAX_BLOCKS`] was reached.
    fn decode_item(mut self, blocks: &mut Vec<Block>) -> Option<usize> {
        let item_start = self.item.offset_of_symbol(0);
        let item_end = self.item.offset_of_symbol(self.item.symbols.len());
        if blocks.len() >= MAX_BLOCKS {
            return Some(item_start);
        }

        let mut data = match LENIENT_BASE64.decode(&self.item.symbols) {
            Ok(data) => data,
            Err(error) => {
                let error = self.base64_error(error);
                let block = self.block(
                    blocks.len(),
                    item_start,
                    item_end,
                    BlockKind::Unknown,
                    Err(error),
                );
                blocks.push(block);
                return None;
            }
        };

        let (objects, stopped_at) = split_objects(&data, MAX_BLOCKS - blocks.len());
        let object_count = objects.len();
        for (index, object) in objects.into_iter().enumerate() {
            let start = self.item.offset_of_byte(object.start);
            let is_last = index + 1 == object_count;
            let end = if is_last {
                item_end
            } else {
                self.item.offset_of_byte(object.start + object.len)
            };
            let block = self.block(blocks.len(), start, end, object.kind, object.der);
            blocks.push(block);
        }
        der::wipe(&mut data);
        stopped_at.map(|byte| self.item.offset_of_byte(byte))
    }

    fn base64_error(&mut self, error: base64::DecodeError) -> DecodeError {
        match error {
            base64::DecodeError::InvalidByte(index, _)
            | base64::DecodeError::InvalidLastSymbol(index, _) => DecodeError::InvalidBase64 {
                line: self.line_counter.line_at(self.item.offset_of_symbol(index)),
            },
            base64::DecodeError::InvalidLength(_) | base64::DecodeError::InvalidPadding => {
                let last = self.item.symbols.len().saturating_sub(1);
                DecodeError::TruncatedBase64 {
                    line: self.line_counter.line_at(self.item.offset_of_symbol(last)),
                }
            }
        }
    }

    fn block(
        &mut self,
        index: usize,
        start: usize,
        end: usize,
        kind: BlockKind,
        der: Result<Vec<u8>, DecodeError>,
    ) -> Block {
        Block {
            kind,
            label: None,
            encoding: Encoding::Base64,
            origin: Origin {
                source: self.source.to_owned(),
                block: index,
                offset: start,
                line: self.line_counter.line_at(start),
            },
            der,
            byte_len: end.saturating_sub(start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &[u8]) -> Vec<Item> {
        Items {
            bytes: text,
            position: 0,
        }
        .collect()
    }

    #[test]
    fn items_split_rfc9440_list() {
        let items = items(b":MIIB:, :MIIC:");
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].offset_of_symbol(0), 9);
    }

    #[test]
    fn items_split_after_padding() {
        let items = items(b"QQ==QUI=");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].symbols, b"QQ==");
        assert_eq!(items[1].offset_of_symbol(0), 4);
    }

    #[test]
    fn items_map_symbols_across_line_breaks() {
        let items = items(b"MIIB\n  CDEF");
        assert_eq!(items[0].offset_of_symbol(3), 3);
        assert_eq!(items[0].offset_of_symbol(4), 7);
        assert_eq!(items[0].offset_of_symbol(8), 11);
    }

    #[test]
    fn items_translate_url_safe_alphabet() {
        assert_eq!(items(b"ab-_")[0].symbols, b"ab+/");
    }

    #[test]
    fn leading_whitespace_is_indentation() {
        let flags = check_characters(b"MIIB\n  CDEF", 0).expect("all symbols");
        assert!(flags.indented);
        assert!(!flags.whitespace_in_body);
    }

    #[test]
    fn space_between_symbols_is_flagged() {
        let flags = check_characters(b"MIIB CDEF", 0).expect("all symbols");
        assert!(flags.whitespace_in_body);
        assert!(!flags.indented);
    }

    #[test]
    fn space_after_separator_is_not_flagged() {
        let flags = check_characters(b"MIIB, MIIC", 0).expect("all symbols");
        assert!(!flags.whitespace_in_body);
    }

    #[test]
    fn other_characters_are_not_base64_text() {
        assert!(check_characters(b"MIIB!", 0).is_none());
    }

    #[test]
    fn words_are_not_der() {
        assert!(decode(b"Make it work", "t").is_none());
        assert!(decode(b"MAIN", "t").is_none());
    }
}

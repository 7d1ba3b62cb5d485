//! A small bounds-checked DER reader: tag-length-value headers, splitting of
//! objects stored back to back, and a shallow look at an object's structure
//! to tell certificates, CSRs, CRLs and private keys apart. It reads at most
//! three levels deep and never recurses, so the nesting it walks is fixed.

use super::{Block, BlockKind, DecodeError, Decoded, Encoding, LimitExceeded, Origin, MAX_BLOCKS};

const TAG_INTEGER: u8 = 0x02;
const TAG_BIT_STRING: u8 = 0x03;
const TAG_OCTET_STRING: u8 = 0x04;
const TAG_OID: u8 = 0x06;
const TAG_UTC_TIME: u8 = 0x17;
const TAG_GENERALIZED_TIME: u8 = 0x18;
const TAG_SEQUENCE: u8 = 0x30;
const TAG_CONTEXT_0: u8 = 0xA0;

/// Maximum number of length octets read: four describe any object below
/// 4 GiB, far beyond the input cap.
const MAX_LENGTH_OCTETS: usize = 4;

/// One DER element: tag, content, and its total length with the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tlv<'a> {
    pub tag: u8,
    pub content: &'a [u8],
    pub total_len: usize,
}

/// Reads the element at the start of `input`, returning it and the bytes
/// after it.
pub(super) fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), DecodeError> {
    let (&tag, rest) = input.split_first().ok_or(DecodeError::NotDer)?;
    // The high tag number form never occurs in the structures read here.
    if tag & 0x1F == 0x1F {
        return Err(DecodeError::NotDer);
    }

    let (&first_length_octet, rest) = rest.split_first().ok_or(DecodeError::NotDer)?;
    let (length, rest) = if first_length_octet < 0x80 {
        (usize::from(first_length_octet), rest)
    } else {
        // 0x80 is BER's indefinite length, which DER forbids.
        let count = usize::from(first_length_octet & 0x7F);
        if count == 0 || count > MAX_LENGTH_OCTETS {
            return Err(DecodeError::NotDer);
        }
        let octets = rest.get(..count).ok_or(DecodeError::NotDer)?;
        let length = octets
            .iter()
            .fold(0u64, |acc, &octet| (acc << 8) | u64::from(octet));
        let length = usize::try_from(length).map_err(|_| DecodeError::NotDer)?;
        (length, rest.get(count..).unwrap_or_default())
    };

    let header_len = input.len() - rest.len();
    match (rest.get(..length), rest.get(length..)) {
        (Some(content), Some(after)) => Ok((
            Tlv {
                tag,
                content,
                total_len: header_len + length,
            },
            after,
        )),
        _ => Err(DecodeError::TruncatedDer {
            declared: header_len.saturating_add(length),
            available: input.len(),
        }),
    }
}

/// Iterator over the elements inside a constructed element's content. It
/// stops at the first malformed element and remembers that it did.
struct Children<'a> {
    rest: &'a [u8],
    malformed: bool,
}

impl<'a> Children<'a> {
    fn of(parent: Tlv<'a>) -> Self {
        Children {
            rest: parent.content,
            malformed: false,
        }
    }

    /// Returns true when every element was read and nothing is left.
    fn is_exhausted(&mut self) -> bool {
        self.next().is_none() && !self.malformed
    }
}

impl<'a> Iterator for Children<'a> {
    type Item = Tlv<'a>;

    fn next(&mut self) -> Option<Tlv<'a>> {
        if self.rest.is_empty() || self.malformed {
            return None;
        }
        match read_tlv(self.rest) {
            Ok((tlv, rest)) => {
                self.rest = rest;
                Some(tlv)
            }
            Err(_) => {
                self.malformed = true;
                None
            }
        }
    }
}

/// Tells what a DER object is from its shape. Ties go to
/// [`BlockKind::PrivateKey`] over [`BlockKind::Unknown`], so that key bytes
/// are dropped whenever they might be key bytes.
pub(super) fn classify(object: Tlv<'_>) -> BlockKind {
    if object.tag != TAG_SEQUENCE {
        return BlockKind::Unknown;
    }

    if let Some(body) = signed_body(object) {
        if is_certificate_body(body) {
            return BlockKind::Certificate;
        }
        if is_csr_body(body) {
            return BlockKind::CertificateRequest;
        }
        if is_crl_body(body) {
            return BlockKind::Crl;
        }
        return BlockKind::Unknown;
    }

    if is_private_key(object) {
        BlockKind::PrivateKey
    } else {
        BlockKind::Unknown
    }
}

/// Returns the signed part of `SEQUENCE { body SEQUENCE, algorithm
/// SEQUENCE, signature BIT STRING }`, the outer shape shared by
/// certificates, CSRs and CRLs (RFC 5280 section 4.1, RFC 2986 section 4).
fn signed_body(object: Tlv<'_>) -> Option<Tlv<'_>> {
    let mut children = Children::of(object);
    let body = children.next().filter(|t| t.tag == TAG_SEQUENCE)?;
    children.next().filter(|t| t.tag == TAG_SEQUENCE)?;
    children.next().filter(|t| t.tag == TAG_BIT_STRING)?;
    children.is_exhausted().then_some(body)
}

/// TBSCertificate (RFC 5280 section 4.1): `[0] version` (absent in v1),
/// serial INTEGER, signature SEQUENCE, issuer SEQUENCE, validity SEQUENCE.
fn is_certificate_body(body: Tlv<'_>) -> bool {
    let mut children = Children::of(body);
    let mut next = children.next();
    if next.is_some_and(|t| t.tag == TAG_CONTEXT_0) {
        next = children.next();
    }
    next.is_some_and(|t| t.tag == TAG_INTEGER)
        && has_tags(&mut children, &[TAG_SEQUENCE, TAG_SEQUENCE, TAG_SEQUENCE])
}

/// CertificationRequestInfo (RFC 2986 section 4.1): version INTEGER 0,
/// subject SEQUENCE, subjectPKInfo SEQUENCE, then `[0]` attributes, which
/// some encoders leave out when empty.
fn is_csr_body(body: Tlv<'_>) -> bool {
    let mut children = Children::of(body);
    let version_is_zero = children
        .next()
        .is_some_and(|t| t.tag == TAG_INTEGER && t.content == [0]);
    version_is_zero
        && has_tags(&mut children, &[TAG_SEQUENCE, TAG_SEQUENCE])
        && children.next().is_none_or(|t| t.tag == TAG_CONTEXT_0)
}

/// TBSCertList (RFC 5280 section 5.1): optional version INTEGER, signature
/// SEQUENCE, issuer SEQUENCE, thisUpdate time.
fn is_crl_body(body: Tlv<'_>) -> bool {
    let mut children = Children::of(body);
    let mut next = children.next();
    if next.is_some_and(|t| t.tag == TAG_INTEGER) {
        next = children.next();
    }
    next.is_some_and(|t| t.tag == TAG_SEQUENCE)
        && has_tags(&mut children, &[TAG_SEQUENCE])
        && children
            .next()
            .is_some_and(|t| t.tag == TAG_UTC_TIME || t.tag == TAG_GENERALIZED_TIME)
}

/// Returns true when the next elements have exactly these tags.
fn has_tags(children: &mut Children<'_>, tags: &[u8]) -> bool {
    tags.iter()
        .all(|&tag| children.next().is_some_and(|t| t.tag == tag))
}

/// Returns true for the private key containers people paste by mistake. Any
/// other SEQUENCE that starts with INTEGER 0 or 1 counts too, because that is
/// the version field of every key format below.
fn is_private_key(object: Tlv<'_>) -> bool {
    has_private_key_shape(object) || first_integer(object).is_some_and(|v| v == 0 || v == 1)
}

/// Returns true when the object has the exact shape of a key container.
fn has_private_key_shape(object: Tlv<'_>) -> bool {
    is_pkcs8(object)
        || is_encrypted_pkcs8(object)
        || is_rsa_or_dsa_private_key(object)
        || is_ec_private_key(object)
        || is_pkcs12(object)
}

/// PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958): version 0 or 1,
/// algorithm SEQUENCE, privateKey OCTET STRING.
fn is_pkcs8(object: Tlv<'_>) -> bool {
    let mut children = Children::of(object);
    children
        .next()
        .is_some_and(|t| t.tag == TAG_INTEGER && (t.content == [0] || t.content == [1]))
        && has_tags(&mut children, &[TAG_SEQUENCE, TAG_OCTET_STRING])
}

/// EncryptedPrivateKeyInfo (RFC 5208 section 6): algorithm SEQUENCE
/// starting with an OID, then encryptedData OCTET STRING, nothing else.
fn is_encrypted_pkcs8(object: Tlv<'_>) -> bool {
    let mut children = Children::of(object);
    let algorithm_starts_with_oid = children.next().is_some_and(|t| {
        t.tag == TAG_SEQUENCE && Children::of(t).next().is_some_and(|c| c.tag == TAG_OID)
    });
    algorithm_starts_with_oid
        && has_tags(&mut children, &[TAG_OCTET_STRING])
        && children.is_exhausted()
}

/// RSAPrivateKey (RFC 8017 appendix A.1.2) is version then eight INTEGERs;
/// OpenSSL's DSA private key is version then five. Both start with at least
/// six INTEGERs, the first one 0 or 1.
fn is_rsa_or_dsa_private_key(object: Tlv<'_>) -> bool {
    const MIN_INTEGERS: usize = 6;
    let mut children = Children::of(object);
    let version_ok = children
        .next()
        .is_some_and(|t| t.tag == TAG_INTEGER && (t.content == [0] || t.content == [1]));
    version_ok
        && children
            .take(MIN_INTEGERS - 1)
            .filter(|t| t.tag == TAG_INTEGER)
            .count()
            == MIN_INTEGERS - 1
}

/// ECPrivateKey (RFC 5915 section 3): version INTEGER 1, privateKey OCTET
/// STRING, optional parameters and public key.
fn is_ec_private_key(object: Tlv<'_>) -> bool {
    let mut children = Children::of(object);
    children
        .next()
        .is_some_and(|t| t.tag == TAG_INTEGER && t.content == [1])
        && has_tags(&mut children, &[TAG_OCTET_STRING])
}

/// PFX (RFC 7292 section 4): version INTEGER 3, then a ContentInfo SEQUENCE
/// starting with an OID. A PKCS#12 archive nearly always contains a private
/// key, so it is treated as one.
fn is_pkcs12(object: Tlv<'_>) -> bool {
    let mut children = Children::of(object);
    children
        .next()
        .is_some_and(|t| t.tag == TAG_INTEGER && t.content == [3])
        && children.next().is_some_and(|t| {
            t.tag == TAG_SEQUENCE && Children::of(t).next().is_some_and(|c| c.tag == TAG_OID)
        })
}

/// Returns the value of the object's first element when it is an INTEGER
/// of one content byte.
fn first_integer(object: Tlv<'_>) -> Option<u8> {
    let first = Children::of(object).next()?;
    match (first.tag, first.content) {
        (TAG_INTEGER, [value]) => Some(*value),
        _ => None,
    }
}

/// Handling of bytes after the first DER object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TrailingBytes {
    /// They are an error, because one PEM block contains one object.
    Reject,
    /// They are expected and dropped (the aux data of OpenSSL's TRUSTED
    /// CERTIFICATE form).
    Drop,
}

/// Checks that `bytes` hold one DER object, and settles the block's kind:
/// the label's kind if there is one, else the DER shape, and a private key
/// whenever the shape looks like one. Key bytes are wiped and dropped here,
/// whatever else is wrong with them.
pub(super) fn finish_object(
    mut bytes: Vec<u8>,
    label_kind: Option<BlockKind>,
    trailing: TrailingBytes,
) -> (BlockKind, Result<Vec<u8>, DecodeError>) {
    let (kind, checked) = match read_tlv(&bytes) {
        Err(error) => (label_kind.unwrap_or(BlockKind::Unknown), Err(error)),
        Ok((object, rest)) => {
            let checked = if rest.is_empty() || trailing == TrailingBytes::Drop {
                Ok(object.total_len)
            } else {
                Err(DecodeError::TrailingData { extra: rest.len() })
            };
            (settle_kind(object, label_kind), checked)
        }
    };

    if kind == BlockKind::PrivateKey {
        wipe(&mut bytes);
        return (kind, checked.map(|_| Vec::new()));
    }
    let der = checked.map(|object_len| {
        bytes.truncate(object_len);
        bytes
    });
    (kind, der)
}

/// Settles a block's kind from its label's kind and its shape. A label is
/// overruled only by a definite private key shape: the version-only guess of
/// [`classify`] would misread labelled objects such as explicit
/// "EC PARAMETERS", which also start with INTEGER 1.
fn settle_kind(object: Tlv<'_>, label_kind: Option<BlockKind>) -> BlockKind {
    match label_kind {
        None => classify(object),
        Some(BlockKind::PrivateKey) => BlockKind::PrivateKey,
        Some(_) if object.tag == TAG_SEQUENCE && has_private_key_shape(object) => {
            BlockKind::PrivateKey
        }
        Some(kind) => kind,
    }
}

/// Overwrites a buffer that may contain key material before it is freed.
///
/// NOTE: best effort only. Earlier copies made while the buffer grew, and
/// the caller's own input, are not wiped.
pub(super) fn wipe(bytes: &mut Vec<u8>) {
    bytes.fill(0);
    std::hint::black_box(&bytes);
    bytes.clear();
}

/// One object found by [`split_objects`], at a position in its data.
pub(super) struct SplitObject {
    pub start: usize,
    pub len: usize,
    pub kind: BlockKind,
    pub der: Result<Vec<u8>, DecodeError>,
}

/// Splits DER objects stored back to back. Bytes after the last complete
/// object become one object with an error. Stops after `max_objects`,
/// returning the offset of the first object not read.
pub(super) fn split_objects(data: &[u8], max_objects: usize) -> (Vec<SplitObject>, Option<usize>) {
    let mut objects = Vec::new();
    let mut start = 0;

    while let Some(rest) = data.get(start..).filter(|rest| !rest.is_empty()) {
        if objects.len() >= max_objects {
            return (objects, Some(start));
        }

        let split = match read_tlv(rest) {
            Ok((object, _)) => {
                let raw = rest.get(..object.total_len).unwrap_or_default();
                let (kind, der) = if object.tag == TAG_SEQUENCE {
                    copy_object(object, raw)
                } else {
                    (BlockKind::Unknown, Err(DecodeError::NotDer))
                };
                let len = if der.is_ok() {
                    object.total_len
                } else {
                    rest.len()
                };
                SplitObject {
                    start,
                    len,
                    kind,
                    der,
                }
            }
            Err(error) => SplitObject {
                start,
                len: rest.len(),
                kind: BlockKind::Unknown,
                der: Err(error),
            },
        };
        start += split.len;
        objects.push(split);
    }
    (objects, None)
}

/// Copies one object (`raw`, header included) out of the input, unless it
/// is a private key: then nothing is copied at all.
fn copy_object(object: Tlv<'_>, raw: &[u8]) -> (BlockKind, Result<Vec<u8>, DecodeError>) {
    match classify(object) {
        BlockKind::PrivateKey => (BlockKind::PrivateKey, Ok(Vec::new())),
        kind => (kind, Ok(raw.to_vec())),
    }
}

/// Decodes binary DER input: each object stored back to back is a block.
pub(super) fn decode_binary(bytes: &[u8], source: &str) -> Decoded {
    let (objects, stopped_at) = split_objects(bytes, MAX_BLOCKS);
    let blocks = objects
        .into_iter()
        .enumerate()
        .map(|(index, object)| Block {
            kind: object.kind,
            label: None,
            encoding: Encoding::Der,
            origin: Origin {
                source: source.to_owned(),
                block: index,
                offset: object.start,
                line: 0,
            },
            der: object.der,
            byte_len: object.len,
        })
        .collect();

    Decoded {
        blocks,
        layout: super::Layout {
            total_bytes: bytes.len(),
            ..super::Layout::default()
        },
        encoding: Encoding::Der,
        limit: stopped_at.map(|offset| LimitExceeded::TooManyBlocks {
            max: MAX_BLOCKS,
            offset,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes one element with a short or two-octet length.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match u8::try_from(content.len()) {
            Ok(len) if len < 0x80 => out.push(len),
            _ => {
                let len = u16::try_from(content.len()).expect("short test data");
                out.push(0x82);
                out.extend_from_slice(&len.to_be_bytes());
            }
        }
        out.extend_from_slice(content);
        out
    }

    fn seq(children: &[Vec<u8>]) -> Vec<u8> {
        tlv(TAG_SEQUENCE, &children.concat())
    }

    fn int(value: u8) -> Vec<u8> {
        tlv(TAG_INTEGER, &[value])
    }

    fn algorithm() -> Vec<u8> {
        seq(&[tlv(TAG_OID, &[0x2A, 0x03])])
    }

    fn kind_of(bytes: &[u8]) -> BlockKind {
        let (object, rest) = read_tlv(bytes).expect("valid test DER");
        assert!(rest.is_empty());
        classify(object)
    }

    fn signed(body: Vec<u8>) -> Vec<u8> {
        seq(&[body, algorithm(), tlv(TAG_BIT_STRING, &[0])])
    }

    #[test]
    fn fixtures_classify_by_shape() {
        let cases: [(&[u8], BlockKind); 8] = [
            (include_bytes!("testdata/leaf.der"), BlockKind::Certificate),
            (
                include_bytes!("testdata/csr.der"),
                BlockKind::CertificateRequest,
            ),
            (include_bytes!("testdata/crl.der"), BlockKind::Crl),
            (
                include_bytes!("testdata/key-pkcs8.der"),
                BlockKind::PrivateKey,
            ),
            (
                include_bytes!("testdata/key-rsa.der"),
                BlockKind::PrivateKey,
            ),
            (include_bytes!("testdata/key-ec.der"), BlockKind::PrivateKey),
            (
                include_bytes!("testdata/key-encrypted.der"),
                BlockKind::PrivateKey,
            ),
            (include_bytes!("testdata/leaf.p12"), BlockKind::PrivateKey),
        ];
        for (bytes, kind) in cases {
            assert_eq!(kind_of(bytes), kind);
        }
    }

    #[test]
    fn v1_certificate_without_version_is_certificate() {
        let body = seq(&[int(5), algorithm(), seq(&[]), seq(&[]), seq(&[]), seq(&[])]);
        assert_eq!(kind_of(&signed(body)), BlockKind::Certificate);
    }

    #[test]
    fn v1_crl_without_version_is_crl() {
        let body = seq(&[algorithm(), seq(&[]), tlv(TAG_UTC_TIME, b"260101000000Z")]);
        assert_eq!(kind_of(&signed(body)), BlockKind::Crl);
    }

    #[test]
    fn csr_without_attributes_is_csr() {
        let body = seq(&[int(0), seq(&[]), seq(&[])]);
        assert_eq!(kind_of(&signed(body)), BlockKind::CertificateRequest);
    }

    #[test]
    fn signed_object_of_other_shape_is_unknown() {
        let body = seq(&[tlv(TAG_OCTET_STRING, &[1])]);
        assert_eq!(kind_of(&signed(body)), BlockKind::Unknown);
    }

    #[test]
    fn public_keys_are_not_private_keys() {
        let spki = seq(&[algorithm(), tlv(TAG_BIT_STRING, &[0, 4, 1])]);
        assert_eq!(kind_of(&spki), BlockKind::Unknown);
        let rsa_public = seq(&[tlv(TAG_INTEGER, &[0x00, 0xC1, 0x07]), int(3)]);
        assert_eq!(kind_of(&rsa_public), BlockKind::Unknown);
    }

    #[test]
    fn private_key_shapes_are_keys() {
        let pkcs8 = seq(&[int(0), algorithm(), tlv(TAG_OCTET_STRING, &[1, 2])]);
        assert_eq!(kind_of(&pkcs8), BlockKind::PrivateKey);
        let encrypted = seq(&[algorithm(), tlv(TAG_OCTET_STRING, &[1, 2])]);
        assert_eq!(kind_of(&encrypted), BlockKind::PrivateKey);
        let dsa = seq(&[int(0), int(7), int(7), int(7), int(7), int(7)]);
        assert_eq!(kind_of(&dsa), BlockKind::PrivateKey);
        let ec = seq(&[int(1), tlv(TAG_OCTET_STRING, &[9])]);
        assert_eq!(kind_of(&ec), BlockKind::PrivateKey);
    }

    #[test]
    fn doubtful_version_zero_sequence_is_a_key() {
        let doubtful = seq(&[int(0), tlv(0x0C, b"x")]);
        assert_eq!(kind_of(&doubtful), BlockKind::PrivateKey);
    }

    #[test]
    fn read_tlv_rejects_bad_headers() {
        assert_eq!(read_tlv(&[]), Err(DecodeError::NotDer));
        assert_eq!(read_tlv(&[0x30]), Err(DecodeError::NotDer));
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0x00, 0x00]),
            Err(DecodeError::NotDer)
        );
        assert_eq!(read_tlv(&[0x1F, 0x01, 0x00]), Err(DecodeError::NotDer));
        assert_eq!(
            read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]),
            Err(DecodeError::NotDer)
        );
        assert_eq!(
            read_tlv(&[0x30, 0x82, 0x01, 0x00, 0x05]),
            Err(DecodeError::TruncatedDer {
                declared: 260,
                available: 5
            })
        );
    }

    #[test]
    fn finish_object_drops_key_bytes_under_any_label() {
        let key = include_bytes!("testdata/key-ec.der").to_vec();
        let (kind, der) = finish_object(key, Some(BlockKind::Certificate), TrailingBytes::Reject);
        assert_eq!(kind, BlockKind::PrivateKey);
        assert_eq!(der, Ok(Vec::new()));
    }

    #[test]
    fn finish_object_keeps_labelled_explicit_ec_parameters() {
        let explicit = seq(&[
            int(1),
            seq(&[tlv(TAG_OID, &[0x2A])]),
            seq(&[]),
            tlv(TAG_OCTET_STRING, &[4]),
        ]);
        let label = BlockKind::Other("EC PARAMETERS".to_owned());
        let (kind, der) =
            finish_object(explicit.clone(), Some(label.clone()), TrailingBytes::Reject);
        assert_eq!(kind, label);
        assert_eq!(der, Ok(explicit));
    }

    #[test]
    fn finish_object_keeps_kind_of_key_with_trailing_data() {
        let mut key = include_bytes!("testdata/key-ec.der").to_vec();
        key.push(0);
        let (kind, der) = finish_object(key, None, TrailingBytes::Reject);
        assert_eq!(kind, BlockKind::PrivateKey);
        assert_eq!(der, Err(DecodeError::TrailingData { extra: 1 }));
    }
}

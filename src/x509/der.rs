//! A minimal, bounds-checked DER reader for the few places that need raw
//! bytes x509-parser does not keep: the signed parts of a certificate, CSR or
//! CRL (TBS, AlgorithmIdentifier, signature) and the PKCS#10 layout.

/// One tag-length-value element.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// The whole element, header included.
    pub full: &'a [u8],
    pub content: &'a [u8],
}

/// Reads one DER element (single-byte tags, definite lengths up to 4 length
/// octets) and returns it with the bytes after it, or `None` when truncated.
pub fn read_tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *input.first()?;
    let first_len = *input.get(1)?;
    let (len, header) = if first_len < 0x80 {
        (first_len as usize, 2)
    } else {
        let count = (first_len & 0x7f) as usize;
        if count == 0 || count > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..count {
            len = (len << 8) | *input.get(2 + i)? as usize;
        }
        (len, 2 + count)
    };
    let end = header.checked_add(len)?;
    if end > input.len() {
        return None;
    }
    let tlv = Tlv {
        tag,
        full: &input[..end],
        content: &input[header..end],
    };
    Some((tlv, &input[end..]))
}

/// The three parts of a signed X.509 structure.
#[derive(Debug, Clone, Copy)]
pub struct SignedParts<'a> {
    /// The signed body (TBSCertificate, CertificationRequestInfo or TBSCertList), header included.
    pub tbs: &'a [u8],
    /// The signature AlgorithmIdentifier, header included.
    pub algorithm: &'a [u8],
    /// The signature bits without the unused-bits octet.
    pub signature: &'a [u8],
}

const SEQUENCE: u8 = 0x30;
const BIT_STRING: u8 = 0x03;

/// Splits `SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }` into its parts.
pub fn split_signed(der: &[u8]) -> Option<SignedParts<'_>> {
    let (outer, _) = read_tlv(der)?;
    if outer.tag != SEQUENCE {
        return None;
    }
    let (tbs, rest) = read_tlv(outer.content)?;
    let (algorithm, rest) = read_tlv(rest)?;
    let (bits, _) = read_tlv(rest)?;
    if tbs.tag != SEQUENCE || algorithm.tag != SEQUENCE || bits.tag != BIT_STRING {
        return None;
    }
    let (&unused, signature) = bits.content.split_first()?;
    if unused != 0 {
        return None;
    }
    Some(SignedParts {
        tbs: tbs.full,
        algorithm: algorithm.full,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_tlv_long_form_length() {
        let mut der = vec![0x04, 0x81, 0x80];
        der.extend(std::iter::repeat_n(7u8, 0x80));
        let (tlv, rest) = read_tlv(&der).unwrap();
        assert_eq!(tlv.content.len(), 0x80);
        assert!(rest.is_empty());
    }

    #[test]
    fn read_tlv_rejects_truncated_input() {
        assert!(read_tlv(&[0x30, 0x05, 0x01]).is_none());
        assert!(read_tlv(&[0x30]).is_none());
        assert!(read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }

    #[test]
    fn split_signed_rejects_non_sequence() {
        assert!(split_signed(&[0x04, 0x00]).is_none());
    }
}

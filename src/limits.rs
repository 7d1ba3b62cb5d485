//! Limits on what one call reads and how much work it does, so that no input
//! can make the library run out of memory, recurse without end or search for
//! ever. Each limit is a named constant with the reason for its value beside
//! it. Exceeding one becomes an `input.limit-exceeded` finding that names the
//! limit and the value found; the call still returns a report.
//!
//! rustls-webpki bounds its own path building (signature checks and build
//! calls); its refusal is reported as `chain.budget-exceeded`. The limits
//! here bound the code of this crate: the decoder, the certificate loader, the
//! explainer and the truststore lint.

use std::fmt;

/// Largest input decoded, in bytes: above ALB's 50 MB revocation list quota,
/// the largest file any supported gateway accepts, and small enough for a
/// browser tab.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Maximum number of blocks decoded from one input: ten times API Gateway's quota of 1,000
/// certificates per truststore, so a real bundle is never cut.
pub const MAX_BLOCKS: usize = 10_000;

/// Maximum size of a certificate parsed, in DER bytes. By our estimate real
/// certificates stay below 16 KiB, even with an RSA 16384 key and a long SAN
/// list. Four times that leaves room, and a block of megabytes is rejected
/// before parsing.
pub const MAX_CERTIFICATE_BYTES: usize = 64 * 1024;

/// Maximum nesting of constructed DER elements in a certificate. A
/// certificate nests about eight levels (certificate, TBS, extensions,
/// extension, name forms). The bound is checked before x509-parser reads the
/// bytes, so deep nesting never reaches a recursive parser.
pub const MAX_DER_DEPTH: usize = 32;

/// Maximum number of extensions in one certificate. CA and client
/// certificates carry about ten, so a hundred leaves wide room.
pub const MAX_EXTENSIONS: usize = 100;

/// Maximum number of name-constraint subtrees (permitted and excluded
/// together) in one certificate. Every name on a path is compared with every
/// subtree, so the count is bounded.
// NOTE: 1,024 is an estimate of room above real constrained CAs, not a
// measured maximum.
pub const MAX_NAME_CONSTRAINT_SUBTREES: usize = 1_024;

/// Maximum number of certificates with the issuer's name tried as the issuer
/// of one certificate, in the explainer and in the truststore lint. Real
/// bundles contain a few CAs with one name at most (renewed roots, cross-signs).
pub const MAX_CANDIDATE_ISSUERS: usize = 64;

/// Maximum number of signature checks that the truststore lint's issuer
/// search, or the explainer, makes in one call: ten times API Gateway's quota of 1,000
/// certificates, so a real truststore (about one check per certificate)
/// never reaches it. With the other limits this bounds the total work of a
/// call: decoding is linear in [`MAX_INPUT_BYTES`], the explainer takes at
/// most [`MAX_CANDIDATE_ISSUERS`] candidates per step over a bounded number
/// of steps, and rustls-webpki has its own budget.
pub const MAX_SIGNATURE_CHECKS: usize = 10_000;

/// One of the limits above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    InputBytes,
    Blocks,
    CertificateBytes,
    DerDepth,
    Extensions,
    NameConstraintSubtrees,
    CandidateIssuers,
    SignatureChecks,
}

impl Limit {
    /// Returns the limit's value.
    pub fn max(self) -> usize {
        match self {
            Limit::InputBytes => MAX_INPUT_BYTES,
            Limit::Blocks => MAX_BLOCKS,
            Limit::CertificateBytes => MAX_CERTIFICATE_BYTES,
            Limit::DerDepth => MAX_DER_DEPTH,
            Limit::Extensions => MAX_EXTENSIONS,
            Limit::NameConstraintSubtrees => MAX_NAME_CONSTRAINT_SUBTREES,
            Limit::CandidateIssuers => MAX_CANDIDATE_ISSUERS,
            Limit::SignatureChecks => MAX_SIGNATURE_CHECKS,
        }
    }

    /// Returns what the limit counts, for messages.
    pub fn counts(self) -> &'static str {
        match self {
            Limit::InputBytes => "bytes in one input",
            Limit::Blocks => "blocks in one input",
            Limit::CertificateBytes => "bytes in one certificate",
            Limit::DerDepth => "levels of DER nesting",
            Limit::Extensions => "extensions in one certificate",
            Limit::NameConstraintSubtrees => "name-constraint subtrees in one certificate",
            Limit::CandidateIssuers => "candidate issuers for one certificate",
            Limit::SignatureChecks => "signature checks in one call",
        }
    }

    /// Checks `value` against the limit: at the limit passes, above it fails.
    pub fn check(self, value: usize) -> Result<(), Exceeded> {
        self.check_against(value, self.max())
    }

    /// Checks `value` against `max` in place of the limit's value, for
    /// callers (and tests) that run with a smaller bound.
    fn check_against(self, value: usize, max: usize) -> Result<(), Exceeded> {
        if value > max {
            Err(Exceeded {
                limit: self,
                value,
                max,
            })
        } else {
            Ok(())
        }
    }
}

/// A limit and the value that went over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    pub limit: Limit,
    /// The value found. Depths and counts that stop early give the first
    /// value over the limit.
    pub value: usize,
    /// The bound that applied.
    pub max: usize,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} where at most {} are read",
            self.value,
            self.limit.counts(),
            self.max
        )
    }
}

/// Returns the deepest nesting of constructed elements in `der`, stopping
/// as soon as it passes `max`. The walk uses no recursion. Bytes that are
/// not well-formed DER end the walk, and the parser reports them.
pub fn der_depth(der: &[u8], max: usize) -> usize {
    // Each entry is the end offset of an open constructed element.
    let mut open: Vec<usize> = Vec::new();
    let mut deepest = 0;
    let mut pos = 0;
    while pos < der.len() {
        while open.last().is_some_and(|&end| pos >= end) {
            open.pop();
        }
        let Some((tag, header, len)) = read_header(der.get(pos..).unwrap_or_default()) else {
            break;
        };
        let Some(end) = pos.checked_add(header).and_then(|p| p.checked_add(len)) else {
            break;
        };
        if end > der.len() {
            break;
        }
        if tag & 0x20 != 0 {
            open.push(end);
            deepest = deepest.max(open.len());
            if deepest > max {
                return deepest;
            }
            pos += header;
        } else {
            pos = end;
        }
    }
    deepest
}

/// Reads a DER header: tag byte, header length and content length. Multi-byte
/// tags and indefinite lengths end the walk.
fn read_header(bytes: &[u8]) -> Option<(u8, usize, usize)> {
    let tag = *bytes.first()?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some((tag, 2, first as usize));
    }
    let count = (first & 0x7f) as usize;
    if count == 0 || count > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..count {
        len = (len << 8) | *bytes.get(2 + i)? as usize;
    }
    Some((tag, 2 + count, len))
}

/// Checks the limits that apply to a certificate's DER before it is parsed.
pub fn check_certificate_der(der: &[u8]) -> Result<(), Exceeded> {
    Limit::CertificateBytes.check(der.len())?;
    Limit::DerDepth.check(der_depth(der, MAX_DER_DEPTH))
}

/// Checks the limits that apply to a parsed certificate: extensions and
/// name-constraint subtrees.
pub fn check_certificate(cert: &crate::x509::Certificate) -> Result<(), Exceeded> {
    Limit::Extensions.check(cert.extensions.len())?;
    let subtrees = cert
        .name_constraints
        .as_ref()
        .map_or(0, |nc| nc.permitted.len() + nc.excluded.len());
    Limit::NameConstraintSubtrees.check(subtrees)
}

/// Builds the `input.limit-exceeded` finding for a limit exceeded at `what`
/// (a position or a certificate label).
pub fn finding(exceeded: Exceeded, what: &str, item: Option<usize>) -> crate::report::Finding {
    crate::rules::finding(
        "input.limit-exceeded",
        crate::report::Severity::Error,
        format!("{what}: {exceeded}; it was not checked further"),
        None,
        item,
        "Check the input: no real certificate or bundle comes near this limit.",
    )
}

/// Counts signature checks against [`MAX_SIGNATURE_CHECKS`] across one call.
#[derive(Debug)]
pub struct Budget {
    max: usize,
    used: usize,
    exceeded: Option<Exceeded>,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::with_max(MAX_SIGNATURE_CHECKS)
    }
}

impl Budget {
    pub fn new() -> Budget {
        Budget::default()
    }

    /// A budget of `max` checks; the crate uses [`MAX_SIGNATURE_CHECKS`],
    /// tests use less to reach the edge quickly.
    pub fn with_max(max: usize) -> Budget {
        Budget {
            max,
            used: 0,
            exceeded: None,
        }
    }

    /// Takes one signature check from the budget; `false` once it is spent,
    /// and the overrun is remembered for [`Budget::exceeded`].
    pub fn take(&mut self) -> bool {
        self.used += 1;
        match Limit::SignatureChecks.check_against(self.used, self.max) {
            Ok(()) => true,
            Err(exceeded) => {
                self.exceeded.get_or_insert(exceeded);
                false
            }
        }
    }

    /// Signature checks taken so far.
    pub fn used(&self) -> usize {
        self.used
    }

    /// The overrun, if the budget was spent.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Limit; 8] = [
        Limit::InputBytes,
        Limit::Blocks,
        Limit::CertificateBytes,
        Limit::DerDepth,
        Limit::Extensions,
        Limit::NameConstraintSubtrees,
        Limit::CandidateIssuers,
        Limit::SignatureChecks,
    ];

    #[test]
    fn limit_check_edges() {
        for limit in ALL {
            assert_eq!(limit.check(limit.max()), Ok(()), "{limit:?}");
            let over = limit.check(limit.max() + 1).unwrap_err();
            assert_eq!(over.value, limit.max() + 1);
            assert!(over.to_string().contains(limit.counts()));
        }
    }

    /// Nests `depth` SEQUENCEs around an empty one (`depth` counts that one too).
    fn nested(depth: usize) -> Vec<u8> {
        let mut der = vec![0x30, 0x00];
        for _ in 1..depth {
            let len = der.len();
            let mut outer = vec![0x30];
            if len < 0x80 {
                outer.push(len as u8);
            } else {
                outer.extend([0x82, (len >> 8) as u8, len as u8]);
            }
            outer.extend(der);
            der = outer;
        }
        der
    }

    #[test]
    fn der_depth_counts_levels() {
        assert_eq!(der_depth(&nested(1), 100), 1);
        assert_eq!(der_depth(&nested(5), 100), 5);
        assert_eq!(der_depth(&[0x02, 0x01, 0x05], 100), 0);
    }

    #[test]
    fn der_nesting_edge() {
        assert_eq!(check_certificate_der(&nested(MAX_DER_DEPTH)), Ok(()));
        let over = check_certificate_der(&nested(MAX_DER_DEPTH + 1)).unwrap_err();
        assert_eq!(over.limit, Limit::DerDepth);
        assert_eq!(over.value, MAX_DER_DEPTH + 1);
    }

    #[test]
    fn der_depth_stops_on_broken_der() {
        assert_eq!(der_depth(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], 10), 0);
        assert_eq!(der_depth(&[0x30], 10), 0);
        assert_eq!(der_depth(&[0x30, 0x02, 0x30, 0x05], 10), 1);
    }

    #[test]
    fn certificate_size_edge() {
        let at = vec![0x04; MAX_CERTIFICATE_BYTES];
        assert_eq!(check_certificate_der(&at), Ok(()));
        let over = vec![0x04; MAX_CERTIFICATE_BYTES + 1];
        assert_eq!(
            check_certificate_der(&over).unwrap_err().limit,
            Limit::CertificateBytes
        );
    }

    #[test]
    fn budget_allows_exact_count() {
        let mut budget = Budget::new();
        for _ in 0..MAX_SIGNATURE_CHECKS {
            assert!(budget.take());
        }
        assert_eq!(budget.exceeded(), None);
        assert!(!budget.take());
        assert_eq!(
            budget.exceeded().map(|e| e.value),
            Some(MAX_SIGNATURE_CHECKS + 1)
        );
    }
}

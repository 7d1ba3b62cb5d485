//! The message digests the backend computes, and the names and OIDs it
//! reports for every digest it can recognize.

use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::HashAlgorithm;

/// A digest that the backend can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SupportedHash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl SupportedHash {
    /// Looks up a digest by its dotted OID (RFC 3279 for SHA-1, RFC 5754 for SHA-2).
    pub(crate) fn from_oid(oid: &str) -> Option<Self> {
        match oid {
            "1.3.14.3.2.26" => Some(Self::Sha1),
            "2.16.840.1.101.3.4.2.4" => Some(Self::Sha224),
            "2.16.840.1.101.3.4.2.1" => Some(Self::Sha256),
            "2.16.840.1.101.3.4.2.2" => Some(Self::Sha384),
            "2.16.840.1.101.3.4.2.3" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Hashes `message` in one pass.
    pub(crate) fn digest(self, message: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => Sha1::digest(message).to_vec(),
            Self::Sha224 => Sha224::digest(message).to_vec(),
            Self::Sha256 => Sha256::digest(message).to_vec(),
            Self::Sha384 => Sha384::digest(message).to_vec(),
            Self::Sha512 => Sha512::digest(message).to_vec(),
        }
    }

    /// Digest length in bytes.
    pub(crate) fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

impl From<SupportedHash> for HashAlgorithm {
    fn from(hash: SupportedHash) -> Self {
        match hash {
            SupportedHash::Sha1 => HashAlgorithm::Sha1,
            SupportedHash::Sha224 => HashAlgorithm::Sha224,
            SupportedHash::Sha256 => HashAlgorithm::Sha256,
            SupportedHash::Sha384 => HashAlgorithm::Sha384,
            SupportedHash::Sha512 => HashAlgorithm::Sha512,
        }
    }
}

/// Looks up any digest algorithm OID this module can name, including the
/// ones it cannot compute (MD2, MD5).
pub(crate) fn hash_algorithm_from_oid(oid: &str) -> HashAlgorithm {
    match oid {
        "1.2.840.113549.2.2" => HashAlgorithm::Md2,
        "1.2.840.113549.2.5" => HashAlgorithm::Md5,
        _ => SupportedHash::from_oid(oid).map_or(HashAlgorithm::Unknown, HashAlgorithm::from),
    }
}

/// Short lowercase name of a digest OID ("sha256"), or the dotted OID itself
/// when this module does not recognize it.
pub(crate) fn hash_name(oid: &str) -> String {
    let name = match hash_algorithm_from_oid(oid) {
        HashAlgorithm::Md2 => "md2",
        HashAlgorithm::Md5 => "md5",
        HashAlgorithm::Sha1 => "sha1",
        HashAlgorithm::Sha224 => "sha224",
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha384 => "sha384",
        HashAlgorithm::Sha512 => "sha512",
        HashAlgorithm::Intrinsic | HashAlgorithm::Unknown => return oid.to_owned(),
    };
    name.to_owned()
}

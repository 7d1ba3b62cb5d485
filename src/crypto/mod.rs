//! SHIM (not committed)
use serde::Serialize;
use rustls_pki_types::SignatureVerificationAlgorithm;
pub static ALL_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[];
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashAlgorithm { Md2, Md5, Sha1, Sha224, Sha256, Sha384, Sha512, Intrinsic, Unknown }
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureFamily { RsaPkcs1, RsaPss, Ecdsa, Ed25519, Ed448, Dsa, Other }
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureAlgorithmInfo { pub name: String, pub oid: String, pub family: SignatureFamily, pub hash: HashAlgorithm }
pub fn describe_signature_algorithm(_d: &[u8]) -> SignatureAlgorithmInfo { todo!() }
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType { Rsa, RsaPss, Ec, Ed25519, Ed448, Dsa, Other }
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicKeyInfo { pub key_type: KeyType, pub bits: Option<u32>, pub curve: Option<String>, pub algorithm_oid: String, pub name: String }
pub fn describe_public_key(_d: &[u8]) -> PublicKeyInfo { todo!() }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyError { Unsupported { signature_algorithm: String, key: String }, Invalid }
impl std::fmt::Display for VerifyError { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{:?}", self) } }
pub fn verify_signature(_s: &[u8], _a: &[u8], _m: &[u8], _sig: &[u8]) -> Result<(), VerifyError> { todo!() }

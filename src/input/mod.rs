//! SHIM (not committed)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Origin { pub source: String, pub block: usize, pub offset: usize, pub line: usize }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding { Pem, Der, Base64, UrlEncodedPem }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind { Certificate, CertificateRequest, Crl, PrivateKey, Pkcs7, PublicKey, Other(String), Unknown }
impl std::fmt::Display for BlockKind { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{:?}", self) } }
#[derive(Debug, Clone)]
pub struct Block { pub kind: BlockKind, pub label: Option<String>, pub encoding: Encoding, pub origin: Origin, pub der: Result<Vec<u8>, DecodeError>, pub byte_len: usize }
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError { EmptyBody }
impl std::fmt::Display for DecodeError { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{:?}", self) } }
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum LineEndings { #[default] None, Lf, Crlf, Cr, Mixed }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StrayKind { Blank, Comment, CommentWithDash, Text }
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StrayLine { pub line: usize, pub offset: usize, pub kind: StrayKind, pub inside_block: bool }
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Layout { pub total_bytes: usize, pub bom: bool, pub line_endings: LineEndings, pub stray: Vec<StrayLine>, pub indented: bool, pub whitespace_in_body: bool, pub non_ascii: bool }
pub struct Decoded { pub blocks: Vec<Block>, pub layout: Layout, pub encoding: Encoding }
pub fn decode(_bytes: &[u8], _source: &str) -> Decoded { todo!() }

//! Gateway profiles as data. Each limit carries the source it rests on. Where
//! the sources are silent, the citation reads "undocumented" and states the
//! reading chosen.

pub mod details;

use serde::Serialize;

use crate::crypto::HashAlgorithm;
use crate::report::Severity;

/// A limit and the source it rests on.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Cited<T> {
    pub value: T,
    pub citation: &'static str,
    /// False when no vendor source states the limit and the value is the
    /// reading chosen here; the citation then starts with "undocumented".
    pub documented: bool,
}

impl<T> Cited<T> {
    /// Returns " (undocumented: CITATION)" for a limit no source states, else "".
    pub fn undocumented_note(&self) -> String {
        if self.documented {
            String::new()
        } else {
            format!(" ({})", self.citation)
        }
    }
}

const fn cited<T>(value: T, citation: &'static str) -> Cited<T> {
    Cited {
        value,
        citation,
        documented: !contains_undocumented(citation.as_bytes()),
    }
}

/// True when `text` contains the word "undocumented" (the marker of a chosen reading).
const fn contains_undocumented(text: &[u8]) -> bool {
    const WORD: &[u8] = b"undocumented";
    let mut start = 0;
    while start + WORD.len() <= text.len() {
        let mut offset = 0;
        while offset < WORD.len() && text[start + offset] == WORD[offset] {
            offset += 1;
        }
        if offset == WORD.len() {
            return true;
        }
        start += 1;
    }
    false
}

/// The rule for which truststore certificates may end a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnchorRule {
    /// Only self-signed roots end a path; other truststore CAs serve as intermediates.
    SelfSignedRoots,
    /// Every truststore certificate is a trust anchor (RFC 5280 6.1.1).
    AnyTruststoreCertificate,
}

/// Whether intermediates the client sends take part in path building.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PresentedIntermediates {
    Used,
    Ignored,
}

/// RSA modulus sizes a profile accepts.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RsaSizes {
    pub min_bits: u32,
    pub max_bits: Option<u32>,
    /// When set, only these exact sizes.
    pub exact: Option<&'static [u32]>,
}

/// The log line a gateway writes for a kind of failure.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct GatewayMessages {
    pub unknown_issuer: Option<&'static str>,
    pub insecure_signature: Option<&'static str>,
    pub self_signed: Option<&'static str>,
}

/// One gateway's rules.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: &'static str,
    pub title: &'static str,
    /// CA certificates allowed on a path, the root included and the leaf not.
    pub max_ca_certificates: Option<Cited<usize>>,
    pub anchors: Cited<AnchorRule>,
    pub presented_intermediates: Cited<PresentedIntermediates>,
    /// Hashes accepted in signatures other than a root's own self-signature.
    pub signature_hashes: Cited<&'static [HashAlgorithm]>,
    pub rsa_pss: Cited<bool>,
    pub ed25519: Cited<bool>,
    pub rsa: Cited<RsaSizes>,
    /// Named curves accepted for ECDSA keys.
    pub curves: Cited<&'static [&'static str]>,
    /// Severity of an algorithm or key outside the profile.
    pub algorithm_severity: Severity,
    pub require_v3: Cited<bool>,
    pub max_certificates: Option<Cited<usize>>,
    pub max_bundle_bytes: Option<Cited<usize>>,
    pub max_certificate_bytes: Option<Cited<usize>>,
    /// Only CERTIFICATE blocks and `#` comments without `-`; no blank lines.
    pub strict_bundle_format: Cited<bool>,
    /// Every truststore certificate must be a CA (basicConstraints CA:TRUE).
    pub require_ca_certificates: Cited<bool>,
    /// Every CA between the leaf's issuer and a self-signed root must be in the truststore.
    pub complete_truststore_chain: Cited<bool>,
    /// Severity when the leaf's EKU does not allow the usage, and whether CA certificates' EKU is checked too.
    pub eku: Cited<EkuPolicy>,
    /// The gateway's switch that accepts expired client certificates, if it has one.
    pub client_expiry_override: Cited<Option<&'static str>>,
    /// Days before notAfter at which `cert.expiring-soon` starts to warn.
    pub expiry_warning_days: i64,
    /// Path certificates must follow the RFC 5280 certificate profile
    /// (section 4): key identifiers, critical basicConstraints and the like.
    pub rfc5280_structure: Cited<bool>,
    /// Path certificates must also follow the CA/Browser Forum Baseline
    /// Requirements for TLS server certificates.
    pub cabf_server_rules: Cited<bool>,
    pub gateway_messages: GatewayMessages,
    /// Set from the options, not part of the gateway data: the client
    /// certificate's expiry is ignored as `client_expiry_override` does.
    #[serde(skip)]
    pub ignore_client_expiry: bool,
    /// Whether and how the gateway checks client certificates against CRLs.
    pub revocation: Cited<RevocationSupport>,
    /// TLS protocol versions the gateway negotiates on a mutual TLS endpoint.
    pub tls_versions: Cited<&'static [TlsVersion]>,
    /// The gateway's switch that lists the truststore's CA names in the
    /// CertificateRequest message, if it has one.
    pub ca_names_option: Cited<Option<&'static str>>,
}

/// A TLS protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TlsVersion {
    #[serde(rename = "TLS 1.2")]
    Tls12,
    #[serde(rename = "TLS 1.3")]
    Tls13,
}

impl TlsVersion {
    /// Returns the version's name, `TLS 1.2` or `TLS 1.3`.
    pub fn name(self) -> &'static str {
        match self {
            TlsVersion::Tls12 => "TLS 1.2",
            TlsVersion::Tls13 => "TLS 1.3",
        }
    }
}

const TLS12_ONLY: &[TlsVersion] = &[TlsVersion::Tls12];
const TLS12_AND_TLS13: &[TlsVersion] = &[TlsVersion::Tls12, TlsVersion::Tls13];

/// A gateway's use of certificate revocation lists.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct RevocationSupport {
    pub check: RevocationCheck,
    /// CRLs must be PEM; a DER CRL has to be converted before upload.
    pub pem_only: bool,
    /// Whether a certificate with a negative serial number can be revoked.
    pub negative_serials_revocable: bool,
}

/// The gateway's action on a revoked client certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationCheck {
    /// The handshake fails for a certificate a configured CRL lists.
    Enforced,
    /// The gateway checks no revocation; the backend or an authorizer must.
    NotChecked,
    /// The gateway accepts the certificate and only flags it as revoked for rules or the backend.
    FlagOnly,
}

/// A profile's policy for extendedKeyUsage on the path.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct EkuPolicy {
    /// Severity of a leaf whose EKU lacks the usage.
    pub leaf: Severity,
    /// Severity of a CA whose EKU lacks the usage, or `None` when CA EKUs are not checked.
    pub issuers: Option<Severity>,
}

const SHA2: &[HashAlgorithm] = &[
    HashAlgorithm::Sha256,
    HashAlgorithm::Sha384,
    HashAlgorithm::Sha512,
    HashAlgorithm::Intrinsic,
];
const SHA2_AND_SHA1: &[HashAlgorithm] = &[
    HashAlgorithm::Sha1,
    HashAlgorithm::Sha224,
    HashAlgorithm::Sha256,
    HashAlgorithm::Sha384,
    HashAlgorithm::Sha512,
    HashAlgorithm::Intrinsic,
];

const APIGW_REST_DOC: &str = "AWS API Gateway developer guide, REST API mutual TLS";
const APIGW_HTTP_DOC: &str = "AWS API Gateway developer guide, HTTP API mutual TLS";

const APIGW_MESSAGES: GatewayMessages = GatewayMessages {
    unknown_issuer: Some("Access denied. Reason: Could not find issuer for certificate"),
    insecure_signature: Some(
        "Access denied. Reason: Client cert using an insecure Signature Algorithm",
    ),
    self_signed: Some("Access denied. Reason: self signed certificate"),
};
const NO_MESSAGES: GatewayMessages = GatewayMessages {
    unknown_issuer: None,
    insecure_signature: None,
    self_signed: None,
};

fn apigw(name: &'static str, http: bool) -> Profile {
    let doc = if http { APIGW_HTTP_DOC } else { APIGW_REST_DOC };
    Profile {
        name,
        title: if http { "AWS API Gateway HTTP API, custom domain with mutual TLS" } else { "AWS API Gateway REST API, custom domain with mutual TLS" },
        max_ca_certificates: Some(cited(4, "API Gateway caps the chain at four without defining the count (undocumented); a reproduction counts root plus at most three intermediates, the client certificate not counted (DoiT engineering blog on the API Gateway mTLS chain depth limit)")),
        anchors: cited(AnchorRule::SelfSignedRoots, "the truststore must hold the complete chain from the issuing CA up to the root"),
        presented_intermediates: cited(PresentedIntermediates::Ignored, "API Gateway looks up the client certificate's issuer in the truststore; a truststore with only the root gives 403 for intermediate-issued clients (undocumented, reported by users; taken as: client-sent intermediates are not used)"),
        signature_hashes: cited(SHA2, doc),
        rsa_pss: cited(false, "undocumented for API Gateway (not listed); taken as not supported"),
        ed25519: cited(false, "undocumented for API Gateway (only RSA and ECDSA are listed); taken as not supported"),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: None, exact: None }, if http { "HTTP API page: RSA-2048 or stronger; no maximum is stated" } else { "REST API page: RSA-2048 or stronger; no maximum is stated" }),
        curves: if http {
            cited(&["P-256", "P-384", "P-521"], "HTTP API page: ECDSA-256 or stronger (the REST page lists only 256 and 384)")
        } else {
            cited(&["P-256", "P-384"], "REST API page: ECDSA-256 or ECDSA-384")
        },
        algorithm_severity: Severity::Error,
        require_v3: cited(false, "undocumented: API Gateway lists X.509 syntax only, so v1 is reported as a warning"),
        max_certificates: Some(cited(1000, if http { "undocumented for HTTP APIs; the REST quota of 1,000 certificates is assumed" } else { "API Gateway quotas: 1,000 certificates per truststore" })),
        max_bundle_bytes: Some(cited(1_000_000, if http { "undocumented for HTTP APIs; the REST quota of 1 MB is assumed" } else { "API Gateway quotas: truststore object up to 1 MB" })),
        max_certificate_bytes: None,
        strict_bundle_format: cited(false, "undocumented for API Gateway (the example shows certificate blocks only); content outside certificate blocks is reported as a warning"),
        require_ca_certificates: cited(false, "undocumented: API Gateway allows self-signed certificates in the truststore and states no basicConstraints rule"),
        complete_truststore_chain: cited(true, doc),
        client_expiry_override: cited(None, "API Gateway has no option to accept expired client certificates"),
        eku: cited(EkuPolicy { leaf: Severity::Warning, issuers: Some(Severity::Warning) }, "undocumented for API Gateway; OpenSSL-based gateways check the purpose of every certificate, so a mismatch warns"),
        expiry_warning_days: DEFAULT_WARN_DAYS,
        rfc5280_structure: cited(false, "gateways are not documented to enforce the RFC 5280 certificate profile beyond path validation"),
        cabf_server_rules: cited(false, "client certificates are outside the Baseline Requirements"),
        gateway_messages: if http { NO_MESSAGES } else { APIGW_MESSAGES },
        ignore_client_expiry: false,
        revocation: cited(RevocationSupport { check: RevocationCheck::NotChecked, pem_only: false, negative_serials_revocable: true }, "API Gateway checks no revocation (no CRL, no OCSP); the developer guide says to check it in a Lambda authorizer"),
        tls_versions: cited(TLS12_ONLY, "mutual TLS needs the TLS_1_2 security policy (REST) or a minimum of TLS 1.2 (HTTP); the mutual TLS pages name no TLS 1.3 policy, so TLS 1.3 is taken as unavailable (undocumented whether the newer SecurityPolicy_TLS13 policies combine with mutual TLS)"),
        ca_names_option: cited(None, "undocumented: API Gateway has no setting to list the truststore's CA names in the CertificateRequest"),
    }
}

fn alb() -> Profile {
    Profile {
        name: "alb",
        title: "AWS Application Load Balancer, mutual TLS in verify mode",
        max_ca_certificates: Some(cited(4, "ALB quotas: maximum certificate chain depth 4, not adjustable; whether the leaf counts is undocumented, so it is counted like API Gateway (root plus at most three intermediates)")),
        anchors: cited(AnchorRule::SelfSignedRoots, "undocumented; taken as OpenSSL's default of ending paths at a self-signed root"),
        presented_intermediates: cited(PresentedIntermediates::Used, "undocumented; taken as OpenSSL's default of using the certificates the client sends"),
        signature_hashes: cited(SHA2, "ALB mutual authentication guide: SHA-256, SHA-384 and SHA-512 with RSA, RSA-PSS (MGF1) or ECDSA; SHA-1 and MD5 are not listed"),
        rsa_pss: cited(true, "ALB mutual authentication guide: RSASSA-PSS with MGF1 and SHA-256/384/512"),
        ed25519: cited(false, "ALB HTTPS listener guide: Ed25519 keys are not supported"),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: Some(8192), exact: None }, "ALB mutual authentication guide: RSA keys of 2K to 8K bits"),
        curves: cited(&["P-256", "P-384", "P-521"], "ALB mutual authentication guide: ECDSA secp256r1, secp384r1, secp521r1"),
        algorithm_severity: Severity::Error,
        require_v3: cited(true, "ALB mutual authentication guide: certificates must be X.509v3"),
        max_certificates: Some(cited(25, "ALB quotas: 25 CA certificates per trust store (adjustable on request)")),
        max_bundle_bytes: None,
        max_certificate_bytes: Some(cited(16 * 1024, "ALB quotas: CA certificate size 16 KB")),
        strict_bundle_format: cited(true, "ALB mutual authentication guide: PEM CERTIFICATE blocks only, comment lines start with # and contain no -, no blank lines"),
        require_ca_certificates: cited(false, "undocumented for ALB; a leaf certificate in the bundle is reported as a warning"),
        complete_truststore_chain: cited(false, "undocumented for ALB; client-sent intermediates are taken as usable"),
        eku: cited(EkuPolicy { leaf: Severity::Error, issuers: Some(Severity::Error) }, "ALB connection logs name a purpose failure (ClientCertPurposeInvalid) but its criteria are undocumented; taken as OpenSSL's client purpose check on every certificate of the path"),
        client_expiry_override: cited(Some("IgnoreClientCertificateExpiry"), "ELB API MutualAuthenticationAttributes: IgnoreClientCertificateExpiry accepts expired client certificates in verify mode"),
        expiry_warning_days: DEFAULT_WARN_DAYS,
        rfc5280_structure: cited(false, "gateways are not documented to enforce the RFC 5280 certificate profile beyond path validation"),
        cabf_server_rules: cited(false, "client certificates are outside the Baseline Requirements"),
        gateway_messages: NO_MESSAGES,
        ignore_client_expiry: false,
        revocation: cited(RevocationSupport { check: RevocationCheck::Enforced, pem_only: true, negative_serials_revocable: false }, "ELB user guide: PEM CRLs are added to the trust store (AddTrustStoreRevocations) and a listed client is refused (ClientCertCrlHit); DER CRLs, as AWS Private CA publishes them, must be converted to PEM; a certificate with a negative serial number cannot be revoked"),
        tls_versions: cited(TLS12_AND_TLS13, "undocumented in the ALB mutual authentication guide; taken as TLS 1.2 and TLS 1.3, the range of the listener's TLS 1.3 security policies"),
        ca_names_option: cited(Some("AdvertiseTrustStoreCaNames"), "ELB API MutualAuthenticationAttributes: AdvertiseTrustStoreCaNames on lists the trust store's CA subject names in the CertificateRequest (default off)"),
    }
}

fn cloudfront() -> Profile {
    Profile {
        name: "cloudfront",
        title: "Amazon CloudFront, viewer mutual TLS",
        max_ca_certificates: Some(cited(4, "CloudFront: maximum chain depth 4; whether the leaf counts is undocumented, so it is counted like API Gateway (root plus at most three intermediates)")),
        anchors: cited(AnchorRule::SelfSignedRoots, "undocumented; taken as ending paths at a self-signed root"),
        presented_intermediates: cited(PresentedIntermediates::Used, "undocumented; taken as using the certificates the client sends"),
        signature_hashes: cited(SHA2, "CloudFront trust store guide: SHA-256, SHA-384 and SHA-512 signatures; SHA-1 is not listed"),
        rsa_pss: cited(true, "CloudFront trust store guide: RSASSA-PSS signatures are listed"),
        ed25519: cited(false, "undocumented for CloudFront (not listed); taken as not supported"),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: Some(4096), exact: Some(&[2048, 3072, 4096]) }, "CloudFront trust store guide: RSA 2048, 3072 and 4096 bits"),
        curves: cited(&["P-256", "P-384"], "CloudFront trust store guide: ECDSA P-256 and P-384"),
        algorithm_severity: Severity::Error,
        require_v3: cited(true, "CloudFront trust store guide: certificates must be X.509v3"),
        max_certificates: Some(cited(25, "CloudFront quotas: 25 certificates per trust store")),
        max_bundle_bytes: Some(cited(1_000_000, "CloudFront quotas: CA bundle up to 1 MB (read as 1,000,000 bytes)")),
        max_certificate_bytes: Some(cited(16_384, "CloudFront quotas: 16,384 bytes per certificate")),
        strict_bundle_format: cited(true, "CloudFront trust store guide: PEM CERTIFICATE blocks only, comment lines start with # and contain no -, no blank lines"),
        require_ca_certificates: cited(false, "undocumented for CloudFront; a leaf certificate in the bundle is reported as a warning"),
        complete_truststore_chain: cited(false, "undocumented for CloudFront; client-sent intermediates are taken as usable"),
        eku: cited(EkuPolicy { leaf: Severity::Error, issuers: Some(Severity::Error) }, "CloudFront connection logs name an intent failure (ClientCertIntentInvalid) but its criteria are undocumented; taken as OpenSSL's client purpose check on every certificate of the path"),
        client_expiry_override: cited(Some("IgnoreCertificateExpiry"), "CloudFront trust store guide: IgnoreCertificateExpiry accepts expired client certificates"),
        expiry_warning_days: DEFAULT_WARN_DAYS,
        rfc5280_structure: cited(false, "gateways are not documented to enforce the RFC 5280 certificate profile beyond path validation"),
        cabf_server_rules: cited(false, "client certificates are outside the Baseline Requirements"),
        gateway_messages: NO_MESSAGES,
        ignore_client_expiry: false,
        revocation: cited(RevocationSupport { check: RevocationCheck::NotChecked, pem_only: false, negative_serials_revocable: true }, "undocumented for CloudFront: no built-in revocation check is described; taken as none (check revocation in the origin or an edge function)"),
        tls_versions: cited(TLS12_AND_TLS13, "undocumented in the CloudFront trust store guide; taken as TLS 1.2 and TLS 1.3"),
        ca_names_option: cited(Some("AdvertiseTrustStoreCaNames"), "CloudFront trust store guide: AdvertiseTrustStoreCaNames lists the trust store's CA names to viewers, as on ALB"),
    }
}

fn cloudflare() -> Profile {
    Profile {
        name: "cloudflare",
        title: "Cloudflare mTLS with a customer CA",
        max_ca_certificates: None,
        anchors: cited(AnchorRule::SelfSignedRoots, "undocumented; taken as ending paths at a self-signed root"),
        presented_intermediates: cited(PresentedIntermediates::Used, "undocumented; taken as using the certificates the client sends"),
        signature_hashes: cited(SHA2_AND_SHA1, "Cloudflare BYO CA requirements list SHA-1 signatures as accepted"),
        rsa_pss: cited(false, "undocumented for Cloudflare (not listed); taken as not supported"),
        ed25519: cited(false, "undocumented for Cloudflare (not listed); taken as not supported"),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: None, exact: None }, "undocumented key-size floor for Cloudflare; 2048 bits assumed"),
        curves: cited(&["P-256", "P-384", "P-521"], "undocumented: Cloudflare lists ECDSA signatures without curves; the NIST curves are assumed"),
        algorithm_severity: Severity::Warning,
        require_v3: cited(false, "undocumented for Cloudflare; v1 is reported as a warning"),
        max_certificates: Some(cited(5, "Cloudflare: 5 customer CAs per account")),
        max_bundle_bytes: None,
        max_certificate_bytes: None,
        strict_bundle_format: cited(false, "Cloudflare takes each CA through its API; no bundle format is documented"),
        require_ca_certificates: cited(true, "Cloudflare BYO CA requirements: the certificate must be a CA (basicConstraints CA:TRUE)"),
        complete_truststore_chain: cited(false, "undocumented for Cloudflare; the issuing CA is uploaded and client-sent intermediates are taken as usable"),
        eku: cited(EkuPolicy { leaf: Severity::Warning, issuers: Some(Severity::Warning) }, "undocumented for Cloudflare; a mismatch warns"),
        client_expiry_override: cited(None, "Cloudflare has no switch: the certificate's validity reaches the firewall rules through cf.tls_client_auth.cert_verified, and the rules decide"),
        expiry_warning_days: DEFAULT_WARN_DAYS,
        rfc5280_structure: cited(false, "gateways are not documented to enforce the RFC 5280 certificate profile beyond path validation"),
        cabf_server_rules: cited(false, "client certificates are outside the Baseline Requirements"),
        gateway_messages: NO_MESSAGES,
        ignore_client_expiry: false,
        revocation: cited(RevocationSupport { check: RevocationCheck::FlagOnly, pem_only: false, negative_serials_revocable: true }, "Cloudflare: cf.tls_client_auth.cert_verified stays true for a revoked certificate and cert_revoked flags it, so a WAF rule must test both"),
        tls_versions: cited(TLS12_AND_TLS13, "undocumented for client certificates; taken as TLS 1.2 and TLS 1.3"),
        ca_names_option: cited(None, "undocumented: Cloudflare has no setting to list the customer CAs in the CertificateRequest"),
    }
}

fn rfc5280() -> Profile {
    const RFC: &str =
        "RFC 5280 section 6 (path validation); algorithms and key sizes are judged as advice only";
    Profile {
        name: "rfc5280",
        title: "RFC 5280 path validation with no gateway limits",
        max_ca_certificates: None,
        anchors: cited(AnchorRule::AnyTruststoreCertificate, "RFC 5280 6.1.1: any configured trust anchor ends a path"),
        presented_intermediates: cited(PresentedIntermediates::Used, "RFC 5280 6.1: the path may use any certificate the client sends"),
        signature_hashes: cited(SHA2, RFC),
        rsa_pss: cited(true, "RFC 4055"),
        ed25519: cited(true, "RFC 8410"),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: None, exact: None }, "NIST SP 800-131A: RSA below 2048 bits is disallowed"),
        curves: cited(&["P-256", "P-384", "P-521"], "RFC 5480"),
        algorithm_severity: Severity::Warning,
        require_v3: cited(false, "RFC 5280 6.1.1: a trust anchor is a name and a key; v1 is reported as a warning"),
        max_certificates: None,
        max_bundle_bytes: None,
        max_certificate_bytes: None,
        strict_bundle_format: cited(false, "no bundle format rules"),
        require_ca_certificates: cited(false, "RFC 5280 allows any certificate as a trust anchor"),
        complete_truststore_chain: cited(false, "RFC 5280 6.1.1: any configured trust anchor ends a path"),
        eku: cited(EkuPolicy { leaf: Severity::Error, issuers: None }, "RFC 5280 4.2.1.12 binds the leaf; path validation (section 6) does not process EKU in CA certificates"),
        client_expiry_override: cited(None, "RFC 5280 6.1.3 (a)(2): every certificate on the path must be valid at the check time"),
        expiry_warning_days: DEFAULT_WARN_DAYS,
        cabf_server_rules: cited(false, "RFC 5280 alone"),
        rfc5280_structure: cited(true, "RFC 5280 section 4: the certificate profile (key identifiers, critical basicConstraints, positive serials of at most 20 octets)"),
        gateway_messages: NO_MESSAGES,
        ignore_client_expiry: false,
        revocation: cited(RevocationSupport { check: RevocationCheck::Enforced, pem_only: false, negative_serials_revocable: true }, "RFC 5280 6.3: a certificate listed on a valid CRL from its issuer is revoked"),
        tls_versions: cited(TLS12_AND_TLS13, "no gateway: TLS 1.2 (RFC 5246) and TLS 1.3 (RFC 8446)"),
        ca_names_option: cited(Some("certificate_authorities"), "RFC 8446 4.2.4 and RFC 5246 7.4.4: a server may list acceptable CA names"),
    }
}

/// RFC 5280 plus the CA/Browser Forum Baseline Requirements for TLS server
/// certificates: the Web PKI policy a browser applies.
fn webpki() -> Profile {
    const BR: &str = "CA/Browser Forum Baseline Requirements for TLS server certificates";
    Profile {
        name: "webpki",
        title: "Web PKI: RFC 5280 plus the CA/Browser Forum server-certificate rules",
        signature_hashes: cited(SHA2, BR),
        rsa: cited(RsaSizes { min_bits: 2048, max_bits: None, exact: None }, "Baseline Requirements 6.1.5: RSA of at least 2048 bits"),
        curves: cited(&["P-256", "P-384", "P-521"], "Baseline Requirements 6.1.5: NIST P-256, P-384 or P-521"),
        algorithm_severity: Severity::Error,
        eku: cited(EkuPolicy { leaf: Severity::Error, issuers: Some(Severity::Error) }, "Baseline Requirements 7.1.2.7.6 and 7.1.2.10: the server certificate and its CAs list serverAuth"),
        cabf_server_rules: cited(true, BR),
        ..rfc5280()
    }
}

/// Days before notAfter at which `cert.expiring-soon` warns, unless the options set another window.
pub const DEFAULT_WARN_DAYS: i64 = 30;

/// Names of every profile, the default first.
pub const PROFILE_NAMES: &[&str] = &[
    "apigw-rest",
    "apigw-http",
    "alb",
    "cloudfront",
    "cloudflare",
    "rfc5280",
    "webpki",
];

/// The default profile's name.
pub const DEFAULT_PROFILE: &str = "apigw-rest";

/// Looks a profile up by name.
pub fn by_name(name: &str) -> Option<Profile> {
    match name {
        "apigw-rest" => Some(apigw("apigw-rest", false)),
        "apigw-http" => Some(apigw("apigw-http", true)),
        "alb" => Some(alb()),
        "cloudfront" => Some(cloudfront()),
        "cloudflare" => Some(cloudflare()),
        "rfc5280" => Some(rfc5280()),
        "webpki" => Some(webpki()),
        _ => None,
    }
}

/// Returns every profile, the default first.
pub fn all() -> Vec<Profile> {
    PROFILE_NAMES
        .iter()
        .filter_map(|name| by_name(name))
        .collect()
}

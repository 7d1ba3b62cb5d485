//! A rustls client-certificate verifier whose decision is [`crate::verify_chain`]
//! under a gateway profile: a TLS server built on it accepts and refuses
//! exactly what `mtls-check verify` reports, with the same findings.
//!
//! Each decision is stored by the SHA-256 of the leaf's DER, so the server
//! can read the report of an accepted connection from its peer certificate.
//! Each decision also goes to an optional hook, which receives rejected
//! handshakes too.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, SignatureScheme};
use sha2::{Digest, Sha256};

use super::alert::{alert_for_report, Alert};
use crate::forwarded::encode::pem;
use crate::report::{Report, Verdict};
use crate::x509::load::{load, Expect, InputSeverity};
use crate::{Options, OptionsError};

/// Maximum number of decisions kept for lookup; the oldest is dropped first.
/// A server looks a decision up right after the handshake, so a few
/// thousand cover every connection in flight.
const MAX_KEPT_DECISIONS: usize = 4096;

/// The time a client certificate is checked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckTime {
    /// The time of each handshake, as rustls reads it from the system clock.
    Handshake,
    /// A fixed time in Unix seconds, for tests and for asking "what if".
    Pinned(i64),
}

/// The response to a rejected client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyAction {
    /// The handshake fails with the alert mapped from the deciding finding.
    FailHandshake,
    /// The handshake completes and the server responds to each request with
    /// 403, as API Gateway reports a rejected certificate to some clients.
    Forbidden,
}

/// Whether the CertificateRequest lists the truststore's CA names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaNames {
    Advertised,
    Withheld,
}

/// The verifier's settings.
#[derive(Debug, Clone)]
pub struct VerifierConfig {
    /// Options for [`crate::verify_chain`]: profile, expiry switch, CRLs and the like.
    /// Their `at` is replaced by the check time of each handshake.
    pub options: Options,
    pub check_time: CheckTime,
    pub deny_action: DenyAction,
    pub ca_names: CaNames,
}

/// An error in the verifier's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifierError {
    Options(OptionsError),
    /// The truststore contains no certificate that decodes.
    EmptyTruststore,
    /// The profile's gateway has no switch to list CA names.
    CaNamesUnsupported(String),
}

impl std::fmt::Display for VerifierError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VerifierError::Options(error) => error.fmt(f),
            VerifierError::EmptyTruststore => write!(
                f,
                "the truststore holds no certificate; pass a PEM bundle of CA certificates"
            ),
            VerifierError::CaNamesUnsupported(profile) => write!(
                f,
                "profile {profile:?} has no option to list CA names in the CertificateRequest; \
                 use alb or cloudfront (AdvertiseTrustStoreCaNames), rfc5280 or webpki"
            ),
        }
    }
}

impl std::error::Error for VerifierError {}

/// One verifier decision: the report and, for a refusal, the alert.
#[derive(Debug, Clone)]
pub struct Decision {
    pub report: Report,
    /// `None` when the report accepts the client.
    pub alert: Option<Alert>,
    /// SHA-256 of the leaf's DER.
    pub leaf_sha256: [u8; 32],
    /// The leaf first, then the intermediates the client sent, as DER.
    pub chain: Vec<Vec<u8>>,
}

impl Decision {
    /// True when the report accepts the client.
    pub fn accepted(&self) -> bool {
        self.report.verdict == Verdict::Accept
    }
}

/// A function called with every decision, accepted or refused.
pub type DecisionHook = Arc<dyn Fn(&Decision) + Send + Sync>;

/// Decisions by leaf fingerprint, oldest dropped first.
#[derive(Default)]
struct KeptDecisions {
    by_leaf: HashMap<[u8; 32], Arc<Decision>>,
    order: VecDeque<[u8; 32]>,
}

impl KeptDecisions {
    fn insert(&mut self, decision: Arc<Decision>) {
        let key = decision.leaf_sha256;
        if self.by_leaf.insert(key, decision).is_none() {
            self.order.push_back(key);
        }
        while self.order.len() > MAX_KEPT_DECISIONS {
            if let Some(oldest) = self.order.pop_front() {
                self.by_leaf.remove(&oldest);
            }
        }
    }
}

/// The rustls client-certificate verifier backed by [`crate::verify_chain`].
pub struct GatewayVerifier {
    truststore: Vec<u8>,
    config: VerifierConfig,
    ca_names: Vec<DistinguishedName>,
    algorithms: WebPkiSupportedAlgorithms,
    kept: Mutex<KeptDecisions>,
    hook: Option<DecisionHook>,
}

impl std::fmt::Debug for GatewayVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayVerifier")
            .field("profile", &self.config.options.profile)
            .field("check_time", &self.config.check_time)
            .field("deny_action", &self.config.deny_action)
            .field("ca_names", &self.ca_names.len())
            .finish()
    }
}

impl GatewayVerifier {
    /// Builds a verifier for a PEM or DER truststore. `provider` supplies the
    /// algorithms for the handshake signature (CertificateVerify); the
    /// certificate path itself is judged by [`crate::verify_chain`].
    pub fn new(
        truststore: &[u8],
        config: VerifierConfig,
        provider: &CryptoProvider,
    ) -> Result<GatewayVerifier, VerifierError> {
        let profile = crate::profile::by_name(&config.options.profile).ok_or_else(|| {
            VerifierError::Options(OptionsError::UnknownProfile(config.options.profile.clone()))
        })?;
        // Runs the option checks (expiry switch, warning window) once, up front.
        crate::verify_chain(b"", truststore, &config.options).map_err(VerifierError::Options)?;
        if config.ca_names == CaNames::Advertised && profile.ca_names_option.value.is_none() {
            return Err(VerifierError::CaNamesUnsupported(profile.name.to_string()));
        }

        let mut items = Vec::new();
        let loaded = load(
            truststore,
            "truststore",
            "truststore",
            Expect::Certificates,
            InputSeverity::Advisory,
            &mut items,
        );
        if loaded.certificates.is_empty() {
            return Err(VerifierError::EmptyTruststore);
        }
        let ca_names = match config.ca_names {
            CaNames::Advertised => loaded
                .certificates
                .iter()
                .map(|loaded| DistinguishedName::from(loaded.cert.subject.der.clone()))
                .collect(),
            CaNames::Withheld => Vec::new(),
        };

        Ok(GatewayVerifier {
            truststore: truststore.to_vec(),
            config,
            ca_names,
            algorithms: provider.signature_verification_algorithms,
            kept: Mutex::new(KeptDecisions::default()),
            hook: None,
        })
    }

    /// Sets the function called with every decision.
    pub fn with_hook(mut self, hook: DecisionHook) -> GatewayVerifier {
        self.hook = Some(hook);
        self
    }

    /// Returns the settings.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// Judges a presented chain (leaf first, DER) at `at` (Unix seconds),
    /// keeps the decision and passes it to the hook. The options were
    /// checked in [`GatewayVerifier::new`], so the error does not occur in practice.
    pub fn decide(&self, chain: &[&[u8]], at: i64) -> Result<Arc<Decision>, OptionsError> {
        let pem_chain: String = chain.iter().map(|der| pem(der)).collect();
        let mut options = self.config.options.clone();
        options.at = at;
        let report = crate::verify_chain(pem_chain.as_bytes(), &self.truststore, &options)?;

        let leaf_sha256: [u8; 32] =
            Sha256::digest(chain.first().copied().unwrap_or_default()).into();
        let decision = Arc::new(Decision {
            alert: alert_for_report(&report),
            report,
            leaf_sha256,
            chain: chain.iter().map(|der| der.to_vec()).collect(),
        });

        if let Ok(mut kept) = self.kept.lock() {
            kept.insert(Arc::clone(&decision));
        }
        if let Some(hook) = &self.hook {
            hook(&decision);
        }
        Ok(decision)
    }

    /// Returns the last decision for the leaf `leaf_der`, the certificate a
    /// connection's `peer_certificates()` starts with.
    pub fn decision_for(&self, leaf_der: &[u8]) -> Option<Arc<Decision>> {
        let key: [u8; 32] = Sha256::digest(leaf_der).into();
        self.kept.lock().ok()?.by_leaf.get(&key).cloned()
    }
}

impl ClientCertVerifier for GatewayVerifier {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &self.ca_names
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let at = match self.config.check_time {
            CheckTime::Pinned(at) => at,
            CheckTime::Handshake => i64::try_from(now.as_secs()).unwrap_or(i64::MAX),
        };
        let mut chain: Vec<&[u8]> = vec![end_entity.as_ref()];
        chain.extend(intermediates.iter().map(|der| der.as_ref()));
        let decision = self
            .decide(&chain, at)
            .map_err(|error| rustls::Error::General(error.to_string()))?;

        match (decision.alert, self.config.deny_action) {
            (Some(alert), DenyAction::FailHandshake) => {
                Err(rustls::Error::InvalidCertificate(alert.certificate_error()))
            }
            _ => Ok(ClientCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

//! `mtls-check serve`: a local stand-in for a gateway's custom domain with
//! mutual TLS. It ends TLS with rustls, judges each client certificate with
//! [`GatewayVerifier`] under the chosen profile, refuses the way the gateway
//! does (a failed handshake with the mapped alert, or 403), logs the
//! gateway's `Access denied. Reason: ...` line with the finding code, and
//! hands accepted requests to the echo or an upstream.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::danger::ClientCertVerifier;
use rustls::{InconsistentKeys, ServerConfig};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use super::alert::{access_denied_line, deciding_finding};
use super::handler::{handle, Backend, ConnectionFacts, ForwardShape, Shared};
use super::tls12_alert::AlertRewriter;
use super::verifier::{Decision, DenyAction, GatewayVerifier, VerifierConfig, VerifierError};
use crate::profile::TlsVersion;
use crate::x509::Certificate;

/// Time a client has to complete the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Time open connections get to finish after Ctrl-C before they are dropped.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Everything `serve` needs.
pub struct ServeConfig {
    /// PEM or DER CA bundle the client certificates are checked against.
    pub truststore: Vec<u8>,
    /// The server certificate first, then its intermediates.
    pub cert_chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    pub verifier: VerifierConfig,
    pub listen: SocketAddr,
    pub backend: Backend,
}

/// An error that stops the server before it serves.
#[derive(Debug)]
pub enum ServeError {
    Verifier(VerifierError),
    Tls(rustls::Error),
    Bind(SocketAddr, std::io::Error),
    Runtime(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Verifier(error) => error.fmt(f),
            ServeError::Tls(rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch)) => {
                write!(
                    f,
                    "the private key does not match the server certificate; \
                     pass the key the first certificate of the chain was issued for"
                )
            }
            ServeError::Tls(error) => write!(
                f,
                "invalid server certificate or key: {error}; pass the certificate chain with --cert and its unencrypted PKCS#8, PKCS#1 or SEC1 key with --key"
            ),
            ServeError::Bind(address, error) => write!(
                f,
                "cannot listen on {address}: {error}; choose another --listen port"
            ),
            ServeError::Runtime(error) => write!(f, "cannot start the async runtime: {error}"),
        }
    }
}

impl std::error::Error for ServeError {}

tokio::task_local! {
    /// The client address of the connection a task serves. rustls calls the
    /// verifier, and so the decision hook, inside the task's handshake.
    static CONNECTION_PEER: SocketAddr;
}

/// Logs one verifier decision with the client's address: the gateway's deny
/// line with the finding code, or the accepted subject at debug level.
fn log_decision(decision: &Decision, deny_action: DenyAction) {
    let peer = CONNECTION_PEER
        .try_with(|peer| peer.to_string())
        .unwrap_or_else(|_| "unknown".into());
    let leaf = Certificate::from_der(
        decision
            .chain
            .first()
            .map(Vec::as_slice)
            .unwrap_or_default(),
    );
    let subject = leaf
        .map(|cert| cert.subject.rfc4514)
        .unwrap_or_else(|_| "(undecodable certificate)".into());
    if decision.accepted() {
        tracing::debug!(%peer, %subject, "client certificate accepted");
        return;
    }
    let (code, line) = match deciding_finding(&decision.report) {
        Some(finding) => (finding.code.clone(), access_denied_line(finding)),
        None => (String::from("none"), "Access denied.".to_string()),
    };
    let refusal = match (deny_action, decision.alert) {
        (DenyAction::FailHandshake, Some(alert)) => alert.name(),
        _ => "403",
    };
    tracing::warn!(%peer, %code, %refusal, %subject, "{line}");
}

/// Maps the profile's TLS versions to rustls protocol versions.
fn protocol_versions(versions: &[TlsVersion]) -> Vec<&'static rustls::SupportedProtocolVersion> {
    versions
        .iter()
        .map(|version| match version {
            TlsVersion::Tls12 => &rustls::version::TLS12,
            TlsVersion::Tls13 => &rustls::version::TLS13,
        })
        .collect()
}

/// Returns the rustls crypto provider of the server side: ring, because it
/// builds with a plain C compiler. rustls 0.23.48 deprecates ring's provider
/// for lacking post-quantum key exchange, which a local test endpoint does not need.
#[allow(deprecated)]
pub fn crypto_provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// Builds the rustls server configuration: the profile's TLS versions, the
/// verifier, and the server certificate.
pub fn server_config(
    verifier: Arc<dyn ClientCertVerifier>,
    versions: &[TlsVersion],
    cert_chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<ServerConfig, rustls::Error> {
    let provider = Arc::new(crypto_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&protocol_versions(versions))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(cert_chain, key)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A server ready to accept: the bound address and what serving needs.
pub struct BoundServer {
    listener: TcpListener,
    acceptor: TlsAcceptor,
    verifier: Arc<GatewayVerifier>,
    shared: Arc<Shared>,
}

impl BoundServer {
    /// Returns the address the listener is bound to (with the real port when 0 was asked).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }
}

/// Builds the verifier and TLS configuration and binds the listener.
pub async fn bind(config: ServeConfig) -> Result<BoundServer, ServeError> {
    let profile = crate::profile::by_name(&config.verifier.options.profile).ok_or_else(|| {
        ServeError::Verifier(VerifierError::Options(crate::OptionsError::UnknownProfile(
            config.verifier.options.profile.clone(),
        )))
    })?;
    let deny_action = config.verifier.deny_action;
    let provider = crypto_provider();
    let verifier = GatewayVerifier::new(&config.truststore, config.verifier, &provider)
        .map_err(ServeError::Verifier)?
        .with_hook(Arc::new(move |decision: &Decision| {
            log_decision(decision, deny_action)
        }));
    let verifier = Arc::new(verifier);

    let tls = server_config(
        verifier.clone(),
        profile.tls_versions.value,
        config.cert_chain,
        config.key,
    )
    .map_err(ServeError::Tls)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|error| ServeError::Bind(config.listen, error))?;

    Ok(BoundServer {
        listener,
        acceptor: TlsAcceptor::from(Arc::new(tls)),
        verifier,
        shared: Arc::new(Shared {
            backend: config.backend,
            shape: ForwardShape::for_profile(profile.name),
            request_counter: AtomicU64::new(0),
        }),
    })
}

/// Serves until `shutdown` completes, then stops accepting and gives open
/// connections [`SHUTDOWN_GRACE`] to finish.
pub async fn serve(server: BoundServer, shutdown: impl Future<Output = ()>) {
    let (stop_sender, stop_receiver) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);

    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = server.listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(CONNECTION_PEER.scope(peer, serve_connection(
                        stream,
                        peer,
                        server.acceptor.clone(),
                        Arc::clone(&server.verifier),
                        Arc::clone(&server.shared),
                        stop_receiver.clone(),
                    )));
                }
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    // Out of file descriptors and the like: wait instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
    }

    tracing::info!(open_connections = connections.len(), "shutting down");
    drop(server.listener);
    let _ = stop_sender.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            dropped = connections.len(),
            grace_s = SHUTDOWN_GRACE.as_secs(),
            "connections still open after the grace period were dropped"
        );
        connections.abort_all();
    }
    tracing::info!("stopped");
}

/// Runs one connection: the TLS handshake, with the alert for a missing
/// client certificate fitted to the TLS version, then HTTP/1.1.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    acceptor: TlsAcceptor,
    verifier: Arc<GatewayVerifier>,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let accept = acceptor.accept(AlertRewriter::new(stream)).into_fallible();
    let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, accept).await {
        Ok(Ok(tls)) => tls,
        Ok(Err((error, stream))) => {
            log_handshake_failure(peer, &error, &stream);
            return;
        }
        Err(_) => {
            tracing::info!(%peer, timeout_s = HANDSHAKE_TIMEOUT.as_secs(), "TLS handshake timed out");
            return;
        }
    };

    let (_, session) = tls.get_ref();
    let leaf_der = session
        .peer_certificates()
        .and_then(|chain| chain.first())
        .map(|der| der.as_ref().to_vec())
        .unwrap_or_default();
    let decision = verifier.decision_for(&leaf_der);
    let (Some(decision), Ok(leaf)) = (decision, Certificate::from_der(&leaf_der)) else {
        tracing::warn!(%peer, "no decision for the connection's client certificate; closing it");
        return;
    };
    let facts = Arc::new(ConnectionFacts {
        peer,
        decision,
        leaf,
    });

    let service =
        service_fn(move |request| handle(request, Arc::clone(&shared), Arc::clone(&facts)));
    let connection = http1::Builder::new().serve_connection(TokioIo::new(tls), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = stop.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(%peer, %error, "connection closed with an error");
    }
}

/// Logs a failed handshake. A client without a certificate never reaches the
/// verifier, so its refusal is logged here, with the alert the client got:
/// `handshake_failure` under TLS 1.2, `certificate_required` under TLS 1.3.
/// Other failures were logged by the verifier's hook or are the client's
/// own, so they stay at debug level.
fn log_handshake_failure(
    peer: SocketAddr,
    error: &std::io::Error,
    stream: &AlertRewriter<TcpStream>,
) {
    let rustls_error = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    if matches!(rustls_error, Some(rustls::Error::NoCertificatesPresented)) {
        let refusal = if stream.rewrote_certificate_required() {
            "handshake_failure"
        } else {
            "certificate_required"
        };
        tracing::warn!(
            %peer,
            code = "input.no-certificate",
            refusal,
            "Access denied. Reason: the client sent no certificate"
        );
    } else {
        tracing::debug!(%peer, %error, "TLS handshake failed");
    }
}

/// Installs the stderr log subscriber; `RUST_LOG` overrides the default `info`.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Runs the server until Ctrl-C (SIGINT): binds, prints
/// `listening on https://ADDRESS` to stdout, serves, shuts down cleanly.
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    runtime.block_on(async {
        let server = bind(config).await?;
        let address = server
            .local_addr()
            .map_err(|error| ServeError::Bind(SocketAddr::from(([127, 0, 0, 1], 0)), error))?;
        println!("listening on https://{address}");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        tracing::info!(%address, "serving");
        serve(server, async {
            if let Err(error) = tokio::signal::ctrl_c().await {
                tracing::warn!(%error, "cannot listen for Ctrl-C; stop the process another way");
                std::future::pending::<()>().await;
            }
        })
        .await;
        Ok(())
    })
}

//! A minimal HTTPS server that uses the crate's rustls client-certificate
//! verifier directly, for services that end mutual TLS themselves and want
//! the gateway's verdict. Each response names the client; each refusal is
//! logged with its finding code by the verifier's hook.
//!
//! ```sh
//! cargo run --features server --example verifier-server -- \
//!     tests/fixtures/serve/client-truststore.pem \
//!     tests/fixtures/serve/server.pem tests/fixtures/serve/server.key 127.0.0.1:8443
//! curl --cert tests/fixtures/serve/client.pem --key tests/fixtures/serve/client.key \
//!     --cacert tests/fixtures/serve/server-ca.pem https://127.0.0.1:8443/
//! ```
//!
//! The fixtures' client certificates are checked at the handshake time, so
//! the expired one is refused today as it will be in 2030.

use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Response;
use hyper_util::rt::TokioIo;
use mtls_check::server::alert::{access_denied_line, deciding_finding};
use mtls_check::server::serve::{crypto_provider, server_config};
use mtls_check::server::{
    CaNames, CheckTime, Decision, DenyAction, GatewayVerifier, VerifierConfig,
};
use mtls_check::Options;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Prints the gateway's log line for each refusal.
fn log_refusal(decision: &Decision) {
    if let Some(finding) = deciding_finding(&decision.report) {
        let alert = decision.alert.map(|alert| alert.name()).unwrap_or("none");
        eprintln!(
            "{} (code {}, alert {alert})",
            access_denied_line(finding),
            finding.code
        );
    }
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [truststore, cert, key, listen] = args.as_slice() else {
        return Err("usage: verifier-server TRUSTSTORE CERT KEY ADDRESS".into());
    };

    let config = VerifierConfig {
        options: Options::new("apigw-rest", 0),
        check_time: CheckTime::Handshake,
        deny_action: DenyAction::FailHandshake,
        ca_names: CaNames::Withheld,
    };
    let verifier = Arc::new(
        GatewayVerifier::new(&std::fs::read(truststore)?, config, &crypto_provider())?
            .with_hook(Arc::new(log_refusal)),
    );
    let profile = mtls_check::profile::by_name("apigw-rest").ok_or("the profile exists")?;
    let chain = CertificateDer::pem_file_iter(cert)?.collect::<Result<Vec<_>, _>>()?;
    let key = PrivateKeyDer::from_pem_file(key)?;
    let tls = server_config(verifier.clone(), profile.tls_versions.value, chain, key)?;
    let acceptor = TlsAcceptor::from(Arc::new(tls));

    let address: SocketAddr = listen.parse()?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!("listening on https://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let acceptor = acceptor.clone();
        let verifier = Arc::clone(&verifier);
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(stream).await else {
                return;
            };
            // The verifier kept its report under the leaf the client presented.
            let leaf = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first().cloned());
            let subject = leaf
                .and_then(|der| verifier.decision_for(&der))
                .and_then(|decision| {
                    let item = decision.report.items.first()?;
                    item.summary.as_ref().map(|summary| summary.subject.clone())
                })
                .unwrap_or_default();
            let service = service_fn(move |_request| {
                let body = format!("hello {subject}\n");
                async move {
                    Ok::<_, std::convert::Infallible>(Response::new(Full::new(Bytes::from(body))))
                }
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

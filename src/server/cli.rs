//! The `mtls-check serve` command line: flags, their checks, and the start
//! of the server. The CLI binary only forwards the parsed flags here.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;
use rustls::InconsistentKeys;

use super::echo::Payload;
use super::handler::{Backend, Upstream};
use super::serve::{crypto_provider, init_logging, run, ServeConfig};
use super::verifier::{CaNames, CheckTime, DenyAction, VerifierConfig};
use crate::{parse_time, Options};

/// Flags of `mtls-check serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// CA bundle (PEM) the client certificates are checked against.
    #[arg(long)]
    truststore: PathBuf,
    /// Server certificate chain (PEM), the server certificate first.
    #[arg(long)]
    cert: PathBuf,
    /// Unencrypted private key (PEM: PKCS#8, PKCS#1 or SEC1) of --cert.
    #[arg(long)]
    key: PathBuf,
    /// Gateway profile whose rules, TLS versions and forwarding shape apply.
    #[arg(long, default_value = crate::profile::DEFAULT_PROFILE)]
    profile: String,
    /// Address and port to listen on; port 0 picks a free port. Loopback only
    /// unless --allow-non-loopback is given.
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: SocketAddr,
    /// Allow a --listen address other than 127.0.0.0/8 or ::1.
    #[arg(long)]
    allow_non_loopback: bool,
    /// Check client certificates at this time (RFC 3339) instead of the handshake time.
    #[arg(long)]
    at: Option<String>,
    /// Forward accepted requests to this http:// URL, with the client certificate
    /// in the profile's gateway shape. Without it, the server echoes the Lambda event.
    #[arg(long)]
    upstream: Option<String>,
    /// Lambda payload format of the echo; default 2.0 for apigw-http, else 1.0.
    #[arg(long, value_enum, conflicts_with = "upstream")]
    payload: Option<PayloadArg>,
    /// The response to a rejected client: a failed handshake with the mapped
    /// TLS alert, or a completed handshake and 403 to every request.
    #[arg(long, value_enum, default_value_t = DenyWith::Handshake)]
    deny_with: DenyWith,
    /// List the truststore's CA names in the CertificateRequest (alb and
    /// cloudfront: AdvertiseTrustStoreCaNames; also rfc5280 and webpki).
    #[arg(long)]
    advertise_ca_names: bool,
    /// Accept expired client certificates (alb and cloudfront profiles only).
    #[arg(long)]
    ignore_client_expiry: bool,
    /// CRL file, PEM or DER; repeat for several.
    #[arg(long = "crl", value_name = "FILE")]
    crls: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PayloadArg {
    #[value(name = "1.0")]
    V1,
    #[value(name = "2.0")]
    V2,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DenyWith {
    Handshake,
    #[value(name = "403")]
    Forbidden,
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read {what} {}: {error}", path.display()))
}

/// Turns the flags into the server's configuration, or the message to print.
fn config(args: ServeArgs) -> Result<ServeConfig, String> {
    if !args.listen.ip().is_loopback() && !args.allow_non_loopback {
        return Err(format!(
            "refusing to listen on {}: it is not a loopback address; this server is a local test \
             stand-in, so pass --allow-non-loopback to expose it on purpose",
            args.listen
        ));
    }

    let truststore = read(&args.truststore, "truststore")?;
    let cert_pem = read(&args.cert, "server certificate")?;
    let cert_chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|error| {
            format!(
                "invalid server certificate {}: {error}",
                args.cert.display()
            )
        })?;
    if cert_chain.is_empty() {
        return Err(format!(
            "{} holds no PEM certificate; pass the server certificate with --cert",
            args.cert.display()
        ));
    }
    let key_pem = read(&args.key, "server key")?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|error| {
        format!(
            "invalid server key {}: {error}; pass an unencrypted PEM private key with --key",
            args.key.display()
        )
    })?;
    check_key_matches(&cert_chain, &key, &args.cert, &args.key)?;

    let check_time = match &args.at {
        Some(text) => CheckTime::Pinned(parse_time(text).map_err(|error| error.to_string())?),
        None => CheckTime::Handshake,
    };
    let mut options = Options::new(&args.profile, 0);
    options.ignore_client_expiry = args.ignore_client_expiry;
    for path in &args.crls {
        options.crls.push(read(path, "CRL")?);
    }

    let backend = match &args.upstream {
        Some(url) => Backend::Upstream(Upstream::parse(url)?),
        None => Backend::Echo(match args.payload {
            Some(PayloadArg::V1) => Payload::V1,
            Some(PayloadArg::V2) => Payload::V2,
            None => Payload::for_profile(&args.profile),
        }),
    };

    Ok(ServeConfig {
        truststore,
        cert_chain,
        key,
        verifier: VerifierConfig {
            options,
            check_time,
            deny_action: match args.deny_with {
                DenyWith::Handshake => DenyAction::FailHandshake,
                DenyWith::Forbidden => DenyAction::Forbidden,
            },
            ca_names: if args.advertise_ca_names {
                CaNames::Advertised
            } else {
                CaNames::Withheld
            },
        },
        listen: args.listen,
        backend,
    })
}

/// Checks that the private key belongs to the server certificate, so a
/// mismatch names both files. Other key errors are left to the TLS setup.
fn check_key_matches(
    cert_chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'static>,
    cert_path: &Path,
    key_path: &Path,
) -> Result<(), String> {
    let loaded = CertifiedKey::from_der(cert_chain.to_vec(), key.clone_key(), &crypto_provider());
    match loaded {
        Err(rustls::Error::InconsistentKeys(InconsistentKeys::KeyMismatch)) => Err(format!(
            "the private key in {} does not match the certificate in {}; \
             pass with --key the key the certificate was issued for, or with --cert \
             the certificate issued for this key (its public key must be the key's)",
            key_path.display(),
            cert_path.display()
        )),
        _ => Ok(()),
    }
}

/// Runs `mtls-check serve`: exit 0 after a clean Ctrl-C, 2 on a usage or
/// setup error (with the message on stderr).
pub fn main(args: ServeArgs) -> ExitCode {
    init_logging();
    let config = match config(args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("mtls-check serve: {message}");
            return ExitCode::from(2);
        }
    };
    match run(config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mtls-check serve: {error}");
            ExitCode::from(2)
        }
    }
}

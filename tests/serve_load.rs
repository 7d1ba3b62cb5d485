//! Load and fault test of `mtls-check serve`: a bounded burst of TLS
//! handshakes from concurrent rustls clients, half of them with a client
//! certificate the truststore does not know. Every accepted client must get
//! its identity in the echo, every refused one the `unknown_ca` alert, no
//! handshake may hang, and the server's resident memory must stay flat.
//!
//! The ignored `bench_handshakes_per_second` measures throughput for
//! docs/benchmarks.md (`make bench-serve`); nothing here asserts a speed.

#![cfg(feature = "server")]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{repo_root, FIXTURE_TIME};
use mtls_check::server::serve::crypto_provider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{AlertDescription, ClientConfig, RootCertStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// Handshakes in the burst.
const HANDSHAKES: usize = 2_000;
/// Concurrent clients.
const CLIENTS: usize = 32;
/// Handshakes before the first memory reading, so lazy allocations are done.
const WARM_UP: usize = 200;
/// Hang guard for one handshake and its request; not a speed limit.
const PER_CONNECTION_TIMEOUT: Duration = Duration::from_secs(60);
/// Bound of the whole burst.
const BURST_TIMEOUT: Duration = Duration::from_secs(600);
/// Allowed growth of the server's resident memory after the warm-up.
const MAX_RSS_GROWTH_KIB: u64 = 64 * 1024;

fn serve_fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/serve")
        .join(name)
        .display()
        .to_string()
}

/// The server process, killed on drop if still running.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtls-check"))
            .args([
                "serve",
                "--truststore",
                &serve_fixture("client-truststore.pem"),
                "--cert",
                &serve_fixture("server.pem"),
                "--key",
                &serve_fixture("server.key"),
                "--listen",
                "127.0.0.1:0",
                "--at",
                FIXTURE_TIME,
            ])
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mtls-check serve starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server prints its address in time");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server { child, port }
    }

    /// Resident set size of the server process in KiB, from /proc.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status is readable");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .expect("VmRSS is listed")
    }

    fn stop(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status.code(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => return None,
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn client_config(client: &str) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    let server_ca =
        CertificateDer::from_pem_file(serve_fixture("server-ca.pem")).expect("server-ca.pem reads");
    roots.add(server_ca).expect("the server CA is usable");
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(serve_fixture(&format!("{client}.pem")))
            .expect("the client certificate reads")
            .collect::<Result<_, _>>()
            .expect("the client certificate is PEM");
    let key = PrivateKeyDer::from_pem_file(serve_fixture(&format!("{client}.key")))
        .expect("the client key reads");
    let config = ClientConfig::builder_with_provider(Arc::new(crypto_provider()))
        .with_safe_default_protocol_versions()
        .expect("the provider supports the default versions")
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)
        .expect("the client certificate and key match");
    Arc::new(config)
}

/// What one connection ended with.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Status 200 and the client's subject in the echo.
    Identified,
    /// The server refused the certificate with `unknown_ca`.
    RefusedUnknownCa,
    /// Anything else, with a description.
    Unexpected(String),
}

fn alert_in(error: &std::io::Error) -> Option<AlertDescription> {
    match error.get_ref()?.downcast_ref::<rustls::Error>()? {
        rustls::Error::AlertReceived(alert) => Some(*alert),
        _ => None,
    }
}

/// Connects, does the handshake and one request, and classifies the result.
async fn one_connection(port: u16, connector: TlsConnector) -> Outcome {
    let stream = match TcpStream::connect(("127.0.0.1", port)).await {
        Ok(stream) => stream,
        Err(error) => return Outcome::Unexpected(format!("connect: {error}")),
    };
    let server_name = ServerName::try_from("localhost").expect("a valid name");
    let mut tls = match connector.connect(server_name, stream).await {
        Ok(tls) => tls,
        Err(error) => {
            return match alert_in(&error) {
                Some(AlertDescription::UnknownCA) => Outcome::RefusedUnknownCa,
                _ => Outcome::Unexpected(format!("handshake: {error}")),
            }
        }
    };

    let request = b"GET /whoami HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if let Err(error) = tls.write_all(request).await {
        return match alert_in(&error) {
            Some(AlertDescription::UnknownCA) => Outcome::RefusedUnknownCa,
            _ => Outcome::Unexpected(format!("write: {error}")),
        };
    }
    let mut response = Vec::new();
    let read = tls.read_to_end(&mut response).await;
    if let Err(error) = &read {
        if alert_in(error) == Some(AlertDescription::UnknownCA) {
            return Outcome::RefusedUnknownCa;
        }
        // A peer that closes without close_notify still delivered the response.
        if response.is_empty() {
            return Outcome::Unexpected(format!("read: {error}"));
        }
    }
    let text = String::from_utf8_lossy(&response);
    if text.starts_with("HTTP/1.1 200")
        && text.contains("\"subjectDN\":\"O=Example,CN=serve-client\"")
    {
        Outcome::Identified
    } else {
        Outcome::Unexpected(format!(
            "response: {}",
            text.chars().take(200).collect::<String>()
        ))
    }
}

/// Tallies of one burst.
#[derive(Debug, Default)]
struct Tally {
    identified: usize,
    refused: usize,
    unexpected: Vec<String>,
    timed_out: usize,
    elapsed: Duration,
}

/// Runs `count` connections from `clients` concurrent tasks; every
/// `refused_every`-th connection (when set) uses the unknown client certificate.
async fn burst(port: u16, count: usize, clients: usize, refused_every: Option<usize>) -> Tally {
    let accepted = TlsConnector::from(client_config("client"));
    let refused = TlsConnector::from(client_config("unknown-client"));
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..clients {
        let next = Arc::clone(&next);
        let accepted = accepted.clone();
        let refused = refused.clone();
        tasks.spawn(async move {
            let mut outcomes = Vec::new();
            loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if index >= count {
                    break;
                }
                let use_refused = refused_every.is_some_and(|every| index % every == 0);
                let connector = if use_refused {
                    refused.clone()
                } else {
                    accepted.clone()
                };
                let outcome =
                    tokio::time::timeout(PER_CONNECTION_TIMEOUT, one_connection(port, connector))
                        .await;
                outcomes.push((use_refused, outcome));
            }
            outcomes
        });
    }

    let mut tally = Tally::default();
    while let Some(joined) = tasks.join_next().await {
        for (use_refused, outcome) in joined.expect("a client task finished") {
            match (use_refused, outcome) {
                (_, Err(_)) => tally.timed_out += 1,
                (false, Ok(Outcome::Identified)) => tally.identified += 1,
                (true, Ok(Outcome::RefusedUnknownCa)) => tally.refused += 1,
                (expected_refusal, Ok(other)) => tally.unexpected.push(format!(
                    "refused client: {expected_refusal}, outcome: {other:?}"
                )),
            }
        }
    }
    tally.elapsed = started.elapsed();
    tally
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

#[test]
fn burst_of_handshakes_keeps_every_answer_and_memory_flat() {
    let server = Server::start();
    let runtime = runtime();

    let warm_up = runtime.block_on(burst(server.port, WARM_UP, CLIENTS, Some(2)));
    assert!(warm_up.unexpected.is_empty(), "{:?}", warm_up.unexpected);
    let rss_before = server.rss_kib();

    let tally = runtime
        .block_on(async {
            tokio::time::timeout(
                BURST_TIMEOUT,
                burst(server.port, HANDSHAKES, CLIENTS, Some(2)),
            )
            .await
        })
        .expect("the burst finished within its bound");
    let rss_after = server.rss_kib();
    let exit_code = server.stop();

    assert_eq!(tally.timed_out, 0, "connections hung");
    assert!(tally.unexpected.is_empty(), "{:?}", tally.unexpected);
    assert_eq!(tally.identified, HANDSHAKES / 2);
    assert_eq!(tally.refused, HANDSHAKES / 2);
    let growth = rss_after.saturating_sub(rss_before);
    assert!(
        growth < MAX_RSS_GROWTH_KIB,
        "resident memory grew by {growth} KiB ({rss_before} KiB to {rss_after} KiB)"
    );
    assert_eq!(exit_code, Some(0));
    eprintln!(
        "burst: {HANDSHAKES} connections in {:.2} s, RSS {rss_before} KiB to {rss_after} KiB",
        tally.elapsed.as_secs_f64()
    );
}

/// Runs several bursts and prints the median handshakes per second.
/// `make bench-serve` runs it in a release build.
#[test]
#[ignore = "a measurement, not a test; run with make bench-serve"]
fn bench_handshakes_per_second() {
    const RUNS: usize = 5;
    let server = Server::start();
    let runtime = runtime();
    runtime.block_on(burst(server.port, WARM_UP, CLIENTS, None));

    for (label, refused_every) in [("accepted only", None), ("half refused", Some(2))] {
        let mut rates: Vec<f64> = (0..RUNS)
            .map(|_| {
                let tally =
                    runtime.block_on(burst(server.port, HANDSHAKES, CLIENTS, refused_every));
                assert!(tally.unexpected.is_empty(), "{:?}", tally.unexpected);
                assert_eq!(tally.timed_out, 0);
                HANDSHAKES as f64 / tally.elapsed.as_secs_f64()
            })
            .collect();
        rates.sort_by(|a, b| a.total_cmp(b));
        let median = rates[RUNS / 2];
        let listed: Vec<String> = rates.iter().map(|rate| format!("{rate:.0}")).collect();
        println!(
            "bench-serve: {label}: median {median:.0} handshakes/s over {RUNS} runs of {HANDSHAKES} ({CLIENTS} clients); runs: {}",
            listed.join(", ")
        );
    }
    server.stop();
}

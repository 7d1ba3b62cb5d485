//! `mtls-check serve` driven by real TLS clients (curl and openssl s_client)
//! on 127.0.0.1. The tests cover the echo event for an accepted client, the
//! handshake failure or 403 and the logged reason for a refused one, the
//! profile's TLS versions and CA names, forwarding to an upstream, and a
//! clean stop on SIGINT. Client checks run at the fixtures' pinned time.

#![cfg(feature = "server")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{repo_root, FIXTURE_TIME};
use serde_json::Value;

/// Maximum wait for the server to print its address or to exit.
const START_STOP_TIMEOUT: Duration = Duration::from_secs(30);

fn serve_fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/serve")
        .join(name)
        .display()
        .to_string()
}

/// A running `mtls-check serve` process, killed on drop if still running.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let log = std::env::temp_dir().join(format!(
            "mtls-check-serve-{}-{}.log",
            std::process::id(),
            rand_suffix()
        ));
        let log_file = std::fs::File::create(&log).expect("the log file is writable");
        let mut args = vec![
            "serve".to_string(),
            "--truststore".into(),
            serve_fixture("client-truststore.pem"),
            "--cert".into(),
            serve_fixture("server.pem"),
            "--key".into(),
            serve_fixture("server.key"),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--at".into(),
            FIXTURE_TIME.into(),
        ];
        args.extend(extra.iter().map(|arg| arg.to_string()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_mtls-check"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
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
            .recv_timeout(START_STOP_TIMEOUT)
            .expect("the server prints its address in time");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in the first line {line:?}"));
        Server { child, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// Sends SIGINT, waits for the exit and returns (exit code, log).
    fn stop(mut self) -> (Option<i32>, String) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        assert!(
            sent.is_ok_and(|status| status.success()),
            "kill -INT {pid} failed"
        );
        let deadline = Instant::now() + START_STOP_TIMEOUT;
        let code = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status.code(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => break None,
            }
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        (code, log)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_nanos())
        .unwrap_or(0)
}

/// Runs curl with the client certificate `client` (a name in tests/fixtures/serve).
fn curl(server: &Server, client: &str, path: &str, extra: &[&str]) -> Output {
    let mut command = Command::new("curl");
    command.args([
        "--silent",
        "--show-error",
        "--max-time",
        "20",
        "--cert",
        &serve_fixture(&format!("{client}.pem")),
        "--key",
        &serve_fixture(&format!("{client}.key")),
        "--cacert",
        &serve_fixture("server-ca.pem"),
        "--write-out",
        "\n%{http_code}",
    ]);
    command.args(extra);
    command.arg(server.url(path));
    command.output().expect("curl runs")
}

/// Splits curl's output into (body, status code).
fn body_and_status(output: &Output) -> (String, String) {
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    match text.rsplit_once('\n') {
        Some((body, status)) => (body.to_string(), status.to_string()),
        None => (String::new(), text),
    }
}

#[test]
fn accepted_client_gets_rest_echo_event() {
    let server = Server::start(&[]);
    let output = curl(&server, "client", "/orders/7?id=7", &[]);
    let (body, status) = body_and_status(&output);
    let (code, log) = server.stop();

    assert!(
        output.status.success(),
        "curl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(status, "200");
    let event: Value = serde_json::from_str(&body).expect("the echo is JSON");
    let client_cert = &event["requestContext"]["identity"]["clientCert"];
    assert_eq!(client_cert["subjectDN"], "O=Example,CN=serve-client");
    assert_eq!(
        client_cert["issuerDN"],
        "O=Example,CN=mtls-check Test Client CA"
    );
    assert_eq!(
        client_cert["validity"]["notAfter"],
        "Jan  1 00:00:00 2050 GMT"
    );
    assert!(client_cert["clientCertPem"]
        .as_str()
        .is_some_and(|pem| pem.starts_with("-----BEGIN CERTIFICATE-----\n")));
    assert_eq!(event["path"], "/orders/7");
    assert_eq!(event["queryStringParameters"]["id"], "7");
    assert_eq!(code, Some(0), "log:\n{log}");
    assert!(log.contains("request served"), "log:\n{log}");
}

#[test]
fn http_profile_echoes_payload_v2() {
    let server = Server::start(&["--profile", "apigw-http"]);
    let output = curl(&server, "client", "/", &[]);
    let (body, status) = body_and_status(&output);
    let (code, _) = server.stop();

    assert_eq!(status, "200");
    let event: Value = serde_json::from_str(&body).expect("the echo is JSON");
    assert_eq!(event["version"], "2.0");
    assert_eq!(
        event["requestContext"]["authentication"]["clientCert"]["subjectDN"],
        "O=Example,CN=serve-client"
    );
    assert_eq!(code, Some(0));
}

#[test]
fn unknown_issuer_fails_handshake_with_unknown_ca() {
    let server = Server::start(&[]);
    let output = curl(&server, "unknown-client", "/", &[]);
    let (code, log) = server.stop();

    let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
    assert!(!output.status.success());
    assert!(stderr.contains("unknown ca"), "curl stderr: {stderr}");
    assert!(
        log.contains("Access denied. Reason: Could not find issuer for certificate"),
        "log:\n{log}"
    );
    assert!(log.contains("chain.unknown-issuer"), "log:\n{log}");
    assert!(log.contains("unknown_ca"), "log:\n{log}");
    assert_eq!(code, Some(0));
}

#[test]
fn refusal_lines_name_the_peer() {
    let server = Server::start(&[]);
    let _ = curl(&server, "unknown-client", "/", &[]);
    let _ = curl(&server, "expired-client", "/", &[]);
    let _ = curl_without_certificate(&server, &[]);
    let (_, log) = server.stop();

    let refusals: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("refusal="))
        .collect();
    assert_eq!(refusals.len(), 3, "log:\n{log}");
    for line in refusals {
        assert!(line.contains("peer=127.0.0.1:"), "{line}");
    }
}

/// Runs curl without a client certificate, with extra arguments such as the TLS version.
fn curl_without_certificate(server: &Server, extra: &[&str]) -> Output {
    Command::new("curl")
        .args([
            "--silent",
            "--show-error",
            "--max-time",
            "20",
            "--cacert",
            &serve_fixture("server-ca.pem"),
        ])
        .args(extra)
        .arg(server.url("/"))
        .output()
        .expect("curl runs")
}

#[test]
fn client_without_certificate_is_refused() {
    let server = Server::start(&[]);
    let output = curl_without_certificate(&server, &[]);
    let (code, log) = server.stop();

    assert!(!output.status.success());
    assert!(
        log.contains("the client sent no certificate"),
        "log:\n{log}"
    );
    assert!(log.contains("input.no-certificate"), "log:\n{log}");
    assert_eq!(code, Some(0));
}

#[test]
fn missing_certificate_under_tls12_gets_handshake_failure() {
    let server = Server::start(&[]);
    let output = curl_without_certificate(&server, &["--tlsv1.2", "--tls-max", "1.2"]);
    let (_, log) = server.stop();

    let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
    assert!(
        stderr.contains("handshake failure"),
        "curl stderr: {stderr}"
    );
    assert!(
        !stderr.contains("certificate required"),
        "curl stderr: {stderr}"
    );
    assert!(log.contains("refusal=\"handshake_failure\""), "log:\n{log}");
    assert!(log.contains("peer=127.0.0.1:"), "log:\n{log}");
}

#[test]
fn missing_certificate_under_tls13_gets_certificate_required() {
    let server = Server::start(&["--profile", "alb"]);
    let output = curl_without_certificate(&server, &["--tlsv1.3"]);
    let (_, log) = server.stop();

    let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
    assert!(
        stderr.contains("certificate required"),
        "curl stderr: {stderr}"
    );
    assert!(
        log.contains("refusal=\"certificate_required\""),
        "log:\n{log}"
    );
}

#[test]
fn expired_client_fails_handshake() {
    let server = Server::start(&[]);
    let output = curl(&server, "expired-client", "/", &[]);
    let (code, log) = server.stop();

    assert!(!output.status.success());
    assert!(log.contains("Access denied. Reason: "), "log:\n{log}");
    assert!(log.contains("cert.expired"), "log:\n{log}");
    assert!(log.contains("certificate_expired"), "log:\n{log}");
    assert_eq!(code, Some(0));
}

#[test]
fn refused_client_gets_403_when_asked() {
    let server = Server::start(&["--deny-with", "403"]);
    let output = curl(&server, "expired-client", "/", &[]);
    let (body, status) = body_and_status(&output);
    let accepted = curl(&server, "client", "/", &[]);
    let (_, accepted_status) = body_and_status(&accepted);
    let (code, log) = server.stop();

    assert_eq!(status, "403");
    assert_eq!(body, "{\"message\":\"Forbidden\"}");
    assert_eq!(accepted_status, "200");
    assert!(log.contains("cert.expired"), "log:\n{log}");
    assert!(log.contains("status=403"), "log:\n{log}");
    assert_eq!(code, Some(0));
}

#[test]
fn api_gateway_profile_refuses_tls13() {
    let server = Server::start(&[]);
    let tls13 = curl(&server, "client", "/", &["--tlsv1.3"]);
    let tls12 = curl(&server, "client", "/", &["--tlsv1.2", "--tls-max", "1.2"]);
    server.stop();

    assert!(!tls13.status.success(), "TLS 1.3 was accepted");
    assert_eq!(body_and_status(&tls12).1, "200");
}

#[test]
fn alb_profile_accepts_tls13() {
    let server = Server::start(&["--profile", "alb"]);
    let tls13 = curl(&server, "client", "/", &["--tlsv1.3"]);
    server.stop();

    assert_eq!(body_and_status(&tls13).1, "200");
}

/// Runs `openssl s_client` against the server and returns its output.
fn s_client(server: &Server) -> String {
    let output = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", server.port),
            "-CAfile",
            &serve_fixture("server-ca.pem"),
            "-cert",
            &serve_fixture("client.pem"),
            "-key",
            &serve_fixture("client.key"),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("openssl runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn ca_names_are_advertised_only_when_asked() {
    let advertising = Server::start(&["--profile", "alb", "--advertise-ca-names"]);
    let with_names = s_client(&advertising);
    advertising.stop();
    let silent = Server::start(&["--profile", "alb"]);
    let without_names = s_client(&silent);
    silent.stop();

    assert!(
        with_names.contains("Acceptable client certificate CA names")
            && with_names.contains("mtls-check Test Client CA"),
        "{with_names}"
    );
    assert!(
        without_names.contains("No client certificate CA names sent"),
        "{without_names}"
    );
}

#[test]
fn ca_names_need_a_profile_switch() {
    let output = Command::new(env!("CARGO_BIN_EXE_mtls-check"))
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
            "--advertise-ca-names",
        ])
        .output()
        .expect("mtls-check runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("AdvertiseTrustStoreCaNames"));
}

#[test]
fn non_loopback_listen_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_mtls-check"))
        .args([
            "serve",
            "--truststore",
            &serve_fixture("client-truststore.pem"),
            "--cert",
            &serve_fixture("server.pem"),
            "--key",
            &serve_fixture("server.key"),
            "--listen",
            "0.0.0.0:0",
        ])
        .output()
        .expect("mtls-check runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("--allow-non-loopback"), "{stderr}");
}

#[test]
fn mismatched_key_names_both_files() {
    let cert = serve_fixture("server.pem");
    let key = serve_fixture("client.key");
    let output = Command::new(env!("CARGO_BIN_EXE_mtls-check"))
        .args([
            "serve",
            "--truststore",
            &serve_fixture("client-truststore.pem"),
            "--cert",
            &cert,
            "--key",
            &key,
            "--listen",
            "127.0.0.1:0",
        ])
        .output()
        .expect("mtls-check runs");
    let stderr = String::from_utf8_lossy(&output.stderr);

    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the private key in {key} does not match the certificate in {cert}"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("KeyMismatch"), "{stderr}");
}

/// Starts a one-request HTTP upstream that responds with the request head it received.
fn start_upstream() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("the upstream binds");
    let port = listener.local_addr().expect("a local address").port();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte) {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
        let text = String::from_utf8_lossy(&head).into_owned();
        let body = "upstream saw the request";
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = sender.send(text);
    });
    (port, receiver)
}

#[test]
fn alb_upstream_gets_verify_mode_headers() {
    let (upstream_port, received) = start_upstream();
    let upstream = format!("http://127.0.0.1:{upstream_port}/base");
    let server = Server::start(&["--profile", "alb", "--upstream", &upstream]);
    let output = curl(
        &server,
        "client",
        "/items",
        &["--header", "X-Amzn-Mtls-Clientcert-Subject: CN=spoofed"],
    );
    let (body, status) = body_and_status(&output);
    let (code, _) = server.stop();
    let head = received
        .recv_timeout(Duration::from_secs(20))
        .expect("the upstream got a request");

    assert_eq!(status, "200");
    assert_eq!(body, "upstream saw the request");
    assert!(head.starts_with("GET /base/items HTTP/1.1"), "{head}");
    assert!(!head.contains("CN=spoofed"), "{head}");
    let header_lines: String = head
        .lines()
        .filter(|line| {
            line.to_ascii_lowercase()
                .starts_with("x-amzn-mtls-clientcert")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let decoded = mtls_check::forwarded::decode(header_lines.as_bytes());
    assert!(decoded.damage.is_empty(), "{:?}", decoded.damage);
    assert_eq!(decoded.certificates.len(), 1);
    assert_eq!(decoded.claims.len(), 5, "{head}");
    let leaf = mtls_check::x509::Certificate::from_der(&decoded.certificates[0].der)
        .expect("the forwarded leaf parses");
    assert_eq!(leaf.subject.rfc4514, "CN=serve-client,O=Example");
    for claim in &decoded.claims {
        assert_eq!(
            mtls_check::forwarded::metadata::compare(claim, &leaf),
            mtls_check::forwarded::metadata::Comparison::Matches,
            "{claim:?}"
        );
    }
    assert_eq!(code, Some(0));
}

#[test]
fn api_gateway_upstream_gets_client_cert_json() {
    let (upstream_port, received) = start_upstream();
    let upstream = format!("http://127.0.0.1:{upstream_port}");
    let server = Server::start(&["--upstream", &upstream]);
    let output = curl(&server, "client", "/", &[]);
    server.stop();
    let head = received
        .recv_timeout(Duration::from_secs(20))
        .expect("the upstream got a request");

    assert_eq!(body_and_status(&output).1, "200");
    let value = head
        .lines()
        .find_map(|line| line.strip_prefix("x-mtls-check-client-cert: "))
        .expect("the clientCert header is present");
    let client_cert: Value = serde_json::from_str(value).expect("the header is JSON");
    assert_eq!(client_cert["subjectDN"], "O=Example,CN=serve-client");
}

//! mtls-check: checks mTLS client chains, truststores and CSRs the way
//! managed gateways (API Gateway, ALB, CloudFront, Cloudflare) do, with the
//! same code natively and in WebAssembly.
//!
//! Four operations share one report type: [`verify_chain`], [`lint_truststore`],
//! [`inspect_csr`] and [`inspect`]. Each takes its inputs as bytes (PEM, DER,
//! bare base64 or URL-encoded PEM) and [`Options`], and never panics on bad input.

pub mod authorize;
pub mod chain;
pub mod crl;
pub mod crypto;
pub mod fix;
pub mod forwarded;
pub mod input;
pub mod limits;
pub mod profile;
pub mod report;
pub mod rules;
pub mod x509;

#[cfg(all(feature = "server", not(target_arch = "wasm32")))]
pub mod server;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use authorize::{authorize, Authorization, AuthorizeError, Policy};
pub use chain::Usage;
pub use fix::{fix_truststore, FixedTruststore};
pub use report::{Report, Severity, Verdict};

use report::{BundleFacts, Command, Finding, Tool};
use rules::finding;
use x509::load::{load, Expect, InputSeverity};

/// Options shared by every operation.
#[derive(Debug, Clone)]
pub struct Options {
    /// Profile name; see [`profile::PROFILE_NAMES`].
    pub profile: String,
    pub usage: Usage,
    /// DNS name or IP address the leaf must be valid for (server usage).
    pub peer_name: Option<String>,
    /// Check time in Unix seconds. The library never reads a clock.
    pub at: i64,
    /// Further names the leaf must be valid for: RFC 822 addresses (`user@host`)
    /// are matched against its rfc822Name SANs, other names like `peer_name`.
    pub peer_names: Vec<String>,
    /// Maximum number of intermediates between the leaf and its trust anchor.
    pub max_intermediates: Option<usize>,
    /// keyUsage bits the leaf must assert, by RFC 5280 name (`digitalSignature`, ...).
    pub key_usage: Vec<String>,
    /// Accept an expired client certificate as the gateway's expiry switch
    /// does (ALB, CloudFront); other profiles reject the option.
    pub ignore_client_expiry: bool,
    /// Days before notAfter at which `cert.expiring-soon` warns; `None` keeps the profile's 30.
    pub warn_days: Option<i64>,
    /// CRLs (PEM or DER, one file each) for verify and lint; empty by default.
    pub crls: Vec<Vec<u8>>,
}

/// Largest `warn_days` accepted: a century.
const MAX_WARN_DAYS: i64 = 36_500;

/// An options error that stops an operation before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionsError {
    UnknownProfile(String),
    InvalidTime(String),
    InvalidUsage(String),
    /// The profile's gateway has no switch to accept expired client certificates.
    ExpiryOverrideUnsupported(String),
    InvalidWarnDays(i64),
    /// The peer name (`--peer-name`, `peerName` in JS) is neither a DNS name nor an IP address.
    InvalidPeerName(String),
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionsError::UnknownProfile(name) => write!(
                f,
                "unknown profile {name:?}; use one of: {}",
                profile::PROFILE_NAMES.join(", ")
            ),
            OptionsError::InvalidTime(text) => write!(
                f,
                "invalid check time {text:?}; use RFC 3339, for example 2030-06-15T12:00:00Z"
            ),
            OptionsError::InvalidUsage(text) => {
                write!(f, "invalid usage {text:?}; use client or server")
            }
            OptionsError::ExpiryOverrideUnsupported(name) => write!(
                f,
                "profile {name:?} has no option to accept expired client certificates; \
                 --ignore-client-expiry applies to {}",
                profile::PROFILE_NAMES
                    .iter()
                    .filter_map(|n| profile::by_name(n))
                    .filter(|p| p.client_expiry_override.value.is_some())
                    .map(|p| p.name)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            OptionsError::InvalidWarnDays(days) => write!(
                f,
                "invalid warning window {days} days; use a number of days from 0 to 36500"
            ),
            OptionsError::InvalidPeerName(name) => write!(
                f,
                "invalid peer name {name:?} (--peer-name, peerName in JS); \
                 use a DNS name such as api.example.com or an IP address such as 192.0.2.1"
            ),
        }
    }
}

impl std::error::Error for OptionsError {}

/// Parses an RFC 3339 time into Unix seconds.
pub fn parse_time(text: &str) -> Result<i64, OptionsError> {
    time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| OptionsError::InvalidTime(text.to_string()))
}

/// Parses a usage name.
pub fn parse_usage(text: &str) -> Result<Usage, OptionsError> {
    match text {
        "client" => Ok(Usage::Client),
        "server" => Ok(Usage::Server),
        other => Err(OptionsError::InvalidUsage(other.to_string())),
    }
}

impl Options {
    /// Options for `profile` at `at` (Unix seconds), client usage.
    pub fn new(profile: &str, at: i64) -> Options {
        Options {
            profile: profile.to_string(),
            usage: Usage::Client,
            peer_name: None,
            at,
            peer_names: Vec::new(),
            max_intermediates: None,
            key_usage: Vec::new(),
            ignore_client_expiry: false,
            warn_days: None,
            crls: Vec::new(),
        }
    }

    /// Looks up the profile and applies the options that tune it.
    fn resolve_profile(&self) -> Result<profile::Profile, OptionsError> {
        let mut resolved = profile::by_name(&self.profile)
            .ok_or_else(|| OptionsError::UnknownProfile(self.profile.clone()))?;
        if self.ignore_client_expiry {
            if resolved.client_expiry_override.value.is_none() {
                return Err(OptionsError::ExpiryOverrideUnsupported(
                    self.profile.clone(),
                ));
            }
            resolved.ignore_client_expiry = true;
        }
        if let Some(days) = self.warn_days {
            if !(0..=MAX_WARN_DAYS).contains(&days) {
                return Err(OptionsError::InvalidWarnDays(days));
            }
            resolved.expiry_warning_days = days;
        }
        if let Some(name) = &self.peer_name {
            if !chain::is_valid_peer_name(name) {
                return Err(OptionsError::InvalidPeerName(name.clone()));
            }
        }
        Ok(resolved)
    }
}

fn new_report(command: Command, options: &Options) -> Report {
    Report {
        tool: Tool::default(),
        command,
        profile: options.profile.clone(),
        checked_at: x509::format_time(options.at),
        verdict: Verdict::Pass,
        findings: Vec::new(),
        items: Vec::new(),
        path: None,
        anchors: None,
        graph: None,
        bundle: None,
        forecast: None,
        csr: None,
        certificates: None,
        forwarded: None,
        unusable: false,
    }
}

fn no_certificate(source: &str, what: &str) -> Finding {
    finding(
        "input.no-certificate",
        Severity::Error,
        format!("{source} holds no usable {what}"),
        None,
        None,
        "Pass a file with PEM (-----BEGIN CERTIFICATE-----), DER or base64 content.",
    )
}

fn no_certificate_request(source: &str) -> Finding {
    finding(
        "input.no-certificate",
        Severity::Error,
        format!("{source} holds no usable certificate request"),
        None,
        None,
        "Pass a PKCS#10 certificate request: PEM (-----BEGIN CERTIFICATE REQUEST-----), DER or base64 content.",
    )
}

/// Reads `options.crls`, adds their items and findings to `report` and
/// returns the CRLs that passed their checks.
fn load_crls(
    options: &Options,
    issuers: Vec<&x509::load::LoadedCertificate>,
    profile: &profile::Profile,
    severity: InputSeverity,
    report: &mut Report,
) -> Vec<crl::UsableCrl> {
    if options.crls.is_empty() {
        return Vec::new();
    }
    let context = crl::CrlContext {
        issuers,
        profile,
        at: options.at,
        severity,
    };
    let loaded = crl::load_crls(&options.crls, &context, &mut report.items);
    report.findings.extend(loaded.findings);
    loaded.usable
}

/// Verifies a client chain (leaf first, then the intermediates the client
/// sends) against a truststore under the profile.
pub fn verify_chain(
    chain: &[u8],
    truststore: &[u8],
    options: &Options,
) -> Result<Report, OptionsError> {
    verify_chain_named(chain, "chain", truststore, "truststore", options)
}

/// [`verify_chain`] with the input names that item origins should carry.
pub fn verify_chain_named(
    chain: &[u8],
    chain_source: &str,
    truststore: &[u8],
    truststore_source: &str,
    options: &Options,
) -> Result<Report, OptionsError> {
    let profile = options.resolve_profile()?;
    let mut report = new_report(Command::Verify, options);

    let presented = load(
        chain,
        chain_source,
        "presented",
        Expect::Certificates,
        InputSeverity::Advisory,
        &mut report.items,
    );
    let trusted = load(
        truststore,
        truststore_source,
        "truststore",
        Expect::Certificates,
        InputSeverity::Advisory,
        &mut report.items,
    );
    report.findings.extend(presented.findings);
    report.findings.extend(trusted.findings);

    let Some((leaf, sent)) = presented.certificates.split_first() else {
        report
            .findings
            .push(no_certificate(chain_source, "client certificate"));
        report.verdict = Verdict::Deny;
        report.unusable = true;
        return Ok(report);
    };
    if let Some(item) = report.items.get_mut(leaf.item) {
        item.role = "leaf".into();
    }
    if trusted.certificates.is_empty() {
        report
            .findings
            .push(no_certificate(truststore_source, "CA certificate"));
        report.verdict = Verdict::Deny;
        report.unusable = true;
        return Ok(report);
    }

    let crl_issuers = trusted.certificates.iter().chain(sent).collect();
    let crls = load_crls(
        options,
        crl_issuers,
        &profile,
        InputSeverity::Advisory,
        &mut report,
    );
    let outcome = chain::verify_with_crls(
        leaf,
        sent,
        &trusted.certificates,
        &profile,
        options.usage,
        options.peer_name.as_deref(),
        options.at,
        &crls,
    );
    report.findings.extend(outcome.findings);
    report.verdict = outcome.verdict;
    if report.verdict == Verdict::Accept {
        let intermediates: Vec<&x509::Certificate> = outcome
            .path
            .certificates
            .iter()
            .filter(|entry| entry.role == "intermediate")
            .filter_map(|entry| {
                presented
                    .certificates
                    .iter()
                    .chain(&trusted.certificates)
                    .find(|loaded| loaded.item == entry.item)
                    .map(|loaded| &loaded.cert)
            })
            .collect();
        let unmet = chain::request::check_leaf_requests(leaf, &intermediates, options);
        if !unmet.is_empty() {
            report.findings.extend(unmet);
            report.verdict = Verdict::Deny;
        }
    }
    report.path = Some(outcome.path);
    Ok(report)
}

/// Lints a truststore (CA bundle) against the profile.
pub fn lint_truststore(truststore: &[u8], options: &Options) -> Result<Report, OptionsError> {
    lint_truststore_named(truststore, "truststore", options)
}

/// [`lint_truststore`] with the input name that item origins should carry.
pub fn lint_truststore_named(
    truststore: &[u8],
    source: &str,
    options: &Options,
) -> Result<Report, OptionsError> {
    let profile = options.resolve_profile()?;
    let mut report = new_report(Command::Lint, options);

    let loaded = load(
        truststore,
        source,
        "truststore",
        Expect::Certificates,
        InputSeverity::Strict,
        &mut report.items,
    );
    report.findings.extend(loaded.findings.iter().cloned());
    if loaded.certificates.is_empty() {
        report.findings.push(no_certificate(source, "certificate"));
        report.unusable = true;
    }

    let outcome = chain::lint::lint(
        &loaded.certificates,
        &loaded.other_blocks,
        &loaded.layout,
        source,
        &profile,
        options.at,
    );
    report.findings.extend(outcome.findings);
    report.forecast =
        chain::forecast::forecast(&loaded.certificates, &outcome.graph, &profile, options.at);
    let crls = load_crls(
        options,
        loaded.certificates.iter().collect(),
        &profile,
        InputSeverity::Strict,
        &mut report,
    );
    report
        .findings
        .extend(chain::revocation::revoked_truststore_members(
            &loaded.certificates,
            &crls,
            &profile,
        ));
    report.anchors = Some(outcome.anchors);
    report.graph = Some(outcome.graph);
    report.bundle = Some(BundleFacts {
        certificates: loaded.certificates.len(),
        bytes: truststore.len(),
    });
    report.verdict = Verdict::from_findings(&report.findings);
    Ok(report)
}

/// Inspects a PKCS#10 request: decodes it, verifies its self-signature and
/// judges whether a certificate issued from it would pass the profile.
pub fn inspect_csr(csr: &[u8], options: &Options) -> Result<Report, OptionsError> {
    inspect_csr_named(csr, "csr", options)
}

/// [`inspect_csr`] with the input name that item origins should carry.
pub fn inspect_csr_named(
    csr: &[u8],
    source: &str,
    options: &Options,
) -> Result<Report, OptionsError> {
    let profile = options.resolve_profile()?;
    let mut report = new_report(Command::Csr, options);

    let loaded = load(
        csr,
        source,
        "csr",
        Expect::Request,
        InputSeverity::Strict,
        &mut report.items,
    );
    report.findings.extend(loaded.findings);
    match loaded.requests.first() {
        None => {
            report.findings.push(no_certificate_request(source));
            report.unusable = true;
        }
        Some((item, request)) => {
            report
                .findings
                .extend(rules::csr::check(&rules::csr::CsrContext {
                    csr: request,
                    item: *item,
                    profile: &profile,
                }));
            report.csr = Some(x509::describe::csr(request));
        }
    }
    report.verdict = Verdict::from_findings(&report.findings);
    Ok(report)
}

/// Decodes every block of an input and describes each certificate in full,
/// like `openssl x509 -text` in structured form.
pub fn inspect(input: &[u8], options: &Options) -> Result<Report, OptionsError> {
    inspect_named(input, "input", options)
}

/// [`inspect`] with the input name that item origins should carry.
pub fn inspect_named(
    input: &[u8],
    source: &str,
    options: &Options,
) -> Result<Report, OptionsError> {
    let mut report = new_report(Command::Inspect, options);
    let loaded = load(
        input,
        source,
        "input",
        Expect::Certificates,
        InputSeverity::Advisory,
        &mut report.items,
    );
    report.findings.extend(loaded.findings);
    if loaded.certificates.is_empty() {
        report.findings.push(no_certificate(source, "certificate"));
        report.unusable = true;
    }
    report.certificates = Some(
        loaded
            .certificates
            .iter()
            .map(|c| x509::describe::certificate(c.item, &c.cert))
            .collect(),
    );
    report.verdict = Verdict::from_findings(&report.findings);
    Ok(report)
}

/// Decodes a forwarded client certificate (a Lambda event, header lines or
/// a header value), lists its certificates and compares the metadata sent
/// beside them. With a truststore, verifies them exactly like
/// [`verify_chain`], the first certificate as the leaf.
pub fn decode_forwarded(
    input: &[u8],
    truststore: Option<&[u8]>,
    options: &Options,
) -> Result<Report, OptionsError> {
    forwarded::report::build(input, truststore, options)
}

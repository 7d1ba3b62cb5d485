//! The mtls-check command line: verify a client chain, lint a truststore,
//! inspect a CSR or a certificate, under a gateway profile.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use mtls_check::report::text::{render, Colour};
use mtls_check::{parse_time, Options, Report, Usage};

/// Check mTLS client chains, truststores and CSRs the way managed gateways do.
///
/// Exit codes: 0 accept, pass or warn; 1 deny or fail; 2 unusable input or usage error.
#[derive(Parser)]
#[command(name = "mtls-check", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a client certificate chain against a truststore.
    Verify {
        /// File with the client certificate first, then the intermediates the client sends ('-' reads stdin).
        chain: PathBuf,
        /// The CA bundle the gateway trusts.
        #[arg(long)]
        truststore: PathBuf,
        /// Usage the leaf must be valid for.
        #[arg(long, value_enum, default_value_t = UsageArg::Client)]
        usage: UsageArg,
        /// DNS name or IP address the leaf must be valid for (with --usage server).
        #[arg(long)]
        peer_name: Option<String>,
        /// Accept an expired client certificate, as ALB's IgnoreClientCertificateExpiry and
        /// CloudFront's IgnoreCertificateExpiry do (alb and cloudfront profiles only).
        #[arg(long)]
        ignore_client_expiry: bool,
        /// CRL file, PEM or DER; repeat for several.
        #[arg(long = "crl", value_name = "FILE")]
        crls: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Lint a truststore (CA bundle) before uploading it.
    Lint {
        /// The CA bundle ('-' reads stdin).
        truststore: PathBuf,
        /// Days before expiry at which a certificate gets cert.expiring-soon.
        #[arg(long, value_name = "DAYS", default_value_t = mtls_check::profile::DEFAULT_WARN_DAYS)]
        warn_days: i64,
        /// Write a fixed truststore to --output: duplicates, leaf certificates, keys and
        /// other blocks removed, text normalized, CAs ordered root first.
        #[arg(long, requires = "output")]
        fix: bool,
        /// File the fixed truststore is written to (with --fix; '-' writes to stdout
        /// and sends the report to stderr).
        #[arg(short = 'o', long, value_name = "FILE", requires = "fix")]
        output: Option<PathBuf>,
        /// CRL file, PEM or DER; repeat for several.
        #[arg(long = "crl", value_name = "FILE")]
        crls: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Print every profile with each limit and its citation.
    Profiles {
        /// Output format: text is Markdown (docs/profiles.md is this output).
        #[arg(long, value_enum, default_value_t = ListingFormat::Text)]
        format: ListingFormat,
    },
    /// Decide on an API Gateway REQUEST authorizer event under a policy and
    /// print the authorizer response (exit 0 allow, 1 deny).
    Authorize {
        /// The event JSON ('-' reads stdin).
        event: PathBuf,
        /// Policy JSON: truststore, allowedIssuers, subjectPatterns, sanPatterns,
        /// fingerprints, deniedSerials, profile, at.
        #[arg(long)]
        policy: PathBuf,
        /// Check time, RFC 3339 (default: the policy's "at", else now).
        #[arg(long)]
        at: Option<String>,
        /// Output format; the response is always JSON.
        #[arg(long, value_enum, default_value_t = JsonOnly::Json)]
        format: JsonOnly,
    },
    /// Inspect a certificate signing request (PKCS#10).
    Csr {
        /// The request ('-' reads stdin).
        csr: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Print the rule registry: every finding code with its severity and source.
    Rules {
        /// Output format: text or json.
        #[arg(long, value_enum, default_value_t = ListingFormat::Text)]
        format: ListingFormat,
    },
    /// Decode a forwarded client certificate (Lambda event, header lines or a header value) and, with --truststore, verify it.
    Decode {
        /// File with the event JSON, `Name: value` header lines or a raw header value ('-' reads stdin).
        input: PathBuf,
        /// The CA bundle to verify the decoded certificates against.
        #[arg(long)]
        truststore: Option<PathBuf>,
        /// CRL file, PEM or DER; repeat for several (used with --truststore).
        #[arg(long = "crl", value_name = "FILE")]
        crls: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Show every field of each certificate in a file.
    Inspect {
        /// PEM, DER or base64 file ('-' reads stdin).
        file: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Run a local mutual TLS endpoint that accepts and refuses client
    /// certificates as the profile's gateway does (loopback only by default).
    #[cfg(feature = "server")]
    Serve(mtls_check::server::cli::ServeArgs),
}

#[derive(Args)]
struct Common {
    /// Gateway profile: apigw-rest, apigw-http, alb, cloudfront, cloudflare, rfc5280, webpki.
    #[arg(long, default_value = mtls_check::profile::DEFAULT_PROFILE)]
    profile: String,
    /// Check time, RFC 3339 (default: now).
    #[arg(long)]
    at: Option<String>,
    /// Output format: text, json or sarif (SARIF 2.1.0).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
}

/// Output formats of the listings (`profiles`, `rules`), which are no reports.
#[derive(Clone, Copy, ValueEnum)]
enum ListingFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum JsonOnly {
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum UsageArg {
    Client,
    Server,
}

/// Reports name inputs by role ("chain", "truststore", "csr", "input") rather than
/// by path, so the CLI and the JS API produce identical JSON for the same bytes.
/// Text output maps each role to its file.
///
/// Largest input file read; larger files are refused before reading them whole.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

fn read_input(path: &PathBuf) -> Result<(Vec<u8>, String), String> {
    let name = path.display().to_string();
    if name == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(format!(
                "standard input is larger than {MAX_FILE_BYTES} bytes; pass a smaller file"
            ));
        }
        return Ok((bytes, "stdin".into()));
    }
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    if metadata.is_dir() {
        return Err(format!("{name} is a directory; pass a file"));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{name} is {} bytes, more than the {MAX_FILE_BYTES}-byte limit",
            metadata.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok((bytes, name))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn options(common: &Common) -> Result<Options, String> {
    let at = match &common.at {
        Some(text) => parse_time(text).map_err(|e| e.to_string())?,
        None => now(),
    };
    Ok(Options::new(&common.profile, at))
}

/// Reads each `--crl` file into `opts.crls` and names it for text output.
fn read_crls(paths: &[PathBuf], opts: &mut Options) -> Result<Vec<(&'static str, String)>, String> {
    let mut files = Vec::new();
    for path in paths {
        let (bytes, name) = read_input(path)?;
        opts.crls.push(bytes);
        files.push(("crl", name));
    }
    Ok(files)
}

/// A report, its format, and which file each input name stands for.
type Outcome = (Report, Format, Vec<(&'static str, String)>);

fn run(cli: Cli) -> Result<Outcome, String> {
    match cli.command {
        Command::Verify {
            chain,
            truststore,
            usage,
            peer_name,
            ignore_client_expiry,
            crls,
            common,
        } => {
            let mut opts = options(&common)?;
            opts.ignore_client_expiry = ignore_client_expiry;
            opts.usage = match usage {
                UsageArg::Client => Usage::Client,
                UsageArg::Server => Usage::Server,
            };
            opts.peer_name = peer_name;
            let mut files = read_crls(&crls, &mut opts)?;
            let (chain_bytes, chain_name) = read_input(&chain)?;
            let (trust_bytes, trust_name) = read_input(&truststore)?;
            let report = mtls_check::verify_chain(&chain_bytes, &trust_bytes, &opts)
                .map_err(|e| e.to_string())?;
            files.splice(0..0, [("chain", chain_name), ("truststore", trust_name)]);
            Ok((report, common.format, files))
        }
        Command::Lint {
            truststore,
            warn_days,
            fix,
            output,
            crls,
            common,
        } => {
            let mut opts = options(&common)?;
            opts.warn_days = Some(warn_days);
            let mut files = read_crls(&crls, &mut opts)?;
            let (bytes, name) = read_input(&truststore)?;
            if let (true, Some(output)) = (fix, output) {
                let fixed = mtls_check::fix_truststore(&bytes, &opts).map_err(|e| e.to_string())?;
                write_output(&output, &fixed.truststore)?;
                files.insert(0, ("truststore", output.display().to_string()));
                return Ok((fixed.report, common.format, files));
            }
            let report = mtls_check::lint_truststore(&bytes, &opts).map_err(|e| e.to_string())?;
            files.insert(0, ("truststore", name));
            Ok((report, common.format, files))
        }
        Command::Profiles { .. } | Command::Authorize { .. } => {
            Err("internal error: this command does not produce a report".into())
        }
        Command::Csr { csr, common } => {
            let opts = options(&common)?;
            let (bytes, name) = read_input(&csr)?;
            let report = mtls_check::inspect_csr(&bytes, &opts).map_err(|e| e.to_string())?;
            Ok((report, common.format, vec![("csr", name)]))
        }
        Command::Rules { .. } => Err("the rules command prints no report".into()),
        #[cfg(feature = "server")]
        Command::Serve(_) => Err("internal error: serve does not produce a report".into()),
        Command::Decode {
            input,
            truststore,
            crls,
            common,
        } => {
            let mut opts = options(&common)?;
            let crl_files = read_crls(&crls, &mut opts)?;
            let (bytes, name) = read_input(&input)?;
            let mut files = vec![("forwarded", name)];
            let trust = match &truststore {
                Some(path) => {
                    let (trust_bytes, trust_name) = read_input(path)?;
                    files.push(("truststore", trust_name));
                    Some(trust_bytes)
                }
                None => None,
            };
            files.extend(crl_files);
            let report = mtls_check::decode_forwarded(&bytes, trust.as_deref(), &opts)
                .map_err(|e| e.to_string())?;
            Ok((report, common.format, files))
        }
        Command::Inspect { file, common } => {
            let opts = options(&common)?;
            let (bytes, name) = read_input(&file)?;
            let report = mtls_check::inspect(&bytes, &opts).map_err(|e| e.to_string())?;
            Ok((report, common.format, vec![("input", name)]))
        }
    }
}

/// Prints the rule registry (`mtls-check rules`).
fn print_rules(format: ListingFormat) -> ExitCode {
    let text = match format {
        ListingFormat::Text => mtls_check::rules::listing::text(),
        ListingFormat::Json => mtls_check::rules::listing::json() + "\n",
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// Writes the fixed truststore; '-' writes it to stdout.
fn write_output(path: &PathBuf, text: &str) -> Result<(), String> {
    if path.as_os_str() == "-" {
        return std::io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write to standard output: {e}"));
    }
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn print_profiles(format: ListingFormat) -> ExitCode {
    let listing = mtls_check::profile::details::all();
    let text = match format {
        ListingFormat::Text => mtls_check::profile::details::render_markdown(&listing),
        ListingFormat::Json => match serde_json::to_string_pretty(&listing) {
            Ok(json) => json + "\n",
            Err(e) => {
                eprintln!("mtls-check: cannot serialize the profiles: {e}");
                return ExitCode::from(2);
            }
        },
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn run_authorize(event: &PathBuf, policy: &PathBuf, at: Option<&str>) -> Result<ExitCode, String> {
    let (event_bytes, _) = read_input(event)?;
    let (policy_bytes, policy_name) = read_input(policy)?;
    let at = match at {
        Some(text) => parse_time(text).map_err(|e| e.to_string())?,
        None => now(),
    };
    let decision = mtls_check::authorize(&event_bytes, &policy_bytes, at)
        .map_err(|e| format!("{policy_name}: {e}"))?;
    let json = serde_json::to_string_pretty(&decision.response)
        .map_err(|e| format!("cannot serialize the response: {e}"))?;
    std::io::stdout()
        .lock()
        .write_all((json + "\n").as_bytes())
        .map_err(|e| format!("cannot write to standard output: {e}"))?;
    Ok(ExitCode::from(if decision.allowed { 0 } else { 1 }))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(feature = "server")]
    let cli = match cli.command {
        Command::Serve(args) => return mtls_check::server::cli::main(args),
        command => Cli { command },
    };
    match &cli.command {
        Command::Profiles { format } => return print_profiles(*format),
        Command::Rules { format } => return print_rules(*format),
        Command::Authorize {
            event, policy, at, ..
        } => {
            return run_authorize(event, policy, at.as_deref()).unwrap_or_else(|message| {
                eprintln!("mtls-check: {message}");
                ExitCode::from(2)
            })
        }
        _ => {}
    }
    let to_stderr =
        matches!(&cli.command, Command::Lint { output: Some(path), .. } if path.as_os_str() == "-");
    match run(cli) {
        Ok((report, format, files)) => {
            let text = match format {
                Format::Json => report.to_json() + "\n",
                Format::Sarif => mtls_check::report::sarif::render(&report, &files) + "\n",
                Format::Text => {
                    let colour = if std::io::stdout().is_terminal() {
                        Colour::Always
                    } else {
                        Colour::Never
                    };
                    let mut text: String = files
                        .iter()
                        .map(|(role, file)| format!("{role}: {file}\n"))
                        .collect();
                    text.push_str(&render(&report, colour));
                    text
                }
            };
            let written = if to_stderr {
                std::io::stderr().lock().write_all(text.as_bytes())
            } else {
                std::io::stdout().lock().write_all(text.as_bytes())
            };
            if written.is_err() {
                return ExitCode::from(2);
            }
            ExitCode::from(report.exit_code() as u8)
        }
        Err(message) => {
            eprintln!("mtls-check: {message}");
            ExitCode::from(2)
        }
    }
}

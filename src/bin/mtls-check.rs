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
        /// CRL file, PEM or DER; repeat for several.
        #[arg(long = "crl", value_name = "FILE")]
        crls: Vec<PathBuf>,
        #[command(flatten)]
        common: Common,
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
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
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
            crls,
            common,
        } => {
            let mut opts = options(&common)?;
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
            crls,
            common,
        } => {
            let mut opts = options(&common)?;
            let mut files = read_crls(&crls, &mut opts)?;
            let (bytes, name) = read_input(&truststore)?;
            let report = mtls_check::lint_truststore(&bytes, &opts).map_err(|e| e.to_string())?;
            files.insert(0, ("truststore", name));
            Ok((report, common.format, files))
        }
        Command::Csr { csr, common } => {
            let opts = options(&common)?;
            let (bytes, name) = read_input(&csr)?;
            let report = mtls_check::inspect_csr(&bytes, &opts).map_err(|e| e.to_string())?;
            Ok((report, common.format, vec![("csr", name)]))
        }
        Command::Rules { .. } => Err("the rules command prints no report".into()),
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
fn print_rules(format: Format) -> ExitCode {
    let text = match format {
        Format::Text => mtls_check::rules::listing::text(),
        Format::Json => mtls_check::rules::listing::json() + "\n",
        Format::Sarif => {
            eprintln!("mtls-check: the rules command prints text or json");
            return ExitCode::from(2);
        }
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Rules { format } = cli.command {
        return print_rules(format);
    }
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
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(text.as_bytes()).is_err() {
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

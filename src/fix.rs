//! The fixed truststore: rewrites a CA bundle into one the profile accepts,
//! with each change reported as a `fix.*` finding, then lints the result.
//!
//! Duplicates, leaf certificates, private keys, blocks of other kinds and
//! blocks that do not decode are dropped. The text is normalized to PEM with
//! 64-character lines, LF, no BOM, no blank lines, no text and no `#`
//! comments. CAs are ordered root first, each after its issuer. No
//! certificate is ever invented. A missing issuer, a weak key
//! or an expired CA without a renewal stays in the lint findings.
//!
//! An expired CA is removed only when the bundle also holds a valid
//! certificate with the same subject and key (its renewal), because then
//! every client that chains through the old one still chains through the
//! renewal. An expired CA with no renewal is kept: dropping it would not let
//! any client through, and the user must replace it with a renewed one.

use std::collections::HashSet;

use base64::Engine;

use crate::report::{Finding, Item, Severity, Verdict};
use crate::rules::finding;
use crate::x509::load::{load, Expect, InputSeverity, LoadedCertificate};
use crate::{lint_truststore_named, Options, OptionsError, Report};

/// A rewritten truststore and the lint report of the rewritten text. The
/// report's findings start with the `fix.*` findings that describe each change.
#[derive(Debug, Clone)]
pub struct FixedTruststore {
    pub truststore: String,
    pub report: Report,
}

/// PEM body line length (RFC 7468 section 2).
const PEM_LINE: usize = 64;

fn action(code: &str, message: String, subject: Option<String>, help: &str) -> Finding {
    finding(code, Severity::Info, message, subject, None, help)
}

fn block_name(item: &Item) -> String {
    format!(
        "block {} at line {}",
        item.origin.block + 1,
        item.origin.line
    )
}

/// Rewrites `truststore` so that the profile in `options` accepts it, as far
/// as removing, normalizing and reordering can.
pub fn fix_truststore(
    truststore: &[u8],
    options: &Options,
) -> Result<FixedTruststore, OptionsError> {
    let profile_name = options.profile.clone();
    let mut items = Vec::new();
    let loaded = load(
        truststore,
        "truststore",
        "truststore",
        Expect::Certificates,
        InputSeverity::Strict,
        &mut items,
    );
    let mut actions = removed_blocks(&items);

    let kept = keep_certificates(&loaded.certificates, options.at, &mut actions);
    let ordered = order_root_first(&kept);
    if ordered != (0..kept.len()).collect::<Vec<_>>() {
        actions.push(action(
            "fix.reordered",
            "ordered the CAs root first, each after the CA that issued it".into(),
            None,
            "Gateways read the bundle as a set; the order only helps people reviewing it.",
        ));
    }

    let text: String = ordered
        .iter()
        .filter_map(|&index| kept.get(index))
        .map(|loaded| pem(&loaded.cert.der))
        .collect();
    let layout = &loaded.layout;
    let stray = layout.stray.len() + layout.stray_omitted;
    let crlf = !matches!(
        layout.line_endings,
        crate::input::LineEndings::Lf | crate::input::LineEndings::None
    );
    if layout.bom || crlf || stray > 0 || layout.indented || layout.whitespace_in_body {
        let mut what = Vec::new();
        if layout.bom {
            what.push("removed the byte order mark".to_string());
        }
        if crlf {
            what.push("changed line ends to LF".to_string());
        }
        if stray > 0 {
            what.push(format!(
                "removed {stray} blank, comment or text line(s) outside the certificate blocks"
            ));
        }
        if layout.indented || layout.whitespace_in_body {
            what.push("re-wrapped the base64 bodies at 64 characters".to_string());
        }
        actions.push(action(
            "fix.normalized-format",
            what.join("; "),
            None,
            "ALB and CloudFront reject blank lines, text and comments with '-'; the rewritten file holds only certificate blocks.",
        ));
    }

    let mut report = lint_truststore_named(text.as_bytes(), "truststore", options)?;
    report.profile = profile_name;
    let mut findings = actions;
    findings.append(&mut report.findings);
    report.findings = findings;
    report.verdict = Verdict::from_findings(&report.findings);
    Ok(FixedTruststore {
        truststore: text,
        report,
    })
}

/// Reports every block that is not a certificate, without its content.
fn removed_blocks(items: &[Item]) -> Vec<Finding> {
    let mut actions = Vec::new();
    for item in items {
        let finding = match item.kind.as_str() {
            "private-key" => action(
                "fix.removed-private-key",
                format!("removed the private key in {}", block_name(item)),
                None,
                "A truststore holds only CA certificates; keep the key with its owner and consider it exposed if this file was shared.",
            ),
            "certificate" if !item.ok => action(
                "fix.removed-malformed",
                format!("removed {}, which does not decode as a certificate", block_name(item)),
                None,
                "If the certificate is needed, export it again from its source and add it back.",
            ),
            "certificate" => continue,
            kind => action(
                "fix.removed-non-certificate",
                format!(
                    "removed {} ({}), which is not a certificate",
                    block_name(item),
                    item.label.clone().unwrap_or_else(|| kind.to_string())
                ),
                None,
                "Upload CRLs and requests where the gateway takes them, not in the truststore.",
            ),
        };
        actions.push(finding);
    }
    actions
}

fn is_ca_like(loaded: &LoadedCertificate) -> bool {
    loaded.cert.is_ca() || (loaded.cert.version < 3 && loaded.cert.self_signed)
}

/// Drops duplicates, leaf certificates and expired CAs that have a renewal.
fn keep_certificates<'a>(
    certificates: &'a [LoadedCertificate],
    at: i64,
    actions: &mut Vec<Finding>,
) -> Vec<&'a LoadedCertificate> {
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let mut kept = Vec::new();
    for loaded in certificates {
        let cert = &loaded.cert;
        let subject = Some(cert.subject.rfc4514.clone());
        if !seen.insert(cert.der.as_slice()) {
            actions.push(action(
                "fix.removed-duplicate",
                format!("removed a second copy of {}", cert.label()),
                subject,
                "One copy of each CA is enough.",
            ));
            continue;
        }
        if !is_ca_like(loaded) {
            actions.push(action(
                "fix.removed-leaf-certificate",
                format!(
                    "removed {}, which is not a CA (no basicConstraints CA:TRUE)",
                    cert.label()
                ),
                subject,
                "A truststore lists the CAs that issue client certificates, not the client certificates.",
            ));
            continue;
        }
        if at > cert.not_after && has_renewal(loaded, certificates, at) {
            actions.push(action(
                "fix.removed-expired-ca",
                format!(
                    "removed the expired {}, because a valid certificate with the same subject and key is kept",
                    cert.label()
                ),
                subject,
                "Clients that chained through the expired CA chain through its renewal.",
            ));
            continue;
        }
        kept.push(loaded);
    }
    kept
}

fn has_renewal(old: &LoadedCertificate, certificates: &[LoadedCertificate], at: i64) -> bool {
    certificates.iter().any(|other| {
        other.cert.der != old.cert.der
            && other.cert.subject.der == old.cert.subject.der
            && other.cert.spki_der == old.cert.spki_der
            && other.cert.is_valid_at(at)
    })
}

/// Orders certificates root first, then each after its issuer; a certificate
/// whose issuer is not in the bundle comes after those, in input order.
fn order_root_first(certificates: &[&LoadedCertificate]) -> Vec<usize> {
    let issuer_of: Vec<Option<usize>> = certificates
        .iter()
        .enumerate()
        .map(|(index, loaded)| {
            if loaded.cert.self_signed {
                return None;
            }
            certificates
                .iter()
                .enumerate()
                .position(|(other, candidate)| {
                    other != index
                        && candidate.cert.subject.der == loaded.cert.issuer.der
                        && loaded.cert.signed_by(&candidate.cert.spki_der).is_ok()
                })
        })
        .collect();

    let mut order: Vec<usize> = Vec::new();
    let mut placed = vec![false; certificates.len()];
    // Roots first, then repeatedly every certificate whose issuer is placed.
    // Each pass places at least one certificate or stops, so this ends.
    for (index, loaded) in certificates.iter().enumerate() {
        if loaded.cert.self_signed {
            order.push(index);
            placed[index] = true;
        }
    }
    loop {
        let mut progress = false;
        for index in 0..certificates.len() {
            if placed[index] {
                continue;
            }
            if let Some(issuer) = issuer_of[index] {
                if placed[issuer] {
                    order.push(index);
                    placed[index] = true;
                    progress = true;
                }
            }
        }
        if !progress {
            break;
        }
    }
    let unplaced = placed
        .iter()
        .enumerate()
        .filter(|(_, is_placed)| !**is_placed)
        .map(|(index, _)| index);
    order.extend(unplaced);
    order
}

/// Encodes DER as a PEM CERTIFICATE block with LF line ends.
fn pem(der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in body.as_bytes().chunks(PEM_LINE) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

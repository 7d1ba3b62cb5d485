//! The `decode` report: decoded certificates become items, damage and
//! metadata mismatches become findings, and with a truststore the
//! certificates go through the same verification as `verify`.

use super::metadata::{compare, Comparison};
use super::Decoded;
use crate::input::Origin;
use crate::report::{Command, Finding, ForwardedFacts, MetadataCheck, Severity, Verdict};
use crate::rules::{finding, RuleInfo};
use crate::x509::load::{load, Expect, InputSeverity};
use crate::x509::Certificate;
use crate::{new_report, no_certificate, verify_chain_named, Options, OptionsError, Report};

/// Codes the decode command emits, for the registry.
pub const CODES: &[RuleInfo] = &[
    RuleInfo { code: "forwarded.malformed", severity: Severity::Error, summary: "a forwarded certificate value breaks its format's encoding rule (an error when nothing could be decoded)", citation: "RFC 3986 2.1; RFC 8941 3.3.5; RFC 9440; Envoy x-forwarded-client-cert; ALB and API Gateway docs" },
    RuleInfo { code: "forwarded.metadata-mismatch", severity: Severity::Warning, summary: "metadata the gateway sent (subject, issuer, serial, validity, hash) differs from the forwarded certificate", citation: "API Gateway clientCert fields; ALB X-Amzn-Mtls-Clientcert-* headers; Envoy XFCC" },
    RuleInfo { code: "forwarded.metadata-unreadable", severity: Severity::Warning, summary: "a metadata value the gateway sent cannot be parsed", citation: "API Gateway clientCert fields; ALB X-Amzn-Mtls-Clientcert-* headers" },
    RuleInfo { code: "forwarded.ignored-header", severity: Severity::Info, summary: "a header line that carries no certificate was skipped", citation: "usage" },
];

/// Builds the report of [`crate::decode_forwarded`].
pub fn build(
    input: &[u8],
    truststore: Option<&[u8]>,
    options: &Options,
) -> Result<Report, OptionsError> {
    let decoded = super::decode(input);
    let chain: Vec<u8> = decoded
        .certificates
        .iter()
        .flat_map(|c| c.der.iter().copied())
        .collect();

    let mut report = match truststore {
        Some(truststore) if !decoded.certificates.is_empty() => {
            verify_chain_named(&chain, "forwarded", truststore, "truststore", options)?
        }
        _ => list_only(&chain, options)?,
    };
    report.command = Command::Decode;
    name_items(&mut report, &decoded);

    let severity = if decoded.certificates.is_empty() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut findings: Vec<Finding> = decoded
        .damage
        .iter()
        .map(|damage| {
            finding(
                "forwarded.malformed",
                severity,
                match damage.format {
                    Some(format) => format!("{}: {}", format.name(), damage.message),
                    None => damage.message.clone(),
                },
                None,
                None,
                "Pass the value exactly as the backend received it: the whole event, the header line, or the raw header value.",
            )
        })
        .collect();
    for name in &decoded.ignored_headers {
        findings.push(finding(
            "forwarded.ignored-header",
            Severity::Info,
            format!("the header {name:?} carries no client certificate and was skipped"),
            None,
            None,
            "",
        ));
    }

    let leaf = decoded
        .certificates
        .first()
        .and_then(|c| Certificate::from_der(&c.der).ok());
    let metadata = check_metadata(&decoded, leaf.as_ref(), &mut findings);

    if decoded.certificates.is_empty() {
        findings.push(no_certificate("forwarded input", "client certificate"));
        report.unusable = true;
        report.verdict = if truststore.is_some() {
            Verdict::Deny
        } else {
            Verdict::Fail
        };
    }
    // Decode findings come first because they describe the input itself.
    findings.append(&mut report.findings);
    report.findings = findings;
    if truststore.is_none() && !decoded.certificates.is_empty() {
        report.verdict = Verdict::from_findings(&report.findings);
    }

    report.forwarded = Some(ForwardedFacts {
        formats: decoded
            .formats
            .iter()
            .map(|f| f.name().to_string())
            .collect(),
        metadata,
    });
    Ok(report)
}

/// Builds a report that lists the decoded certificates without verifying them.
fn list_only(chain: &[u8], options: &Options) -> Result<Report, OptionsError> {
    crate::profile::by_name(&options.profile)
        .ok_or_else(|| OptionsError::UnknownProfile(options.profile.clone()))?;
    let mut report = new_report(Command::Decode, options);
    let loaded = load(
        chain,
        "forwarded",
        "forwarded",
        Expect::Certificates,
        InputSeverity::Advisory,
        &mut report.items,
    );
    report.findings.extend(loaded.findings);
    if let Some(first) = report.items.first_mut() {
        first.role = "leaf".into();
    }
    Ok(report)
}

/// Gives the items of the decoded certificates their forwarded origin and encoding.
fn name_items(report: &mut Report, decoded: &Decoded) {
    for (index, (item, cert)) in report
        .items
        .iter_mut()
        .zip(&decoded.certificates)
        .enumerate()
    {
        // NOTE: offset and line are 0 because the certificate was decoded out of a
        // JSON string or header value. `source` names the field or header instead.
        item.origin = Origin {
            source: cert.location.clone(),
            block: index,
            offset: 0,
            line: 0,
        };
        item.encoding = cert.format.encoding().into();
    }
}

/// Compares each metadata claim with the leaf and adds findings for mismatches.
fn check_metadata(
    decoded: &Decoded,
    leaf: Option<&Certificate>,
    findings: &mut Vec<Finding>,
) -> Vec<MetadataCheck> {
    let Some(leaf) = leaf else {
        return Vec::new();
    };
    let mut checks = Vec::new();
    for claim in &decoded.claims {
        let comparison = compare(claim, leaf);
        let matches = match &comparison {
            Comparison::Matches => Some(true),
            Comparison::Differs(actual) => {
                findings.push(finding(
                    "forwarded.metadata-mismatch",
                    Severity::Warning,
                    format!(
                        "{} {:?} from {} does not match the certificate's {}: {}",
                        claim.field.name(),
                        claim.value,
                        claim.source,
                        claim.field.name(),
                        actual
                    ),
                    Some(leaf.subject.rfc4514.clone()),
                    Some(0),
                    "The metadata and the certificate come from different requests or were altered on the way; trust the certificate, and make sure the proxy strips client-sent copies of these headers.",
                ));
                Some(false)
            }
            Comparison::Unreadable(reason) => {
                findings.push(finding(
                    "forwarded.metadata-unreadable",
                    Severity::Warning,
                    format!("{} from {}: {reason}", claim.field.name(), claim.source),
                    Some(leaf.subject.rfc4514.clone()),
                    Some(0),
                    "Compare the value by hand with mtls-check inspect on the certificate.",
                ));
                None
            }
        };
        checks.push(MetadataCheck {
            field: claim.field.name().to_string(),
            source: claim.source.clone(),
            value: claim.value.clone(),
            matches,
        });
    }
    checks
}

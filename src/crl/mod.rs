//! Certificate revocation lists (RFC 5280 section 5): decodes each CRL the
//! user supplies, judges the CRL itself (structure, issuer, signature,
//! thisUpdate/nextUpdate) and keeps the usable ones for path validation.
//! A CRL that fails a check becomes a finding and revokes nothing.
//!
//! The verdict on a certificate comes from rustls-webpki, which gets the
//! usable CRLs through its revocation options; [`revocation_of`] only looks
//! up the entry that webpki matched, to report its date and reason.

use webpki::{CertRevocationList, OwnedCertRevocationList, RevocationReason};
use x509_parser::prelude::FromDer;
use x509_parser::revocation_list::CertificateRevocationList;

use crate::input::{self, BlockKind, Encoding};
use crate::profile::Profile;
use crate::report::{Finding, Item, Severity};
use crate::rules::{finding, RuleInfo};
use crate::x509::der::split_signed;
use crate::x509::load::{InputSeverity, LoadedCertificate};
use crate::x509::{format_time, name, Certificate};

/// keyUsage bit for cRLSign, in x509-parser's numbering (bit 0 = digitalSignature).
const KEY_USAGE_CRL_SIGN: u16 = 1 << 6;

/// A CRL that passed every check and takes part in path validation.
pub struct UsableCrl {
    pub item: usize,
    /// RFC 4514 issuer name, for messages.
    pub issuer: String,
    /// DER of the issuer Name, header included, as in [`crate::x509::Name::der`].
    pub issuer_der: Vec<u8>,
    pub webpki: CertRevocationList<'static>,
}

/// The CRLs read from the user's files.
#[derive(Default)]
pub struct LoadedCrls {
    pub usable: Vec<UsableCrl>,
    pub findings: Vec<Finding>,
}

/// One revocation entry that applies to a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    /// Item of the CRL that lists the certificate.
    pub crl_item: usize,
    /// RFC 3339.
    pub date: String,
    /// RFC 5280 5.3.1 reason name, e.g. "keyCompromise"; "unspecified" when absent.
    pub reason: &'static str,
}

/// The parsed fields of one CRL that the checks read.
struct CrlView {
    issuer_der: Vec<u8>,
    issuer: String,
    this_update: i64,
    next_update: Option<i64>,
    signature_algorithm_der: Vec<u8>,
    tbs_der: Vec<u8>,
    signature: Vec<u8>,
}

fn parse_view(der: &[u8]) -> Result<CrlView, String> {
    let (rest, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| format!("not a valid X.509 CRL ({e})"))?;
    if !rest.is_empty() {
        return Err(format!("{} bytes follow the CRL's DER", rest.len()));
    }
    let parts = split_signed(der).ok_or("the CRL's signed structure is malformed")?;
    Ok(CrlView {
        issuer_der: crl.issuer().as_raw().to_vec(),
        issuer: name::to_rfc4514(crl.issuer()),
        this_update: crl.last_update().timestamp(),
        next_update: crl.next_update().map(|t| t.timestamp()),
        signature_algorithm_der: parts.algorithm.to_vec(),
        tbs_der: parts.tbs.to_vec(),
        signature: parts.signature.to_vec(),
    })
}

/// The context a CRL is judged in.
pub struct CrlContext<'a> {
    /// Certificates that may have issued a CRL: the truststore, then the presented chain.
    pub issuers: Vec<&'a LoadedCertificate>,
    pub profile: &'a Profile,
    pub at: i64,
    pub severity: InputSeverity,
}

/// Decodes every CRL in `inputs` (one entry per file), appends an item per
/// block to `items` and judges each CRL.
pub fn load_crls(inputs: &[Vec<u8>], context: &CrlContext, items: &mut Vec<Item>) -> LoadedCrls {
    let mut loaded = LoadedCrls::default();
    for (index, bytes) in inputs.iter().enumerate() {
        let source = if inputs.len() == 1 {
            "crl".to_string()
        } else {
            format!("crl {}", index + 1)
        };
        load_one(bytes, &source, context, items, &mut loaded);
    }
    loaded
}

fn load_one(
    bytes: &[u8],
    source: &str,
    context: &CrlContext,
    items: &mut Vec<Item>,
    loaded: &mut LoadedCrls,
) {
    let severity = match context.severity {
        InputSeverity::Strict => Severity::Error,
        InputSeverity::Advisory => Severity::Warning,
    };
    let decoded = input::decode(bytes, source);
    if decoded.blocks.is_empty() {
        loaded.findings.push(finding(
            "crl.malformed",
            severity,
            format!("{source} holds no CRL block"),
            None,
            None,
            "Pass a CRL in PEM (-----BEGIN X509 CRL-----) or DER form.",
        ));
    }
    for block in decoded.blocks {
        let index = items.len();
        items.push(Item {
            kind: "crl".into(),
            label: block.label.clone(),
            encoding: match block.encoding {
                Encoding::Pem => "pem",
                Encoding::Der => "der",
                Encoding::Base64 => "base64",
                Encoding::UrlEncodedPem => "url-encoded-pem",
            }
            .into(),
            origin: block.origin.clone(),
            role: "crl".into(),
            ok: false,
            summary: None,
        });
        let position = format!("{source} block {}", block.origin.block + 1);
        let der = match (&block.kind, &block.der) {
            (_, Err(error)) => {
                loaded
                    .findings
                    .push(malformed(severity, &position, &error.to_string(), index));
                continue;
            }
            (BlockKind::Crl, Ok(der)) => der.clone(),
            (kind, Ok(_)) => {
                loaded.findings.push(malformed(
                    severity,
                    &position,
                    &format!("{kind} where a CRL was expected"),
                    index,
                ));
                continue;
            }
        };
        if context.profile.revocation.value.pem_only && block.encoding != Encoding::Pem {
            loaded.findings.push(finding(
                "crl.not-pem",
                Severity::Warning,
                format!(
                    "{position} is a {} CRL; {} takes PEM CRLs only",
                    if block.encoding == Encoding::Der { "DER" } else { "base64" },
                    context.profile.name
                ),
                None,
                Some(index),
                "Convert it before upload: openssl crl -inform DER -in crl.der -outform PEM -out crl.pem",
            ));
        }
        if let Some(usable) = judge(
            &der,
            &position,
            index,
            context,
            severity,
            &mut loaded.findings,
        ) {
            if let Some(item) = items.get_mut(index) {
                item.ok = true;
            }
            loaded.usable.push(usable);
        }
    }
}

fn malformed(severity: Severity, position: &str, reason: &str, item: usize) -> Finding {
    finding(
        "crl.malformed",
        severity,
        format!("{position}: {reason}; it revokes nothing"),
        None,
        Some(item),
        "Export the CRL again from the CA (openssl crl -outform PEM); mtls-check reads X.509 v2 CRLs with a nextUpdate field.",
    )
}

/// Checks one CRL: structure, issuer, signature, cRLSign and validity window.
fn judge(
    der: &[u8],
    position: &str,
    item: usize,
    context: &CrlContext,
    severity: Severity,
    findings: &mut Vec<Finding>,
) -> Option<UsableCrl> {
    let view = match parse_view(der) {
        Ok(view) => view,
        Err(reason) => {
            findings.push(malformed(severity, position, &reason, item));
            return None;
        }
    };
    let webpki = match OwnedCertRevocationList::from_der(der) {
        Ok(crl) => crl,
        Err(error) => {
            let reason = format!("rustls-webpki cannot use it ({error:?})");
            findings.push(malformed(severity, position, &reason, item));
            return None;
        }
    };
    let subject = Some(view.issuer.clone());

    let named: Vec<&Certificate> = context
        .issuers
        .iter()
        .map(|loaded| &loaded.cert)
        .filter(|cert| cert.subject.der == view.issuer_der)
        .collect();
    if named.is_empty() {
        findings.push(finding(
            "crl.unknown-issuer",
            severity,
            format!(
                "{position}: no certificate in the truststore or the presented chain is named {}, the CRL's issuer; it revokes nothing",
                view.issuer
            ),
            subject,
            Some(item),
            "Add the CA that issued the CRL to the truststore, or pass the CRL of a CA that is there.",
        ));
        return None;
    }
    let Some(signer) = named.iter().find(|cert| {
        crate::crypto::verify_signature(
            &cert.spki_der,
            &view.signature_algorithm_der,
            &view.tbs_der,
            &view.signature,
        )
        .is_ok()
    }) else {
        findings.push(finding(
            "crl.bad-signature",
            severity,
            format!(
                "{position}: the CRL's signature does not verify with the key of {}; it revokes nothing",
                view.issuer
            ),
            subject,
            Some(item),
            "Pass the CRL the CA itself signed; a CRL signed by another key with the same name is not authoritative.",
        ));
        return None;
    };
    if signer
        .key_usage
        .is_some_and(|flags| flags & KEY_USAGE_CRL_SIGN == 0)
    {
        findings.push(finding(
            "crl.issuer-not-crl-signer",
            severity,
            format!(
                "{position}: {} signed the CRL but its keyUsage lacks cRLSign; it revokes nothing",
                view.issuer
            ),
            subject,
            Some(item),
            "Issue CRLs with a CA whose keyUsage includes cRLSign (RFC 5280 4.2.1.3).",
        ));
        return None;
    }

    if view.this_update > context.at {
        findings.push(finding(
            "crl.not-yet-valid",
            severity,
            format!(
                "{position}: the CRL's thisUpdate {} is after the check time; it revokes nothing",
                format_time(view.this_update)
            ),
            subject,
            Some(item),
            "Check the CA's clock, or pass --at with the time the CRL is meant for.",
        ));
        return None;
    }
    if let Some(next_update) = view.next_update.filter(|t| *t < context.at) {
        findings.push(finding(
            "crl.expired",
            severity,
            format!(
                "{position}: the CRL's nextUpdate {} is before the check time; it revokes nothing",
                format_time(next_update)
            ),
            subject,
            Some(item),
            "Download the current CRL from the CA and replace this one; gateways treat a stale CRL as unusable.",
        ));
        return None;
    }

    Some(UsableCrl {
        item,
        issuer: view.issuer,
        issuer_der: view.issuer_der,
        webpki: CertRevocationList::Owned(webpki),
    })
}

/// Looks up `cert` in the usable CRLs of its issuer.
pub fn revocation_of(cert: &Certificate, crls: &[UsableCrl]) -> Option<Revocation> {
    let (_, parsed) = x509_parser::certificate::X509Certificate::from_der(&cert.der).ok()?;
    let serial = parsed.tbs_certificate.raw_serial();
    crls.iter()
        .filter(|crl| crl.issuer_der == cert.issuer.der)
        .find_map(|crl| {
            let entry = crl.webpki.find_serial(serial).ok()??;
            Some(Revocation {
                crl_item: crl.item,
                date: format_time(entry.revocation_date.as_secs() as i64),
                reason: reason_name(entry.reason_code),
            })
        })
}

/// Names a CRL reason code as RFC 5280 5.3.1 does.
fn reason_name(reason: Option<RevocationReason>) -> &'static str {
    match reason {
        None | Some(RevocationReason::Unspecified) => "unspecified",
        Some(RevocationReason::KeyCompromise) => "keyCompromise",
        Some(RevocationReason::CaCompromise) => "cACompromise",
        Some(RevocationReason::AffiliationChanged) => "affiliationChanged",
        Some(RevocationReason::Superseded) => "superseded",
        Some(RevocationReason::CessationOfOperation) => "cessationOfOperation",
        Some(RevocationReason::CertificateHold) => "certificateHold",
        Some(RevocationReason::RemoveFromCrl) => "removeFromCRL",
        Some(RevocationReason::PrivilegeWithdrawn) => "privilegeWithdrawn",
        Some(RevocationReason::AaCompromise) => "aACompromise",
    }
}

/// Codes the CRL checks and the revocation stage emit, for the registry.
pub const CODES: &[RuleInfo] = &[
    RuleInfo { code: "chain.revoked", severity: Severity::Error, summary: "a certificate on the path is revoked by a supplied CRL (a warning where the gateway checks no revocation)", citation: "RFC 5280 6.3" },
    RuleInfo { code: "chain.revocation-check-failed", severity: Severity::Info, summary: "rustls-webpki could not rebuild a path that mtls-check accepted, so the CRLs were looked up on that path directly", citation: "RFC 5280 6.3" },
    RuleInfo { code: "truststore.revoked", severity: Severity::Error, summary: "a truststore CA is revoked by a supplied CRL (a warning where the gateway checks no revocation)", citation: "RFC 5280 6.3" },
    RuleInfo { code: "crl.malformed", severity: Severity::Error, summary: "a CRL that does not decode, or that rustls-webpki cannot use; it revokes nothing", citation: "RFC 5280 5.1" },
    RuleInfo { code: "crl.not-pem", severity: Severity::Warning, summary: "a DER or base64 CRL where the profile takes PEM CRLs only", citation: "ELB user guide: trust store revocation lists are PEM; convert with openssl crl -inform DER -outform PEM" },
    RuleInfo { code: "crl.unknown-issuer", severity: Severity::Error, summary: "no certificate in the truststore or the presented chain has the CRL's issuer name; the CRL revokes nothing", citation: "RFC 5280 6.3.3 (f)" },
    RuleInfo { code: "crl.bad-signature", severity: Severity::Error, summary: "the CRL's signature does not verify with its issuer's key; the CRL revokes nothing", citation: "RFC 5280 6.3.3 (g)" },
    RuleInfo { code: "crl.issuer-not-crl-signer", severity: Severity::Error, summary: "the CRL's signer has keyUsage without cRLSign; the CRL revokes nothing", citation: "RFC 5280 4.2.1.3, 6.3.3 (f)" },
    RuleInfo { code: "crl.expired", severity: Severity::Error, summary: "the CRL's nextUpdate is before the check time; the CRL revokes nothing", citation: "RFC 5280 5.1.2.5, 6.3.3 (a)" },
    RuleInfo { code: "crl.not-yet-valid", severity: Severity::Error, summary: "the CRL's thisUpdate is after the check time; the CRL revokes nothing", citation: "RFC 5280 5.1.2.4" },
    RuleInfo { code: "crl.negative-serial-not-revocable", severity: Severity::Info, summary: "a certificate on the path has a negative serial number, which the gateway cannot revoke", citation: "ELB user guide: certificates with negative serial numbers cannot be revoked" },
];

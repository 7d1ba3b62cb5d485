//! Revocation on an accepted path. Where the profile's gateway checks CRLs,
//! rustls-webpki runs again with the usable CRLs (RFC 5280 6.3, every
//! certificate on the path, unknown status allowed because a user passes
//! CRLs for some issuers only) and `CertRevoked` denies the chain. Where the
//! gateway checks no revocation, a listed certificate is a warning and the
//! verdict stays the gateway's.

use webpki::{
    ExpirationPolicy, RevocationCheckDepth, RevocationOptionsBuilder, UnknownStatusPolicy,
};

use super::{run_webpki, Candidate, Outcome, Usage};
use crate::crl::{revocation_of, Revocation, UsableCrl};
use crate::profile::{Profile, RevocationCheck};
use crate::report::{Finding, Severity, Verdict};
use crate::rules::finding;
use crate::x509::load::LoadedCertificate;
use crate::x509::Certificate;

/// Checks the accepted path of `outcome` against `crls` and updates its verdict and findings.
pub(super) fn check(
    outcome: &mut Outcome,
    leaf: &LoadedCertificate,
    pool: &[Candidate],
    profile: &Profile,
    usage: Usage,
    at: i64,
    crls: &[UsableCrl],
) {
    let support = profile.revocation.value;
    let path = path_certificates(outcome, leaf, pool);

    if !support.negative_serials_revocable {
        for (item, cert) in path.iter().filter(|(_, cert)| cert.serial.negative) {
            outcome.findings.push(finding(
                "crl.negative-serial-not-revocable",
                Severity::Info,
                format!(
                    "{} has the negative serial number {}, which {} cannot revoke; a CRL entry for it has no effect there",
                    cert.label(),
                    cert.serial.hex,
                    profile.name
                ),
                Some(cert.subject.rfc4514.clone()),
                Some(*item),
                "Reissue the certificate with a positive serial number so that it can be revoked.",
            ));
        }
    }

    let revoked: Vec<(usize, &Certificate, Revocation)> = path
        .iter()
        .filter(|(_, cert)| support.negative_serials_revocable || !cert.serial.negative)
        .filter_map(|(item, cert)| revocation_of(cert, crls).map(|r| (*item, *cert, r)))
        .collect();

    match support.check {
        RevocationCheck::Enforced => {
            let webpki_crls: Vec<&webpki::CertRevocationList> =
                crls.iter().map(|crl| &crl.webpki).collect();
            let Ok(builder) = RevocationOptionsBuilder::new(&webpki_crls) else {
                return;
            };
            // Expired and not-yet-valid CRLs never reach webpki (see crate::crl), so
            // enforcing nextUpdate here changes nothing and guards the invariant.
            let options = builder
                .with_depth(RevocationCheckDepth::Chain)
                .with_status_policy(UnknownStatusPolicy::Allow)
                .with_expiration_policy(ExpirationPolicy::Enforce)
                .build();
            match run_webpki(leaf, pool, profile, usage, at, Some(options)) {
                Ok(_) => {}
                Err((webpki::Error::CertRevoked, _)) if revoked.is_empty() => {
                    // webpki found every path revoked, including paths other than the
                    // one reported; name the leaf.
                    outcome.verdict = Verdict::Deny;
                    outcome.path.accepted = false;
                    outcome.findings.push(finding(
                        "chain.revoked",
                        Severity::Error,
                        format!(
                            "every path for {} has a certificate revoked by a supplied CRL",
                            leaf.cert.label()
                        ),
                        Some(leaf.cert.subject.rfc4514.clone()),
                        Some(leaf.item),
                        "Issue the client a new certificate from a CA that is not revoked.",
                    ));
                }
                Err((webpki::Error::CertRevoked, _)) => {
                    deny_revoked(outcome, &revoked, profile);
                }
                Err((error, _)) => {
                    // The path was accepted by mtls-check's own judgment (for example of
                    // directory-name constraints, which webpki rejects), so webpki cannot
                    // rebuild it. The CRL lookup on the accepted path decides instead.
                    // NOTE: no fixture reaches this branch yet, because that needs a CRL
                    // signed by a CA with a dirName constraint.
                    if revoked.is_empty() {
                        outcome.findings.push(finding(
                            "chain.revocation-check-failed",
                            Severity::Info,
                            format!(
                                "rustls-webpki did not finish the revocation check of {} ({error:?}); no certificate on the accepted path is listed in the supplied CRLs",
                                leaf.cert.label()
                            ),
                            Some(leaf.cert.subject.rfc4514.clone()),
                            Some(leaf.item),
                            "",
                        ));
                    } else {
                        deny_revoked(outcome, &revoked, profile);
                    }
                }
            }
        }
        RevocationCheck::NotChecked | RevocationCheck::FlagOnly => {
            for (item, cert, revocation) in &revoked {
                outcome.findings.push(revoked_finding(
                    *item,
                    cert,
                    revocation,
                    Severity::Warning,
                    profile,
                ));
            }
        }
    }
}

/// Denies the chain with one `chain.revoked` error per revoked certificate.
fn deny_revoked(
    outcome: &mut Outcome,
    revoked: &[(usize, &Certificate, Revocation)],
    profile: &Profile,
) {
    outcome.verdict = Verdict::Deny;
    outcome.path.accepted = false;
    for (item, cert, revocation) in revoked {
        outcome.findings.push(revoked_finding(
            *item,
            cert,
            revocation,
            Severity::Error,
            profile,
        ));
    }
}

/// Lists the certificates of the accepted path, leaf first, with their items.
fn path_certificates<'a>(
    outcome: &Outcome,
    leaf: &'a LoadedCertificate,
    pool: &[Candidate<'a>],
) -> Vec<(usize, &'a Certificate)> {
    outcome
        .path
        .certificates
        .iter()
        .filter(|entry| entry.role != "anchor")
        .filter_map(|entry| {
            if entry.item == leaf.item {
                return Some((leaf.item, &leaf.cert));
            }
            pool.iter()
                .find(|candidate| candidate.loaded.item == entry.item)
                .map(|candidate| (entry.item, &candidate.loaded.cert))
        })
        .collect()
}

fn revoked_finding(
    item: usize,
    cert: &Certificate,
    revocation: &Revocation,
    severity: Severity,
    profile: &Profile,
) -> Finding {
    let mut message = format!(
        "{} (serial {}) is revoked by the CRL in item {}: revoked {}, reason {}",
        cert.label(),
        cert.serial.hex,
        revocation.crl_item,
        revocation.date,
        revocation.reason
    );
    let help = match profile.revocation.value.check {
        RevocationCheck::Enforced => {
            "Issue the client a new certificate; the gateway refuses this one while the CRL lists it."
        }
        RevocationCheck::NotChecked => {
            message.push_str(&format!(
                "; {} checks no revocation, so the handshake still succeeds",
                profile.name
            ));
            "Check revocation where the certificate reaches your code (for API Gateway, a Lambda authorizer) and reject this client there."
        }
        RevocationCheck::FlagOnly => {
            message.push_str(&format!(
                "; {} still marks the certificate verified and only sets its revoked flag",
                profile.name
            ));
            "Block requests whose certificate is flagged revoked (cf.tls_client_auth.cert_revoked) in a WAF rule."
        }
    };
    finding(
        "chain.revoked",
        severity,
        message,
        Some(cert.subject.rfc4514.clone()),
        Some(item),
        help,
    )
}

/// Finds truststore CAs that a usable CRL revokes, for lint.
pub fn revoked_truststore_members(
    truststore: &[LoadedCertificate],
    crls: &[UsableCrl],
    profile: &Profile,
) -> Vec<Finding> {
    let severity = match profile.revocation.value.check {
        RevocationCheck::Enforced => Severity::Error,
        RevocationCheck::NotChecked | RevocationCheck::FlagOnly => Severity::Warning,
    };
    truststore
        .iter()
        .filter(|loaded| !loaded.cert.self_signed)
        .filter_map(|loaded| {
            let revocation = revocation_of(&loaded.cert, crls)?;
            Some(finding(
                "truststore.revoked",
                severity,
                format!(
                    "{} (serial {}) is revoked by the CRL in item {}: revoked {}, reason {}; clients it issued are refused where revocation is checked",
                    loaded.cert.label(),
                    loaded.cert.serial.hex,
                    revocation.crl_item,
                    revocation.date,
                    revocation.reason
                ),
                Some(loaded.cert.subject.rfc4514.clone()),
                Some(loaded.item),
                "Remove the revoked CA from the truststore and reissue the clients under a CA in good standing.",
            ))
        })
        .collect()
}

//! Every profile's limits as rows of (limit, value, citation), for
//! `mtls-check profiles`, the JS `profileDetails()` and docs/profiles.md.
//! The rows are built from the profile data, so the listing cannot drift
//! from what the checks use.

use serde::Serialize;

use super::{AnchorRule, Cited, PresentedIntermediates, Profile, RevocationCheck};
use crate::crypto::HashAlgorithm;

/// One limit of a profile, its value printed for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Limit {
    pub name: &'static str,
    pub value: String,
    /// False when no vendor source states the limit. The citation then contains "undocumented".
    pub documented: bool,
    pub citation: &'static str,
}

/// A profile and all its limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ProfileDetails {
    pub name: &'static str,
    pub title: &'static str,
    pub limits: Vec<Limit>,
}

fn row<T>(name: &'static str, cited: &Cited<T>, value: String) -> Limit {
    Limit {
        name,
        value,
        documented: cited.documented,
        citation: cited.citation,
    }
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

fn hash_names(hashes: &[HashAlgorithm]) -> String {
    // `Intrinsic` stands for the hash built into Ed25519, which the ed25519 row covers.
    hashes
        .iter()
        .filter(|hash| **hash != HashAlgorithm::Intrinsic)
        .map(|hash| format!("{hash:?}").to_uppercase().replace("SHA", "SHA-"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn optional_limit<T: Copy + ToString>(
    rows: &mut Vec<Limit>,
    name: &'static str,
    limit: Option<Cited<T>>,
    unit: &str,
) {
    match limit {
        Some(cited) => rows.push(row(
            name,
            &cited,
            format!("{}{unit}", cited.value.to_string()),
        )),
        None => rows.push(Limit {
            name,
            value: "none".into(),
            documented: true,
            citation: "no limit in this profile",
        }),
    }
}

/// Lists the limits of one profile in a fixed order.
pub fn describe(profile: &Profile) -> ProfileDetails {
    let mut limits = Vec::new();
    optional_limit(
        &mut limits,
        "max_ca_certificates",
        profile.max_ca_certificates,
        " CA certificates on a path (root included, client certificate not counted)",
    );

    let anchors = match profile.anchors.value {
        AnchorRule::SelfSignedRoots => "self-signed roots only",
        AnchorRule::AnyTruststoreCertificate => "any truststore certificate",
    };
    limits.push(row("anchors", &profile.anchors, anchors.into()));
    let presented = match profile.presented_intermediates.value {
        PresentedIntermediates::Used => "used",
        PresentedIntermediates::Ignored => "ignored",
    };
    limits.push(row(
        "presented_intermediates",
        &profile.presented_intermediates,
        presented.into(),
    ));

    limits.push(row(
        "signature_hashes",
        &profile.signature_hashes,
        hash_names(profile.signature_hashes.value),
    ));
    limits.push(row(
        "rsa_pss",
        &profile.rsa_pss,
        yes_no(profile.rsa_pss.value),
    ));
    limits.push(row(
        "ed25519",
        &profile.ed25519,
        yes_no(profile.ed25519.value),
    ));
    limits.push(row("rsa", &profile.rsa, rsa_sizes(profile)));
    limits.push(row(
        "curves",
        &profile.curves,
        profile.curves.value.join(", "),
    ));
    limits.push(row(
        "require_v3",
        &profile.require_v3,
        yes_no(profile.require_v3.value),
    ));

    optional_limit(
        &mut limits,
        "max_certificates",
        profile.max_certificates,
        " certificates",
    );
    optional_limit(
        &mut limits,
        "max_bundle_bytes",
        profile.max_bundle_bytes,
        " bytes",
    );
    optional_limit(
        &mut limits,
        "max_certificate_bytes",
        profile.max_certificate_bytes,
        " bytes (DER)",
    );
    limits.push(row(
        "strict_bundle_format",
        &profile.strict_bundle_format,
        yes_no(profile.strict_bundle_format.value),
    ));
    limits.push(row(
        "require_ca_certificates",
        &profile.require_ca_certificates,
        yes_no(profile.require_ca_certificates.value),
    ));
    limits.push(row(
        "complete_truststore_chain",
        &profile.complete_truststore_chain,
        yes_no(profile.complete_truststore_chain.value),
    ));

    let eku = profile.eku.value;
    let issuers = eku.issuers.map(|s| s.as_str()).unwrap_or("not checked");
    limits.push(row(
        "eku",
        &profile.eku,
        format!("leaf: {}; CAs: {issuers}", eku.leaf.as_str()),
    ));
    let expiry = profile
        .client_expiry_override
        .value
        .map(|name| format!("{name} (--ignore-client-expiry)"))
        .unwrap_or_else(|| "none".into());
    limits.push(row(
        "client_expiry_override",
        &profile.client_expiry_override,
        expiry,
    ));

    limits.push(row("revocation", &profile.revocation, revocation(profile)));
    limits.push(row(
        "rfc5280_structure",
        &profile.rfc5280_structure,
        yes_no(profile.rfc5280_structure.value),
    ));
    limits.push(row(
        "cabf_server_rules",
        &profile.cabf_server_rules,
        yes_no(profile.cabf_server_rules.value),
    ));
    let versions: Vec<&str> = profile
        .tls_versions
        .value
        .iter()
        .map(|version| version.name())
        .collect();
    limits.push(row(
        "tls_versions",
        &profile.tls_versions,
        versions.join(", "),
    ));
    let ca_names = profile
        .ca_names_option
        .value
        .map(|name| format!("{name} (serve --advertise-ca-names)"))
        .unwrap_or_else(|| "none".into());
    limits.push(row("ca_names_option", &profile.ca_names_option, ca_names));

    ProfileDetails {
        name: profile.name,
        title: profile.title,
        limits,
    }
}

fn revocation(profile: &Profile) -> String {
    let support = profile.revocation.value;
    let check = match support.check {
        RevocationCheck::Enforced => "CRLs enforced",
        RevocationCheck::NotChecked => "not checked",
        RevocationCheck::FlagOnly => "revoked certificates flagged only",
    };
    let mut text = check.to_string();
    if support.pem_only {
        text.push_str("; PEM CRLs only");
    }
    if !support.negative_serials_revocable {
        text.push_str("; negative serials cannot be revoked");
    }
    text
}

fn rsa_sizes(profile: &Profile) -> String {
    let rsa = profile.rsa.value;
    if let Some(sizes) = rsa.exact {
        let sizes: Vec<String> = sizes.iter().map(u32::to_string).collect();
        return format!("{} bits only", sizes.join(", "));
    }
    match rsa.max_bits {
        Some(max) => format!("{} to {max} bits", rsa.min_bits),
        None => format!("{} bits or more", rsa.min_bits),
    }
}

/// Lists every profile, the default first.
pub fn all() -> Vec<ProfileDetails> {
    super::all().iter().map(describe).collect()
}

/// Renders the listing as Markdown: a heading and a table per profile. The
/// CLI prints it for `--format text`, and docs/profiles.md is this output.
pub fn render_markdown(profiles: &[ProfileDetails]) -> String {
    let mut out = String::from(
        "# Gateway profiles\n\n\
         Generated by `mtls-check profiles`; do not edit by hand (`make docs` rewrites it).\n\
         A citation that starts with or contains \"undocumented\" marks a reading chosen \
         where the vendor's sources are silent or disagree.\n",
    );
    for profile in profiles {
        out.push_str(&format!("\n## {}\n\n{}\n\n", profile.name, profile.title));
        out.push_str("| limit | value | documented | citation |\n| --- | --- | --- | --- |\n");
        for limit in &profile.limits {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                limit.name,
                escape_cell(&limit.value),
                yes_no(limit.documented),
                escape_cell(limit.citation)
            ));
        }
    }
    out
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_lists_every_limit() {
        let listing = all();
        assert_eq!(listing.len(), super::super::PROFILE_NAMES.len());
        for profile in &listing {
            assert_eq!(profile.limits.len(), 22, "{}", profile.name);
            for limit in &profile.limits {
                assert!(
                    !limit.citation.is_empty(),
                    "{} {}",
                    profile.name,
                    limit.name
                );
            }
        }
    }

    #[test]
    fn undocumented_limits_are_marked() {
        let alb = describe(&super::super::by_name("alb").expect("the alb profile exists"));
        let depth = alb.limits.iter().find(|l| l.name == "max_ca_certificates");
        assert_eq!(depth.map(|l| l.documented), Some(false));
        let rsa = alb.limits.iter().find(|l| l.name == "rsa");
        assert_eq!(rsa.map(|l| l.value.as_str()), Some("2048 to 8192 bits"));
        assert_eq!(rsa.map(|l| l.documented), Some(true));
    }
}

//! The expiry forecast of a truststore: the first date at which a CA that
//! clients chain through expires, so the gateway starts rejecting them.
//! Gateways warn only when a truststore is uploaded (API Gateway), never
//! later, so this date is the one to put in a calendar.

use crate::profile::{AnchorRule, Profile};
use crate::report::{Forecast, GraphNode};
use crate::x509::format_time;
use crate::x509::load::LoadedCertificate;

const SECONDS_PER_DAY: i64 = 86_400;

/// Returns the earliest notAfter among the CAs that reach a trust anchor
/// (under the profile's anchor rule), or `None` when no CA does.
pub fn forecast(
    certificates: &[LoadedCertificate],
    graph: &[GraphNode],
    profile: &Profile,
    at: i64,
) -> Option<Forecast> {
    let first = certificates
        .iter()
        .zip(graph)
        .filter(|(_, node)| node.is_ca && reaches_anchor(node, profile))
        .min_by_key(|(loaded, _)| loaded.cert.not_after)?;
    let (loaded, node) = first;
    Some(Forecast {
        first_refusal: format_time(loaded.cert.not_after),
        certificate: node.item,
        subject: node.subject.clone(),
        days_left: (loaded.cert.not_after - at).div_euclid(SECONDS_PER_DAY),
    })
}

fn reaches_anchor(node: &GraphNode, profile: &Profile) -> bool {
    match profile.anchors.value {
        AnchorRule::SelfSignedRoots => node.depth_to_root.is_some(),
        AnchorRule::AnyTruststoreCertificate => true,
    }
}

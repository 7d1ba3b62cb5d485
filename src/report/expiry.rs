//! The expiry forecast of a report: every certificate it lists with its
//! notAfter and the days left at the check time, and the date at which the
//! checked material stops working. For a truststore that date is the lint's
//! `forecast` (the first CA on a path to a trust anchor that expires). For an
//! accepted chain it is the earliest notAfter on the path, because the
//! gateway rejects the chain once any certificate on it has expired.
//!
//! It reads only the report, so it works on a report loaded back from JSON
//! just as on a fresh one.

use serde::{Deserialize, Serialize};

use super::{Command, Report};
use crate::parse_time;

const SECONDS_PER_DAY: i64 = 86_400;

/// One certificate of the report with its expiry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ExpiringCertificate {
    /// Index into the report's `items`.
    pub item: usize,
    pub subject: String,
    /// The item's role: "leaf", "presented", "truststore", "input", ...
    pub role: String,
    /// RFC 3339.
    pub not_after: String,
    /// Whole days from the check time to notAfter (negative when past).
    pub days_left: i64,
    /// Whether notAfter is at or before the check time.
    pub expired: bool,
    /// Whether the certificate is on the verified path (verify and decode only).
    pub on_path: bool,
}

/// The scope of the forecast date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum ForecastScope {
    /// The client chain: the accepted path stops working.
    Chain,
    /// The truststore: clients of the first expiring CA start being rejected.
    Truststore,
}

/// The date at which the checked chain or truststore stops working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct StopsWorking {
    pub scope: ForecastScope,
    /// RFC 3339: the notAfter of the certificate that expires first.
    pub at: String,
    /// Item of that certificate.
    pub item: usize,
    pub subject: String,
    /// Whole days from the check time (negative when past).
    pub days_left: i64,
}

/// The expiry forecast of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ExpiryForecast {
    /// The report's `checked_at`, from which the days are counted.
    pub checked_at: String,
    /// Every parsed certificate, soonest notAfter first.
    pub certificates: Vec<ExpiringCertificate>,
    /// The moment the chain or truststore stops working. It is null for a
    /// rejected chain, a decode without a truststore, a CSR, an inspection,
    /// or a truststore with no CA on a path to an anchor.
    pub stops_working: Option<StopsWorking>,
}

/// Builds the expiry forecast of a report. Times the report carries that do
/// not parse as RFC 3339 leave their certificate out rather than guess.
pub fn forecast(report: &Report) -> ExpiryForecast {
    let checked_at = parse_time(&report.checked_at).ok();
    let path_items: Vec<usize> = match &report.path {
        Some(path) => path.certificates.iter().map(|entry| entry.item).collect(),
        None => Vec::new(),
    };

    let mut certificates: Vec<(i64, ExpiringCertificate)> = report
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let summary = item.summary.as_ref()?;
            let not_after = parse_time(&summary.not_after).ok()?;
            let at = checked_at?;
            Some((
                not_after,
                ExpiringCertificate {
                    item: index,
                    subject: summary.subject.clone(),
                    role: item.role.clone(),
                    not_after: summary.not_after.clone(),
                    days_left: days_between(at, not_after),
                    expired: not_after <= at,
                    on_path: path_items.contains(&index),
                },
            ))
        })
        .collect();
    certificates.sort_by_key(|(not_after, entry)| (*not_after, entry.item));

    let stops_working = match report.command {
        Command::Lint => report.forecast.as_ref().map(|lint| StopsWorking {
            scope: ForecastScope::Truststore,
            at: lint.first_refusal.clone(),
            item: lint.certificate,
            subject: lint.subject.clone(),
            days_left: lint.days_left,
        }),
        Command::Verify | Command::Decode => accepted_path_end(report, &certificates),
        Command::Csr | Command::Inspect => None,
    };

    ExpiryForecast {
        checked_at: report.checked_at.clone(),
        certificates: certificates.into_iter().map(|(_, entry)| entry).collect(),
        stops_working,
    }
}

/// Returns the earliest notAfter on an accepted path. `certificates` is
/// sorted, so it is the first one on the path.
fn accepted_path_end(
    report: &Report,
    certificates: &[(i64, ExpiringCertificate)],
) -> Option<StopsWorking> {
    if !report.path.as_ref().is_some_and(|path| path.accepted) {
        return None;
    }
    let (_, first) = certificates.iter().find(|(_, entry)| entry.on_path)?;
    Some(StopsWorking {
        scope: ForecastScope::Chain,
        at: first.not_after.clone(),
        item: first.item,
        subject: first.subject.clone(),
        days_left: first.days_left,
    })
}

fn days_between(from: i64, to: i64) -> i64 {
    (to - from).div_euclid(SECONDS_PER_DAY)
}

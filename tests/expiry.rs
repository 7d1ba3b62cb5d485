//! The expiry forecast of a report, and reports read back from JSON (the
//! form the wasm exports `expiryForecast` and `toSarif` receive them in).

mod common;

use common::{fixture, FIXTURE_TIME};
use mtls_check::report::expiry::{forecast, ForecastScope};
use mtls_check::report::{sarif, Report};
use mtls_check::{inspect_csr, lint_truststore, parse_time, verify_chain, Options};

fn options() -> Options {
    Options::new("apigw-rest", parse_time(FIXTURE_TIME).unwrap_or_default())
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_default()
}

fn verify(chain: &str, truststore: &str) -> Report {
    verify_chain(&read(chain), &read(truststore), &options()).expect("valid options")
}

#[test]
fn accepted_chain_stops_at_first_not_after() {
    let report = verify("p256-chain.pem", "p256-truststore.pem");
    let result = forecast(&report);

    let stops = result
        .stops_working
        .expect("an accepted chain has an end date");
    assert_eq!(stops.scope, ForecastScope::Chain);
    let on_path: Vec<_> = result.certificates.iter().filter(|c| c.on_path).collect();
    assert!(!on_path.is_empty());
    let earliest = on_path
        .iter()
        .map(|c| parse_time(&c.not_after).unwrap_or(i64::MAX))
        .min();
    assert_eq!(Some(parse_time(&stops.at).unwrap_or(0)), earliest);
    assert!(stops.days_left > 0);
}

#[test]
fn certificates_sorted_soonest_first() {
    let report = verify("p256-chain.pem", "p256-truststore.pem");
    let times: Vec<i64> = forecast(&report)
        .certificates
        .iter()
        .map(|c| parse_time(&c.not_after).unwrap_or(0))
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    assert_eq!(
        times.len(),
        report.items.iter().filter(|i| i.summary.is_some()).count()
    );
}

#[test]
fn rejected_chain_has_no_end_date() {
    let report = verify("expired-leaf-chain.pem", "p256-truststore.pem");
    let result = forecast(&report);
    assert!(result.stops_working.is_none());
    assert!(result
        .certificates
        .iter()
        .any(|c| c.expired && c.days_left < 0));
}

#[test]
fn truststore_end_date_is_lint_forecast() {
    let report = lint_truststore(&read("expiring-soon-inter-truststore.pem"), &options())
        .expect("valid options");
    let lint = report.forecast.clone().expect("the lint has a forecast");
    let stops = forecast(&report).stops_working.expect("an end date");
    assert_eq!(stops.scope, ForecastScope::Truststore);
    assert_eq!(stops.at, lint.first_refusal);
    assert_eq!(stops.item, lint.certificate);
    assert_eq!(stops.days_left, 9);
}

#[test]
fn csr_has_no_certificates() {
    let report = inspect_csr(&read("good.csr"), &options()).expect("valid options");
    let result = forecast(&report);
    assert!(result.certificates.is_empty());
    assert!(result.stops_working.is_none());
}

#[test]
fn report_round_trips_through_json() {
    let report = verify("unknown-issuer-chain.pem", "p256-truststore.pem");
    let read_back: Report =
        serde_json::from_str(&report.to_json()).expect("report JSON reads back");
    assert_eq!(read_back.to_json(), report.to_json());
    assert_eq!(sarif::render(&read_back, &[]), sarif::render(&report, &[]));
    assert_eq!(forecast(&read_back), forecast(&report));
}

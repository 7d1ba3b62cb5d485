//! The lint expiry forecast and the `--warn-days` window.

mod common;

use common::{codes, fixture, run_cli, FIXTURE_TIME};

fn lint(file: &str, extra: &[&str]) -> common::Run {
    let path = fixture(file);
    let mut args = vec!["lint", path.as_str(), "--at", FIXTURE_TIME];
    args.extend_from_slice(extra);
    run_cli(&args, None)
}

#[test]
fn forecast_names_first_expiring_ca() {
    let report = lint("expiring-soon-inter-truststore.pem", &["--format", "json"]).json();
    let forecast = &report["forecast"];
    assert!(
        forecast["first_refusal"]
            .as_str()
            .is_some_and(|t| t.starts_with("2030-06-25")),
        "{forecast}"
    );
    assert_eq!(forecast["days_left"], 9);
    let item = forecast["certificate"].as_u64().unwrap_or(u64::MAX) as usize;
    assert_eq!(report["items"][item]["summary"]["is_ca"], true);
    assert!(!report["items"][item]["summary"]["self_signed"]
        .as_bool()
        .unwrap_or(true));
}

#[test]
fn forecast_in_text_output() {
    let run = lint("p256-truststore.pem", &[]);
    assert!(
        run.stdout
            .contains("forecast: clients start being rejected at 2050-01-01T00:00:00Z"),
        "{}",
        run.stdout
    );
}

#[test]
fn forecast_past_for_expired_root() {
    let report = lint("expired-root-truststore.pem", &["--format", "json"]).json();
    assert!(report["forecast"]["days_left"]
        .as_i64()
        .is_some_and(|d| d < 0));
}

#[test]
fn forecast_absent_without_a_path_to_a_root() {
    let report = lint("missing-issuer-truststore.pem", &["--format", "json"]).json();
    let graph = report["graph"].as_array().cloned().unwrap_or_default();
    if graph.iter().all(|node| node["depth_to_root"].is_null()) {
        assert!(report.get("forecast").is_none());
    }
}

#[test]
fn warn_days_sets_window() {
    let default = lint("expiring-soon-inter-truststore.pem", &["--format", "json"]).json();
    assert!(codes(&default).contains(&"cert.expiring-soon".to_string()));
    let narrow = lint(
        "expiring-soon-inter-truststore.pem",
        &["--warn-days", "5", "--format", "json"],
    )
    .json();
    assert!(!codes(&narrow).contains(&"cert.expiring-soon".to_string()));
    let wide = lint(
        "p256-truststore.pem",
        &["--warn-days", "7200", "--format", "json"],
    )
    .json();
    assert!(codes(&wide).contains(&"cert.expiring-soon".to_string()));
}

#[test]
fn warn_days_out_of_range_is_usage_error() {
    let run = lint("p256-truststore.pem", &["--warn-days=99999"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("warning window"), "{}", run.stderr);
}

#[test]
fn forecast_text_for_expired_root_counts_days_before() {
    let run = lint("expired-root-truststore.pem", &[]);
    assert!(
        run.stdout.contains(
            "forecast: clients have been rejected since 2029-01-01T00:00:00Z (531 days before the check time)"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("-531"), "{}", run.stdout);
    assert!(!run.stdout.contains("day(s)"), "{}", run.stdout);
}

#[test]
fn forecast_text_for_future_expiry_counts_days_after() {
    let run = lint("expiring-soon-inter-truststore.pem", &[]);
    assert!(
        run.stdout.contains(
            "forecast: clients start being rejected at 2030-06-25T00:00:00Z (9 days after the check time)"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("day(s)"), "{}", run.stdout);
}

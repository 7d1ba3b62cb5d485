//! The human-readable rendering: a verdict line, one line per finding with
//! its severity, code and position, and the facts of the command.

use serde_json::Value;

use super::{Finding, Report, Severity};

/// ANSI colours, used only when the caller writes to a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Never,
    Always,
}

fn paint(text: &str, code: &str, colour: Colour) -> String {
    match colour {
        Colour::Always => format!("\x1b[{code}m{text}\x1b[0m"),
        Colour::Never => text.to_string(),
    }
}

fn severity_label(severity: Severity, colour: Colour) -> String {
    let (text, code) = match severity {
        Severity::Error => ("error  ", "31;1"),
        Severity::Warning => ("warning", "33"),
        Severity::Info => ("info   ", "36"),
    };
    paint(text, code, colour)
}

fn position(report: &Report, finding: &Finding) -> String {
    match finding
        .item
        .and_then(|i| report.items.get(i).map(|item| (i, item)))
    {
        Some((index, item)) if item.origin.line > 0 => format!(
            "{}:{} (item {index}, block {})",
            item.origin.source, item.origin.line, item.origin.block
        ),
        Some((index, item)) => format!(
            "{}@{} (item {index}, block {})",
            item.origin.source, item.origin.offset, item.origin.block
        ),
        None => "-".to_string(),
    }
}

/// Renders the report for people.
pub fn render(report: &Report, colour: Colour) -> String {
    let mut out = String::new();
    let verdict_code = match report.verdict.as_str() {
        "accept" | "pass" => "32;1",
        "warn" => "33;1",
        _ => "31;1",
    };
    out.push_str(&format!(
        "{} {}: {} (profile {}, checked at {})\n",
        env!("CARGO_PKG_NAME"),
        serde_json::to_value(report.command)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        paint(
            &report.verdict.as_str().to_uppercase(),
            verdict_code,
            colour
        ),
        report.profile,
        report.checked_at
    ));

    if let Some(path) = &report.path {
        let label = if path.accepted {
            "path"
        } else {
            "best candidate path (rejected)"
        };
        out.push_str(&format!("{label}, {} CA certificate(s):\n", path.ca_count));
        for entry in &path.certificates {
            out.push_str(&format!(
                "  [{}] {:<12} {} ({})\n",
                entry.item, entry.role, entry.subject, entry.source
            ));
        }
    }

    if let Some(forwarded) = &report.forwarded {
        out.push_str(&format!("forwarded as: {}\n", forwarded.formats.join(", ")));
        for item in report.items.iter().filter(|item| item.role != "truststore") {
            if let Some(summary) = &item.summary {
                out.push_str(&format!("  {}: {}\n", item.origin.source, summary.subject));
            }
        }
        for check in &forwarded.metadata {
            let state = match check.matches {
                Some(true) => "matches",
                Some(false) => "DIFFERS",
                None => "unreadable",
            };
            out.push_str(&format!("  {} {}: {state}\n", check.source, check.field));
        }
    }

    if let Some(bundle) = &report.bundle {
        out.push_str(&format!(
            "truststore: {} certificate(s), {} bytes\n",
            bundle.certificates, bundle.bytes
        ));
    }
    if let Some(forecast) = &report.forecast {
        let when = if forecast.days_left < 0 {
            "have been rejected since"
        } else {
            "start being rejected at"
        };
        out.push_str(&format!(
            "forecast: clients {when} {} ({}), when [{}] {} expires\n",
            forecast.first_refusal,
            days_from_check_time(forecast.days_left),
            forecast.certificate,
            forecast.subject
        ));
    }

    if report.findings.is_empty() {
        out.push_str("no findings\n");
    }
    for finding in &report.findings {
        out.push_str(&format!(
            "{} {} {}: {}\n",
            severity_label(finding.severity, colour),
            finding.code,
            position(report, finding),
            finding.message
        ));
        if let Some(line) = &finding.gateway_message {
            out.push_str(&format!("        gateway log: {line}\n"));
        }
        if !finding.help.is_empty() {
            out.push_str(&format!("        help: {}\n", finding.help));
        }
    }

    if let Some(certificates) = &report.certificates {
        for (index, certificate) in certificates.iter().enumerate() {
            out.push_str(&format!("certificate {}:\n", index + 1));
            render_value(certificate, 1, &mut out);
        }
    }
    if let Some(csr) = &report.csr {
        out.push_str("certificate request:\n");
        render_value(csr, 1, &mut out);
    }
    out
}

/// Writes a JSON value as indented `key: value` lines, skipping nulls and empty lists.
/// Describes a whole number of days from the check time, as in
/// "9 days after the check time" or "1 day before the check time".
pub fn days_from_check_time(days: i64) -> String {
    let count = days.unsigned_abs();
    let unit = if count == 1 { "day" } else { "days" };
    match days {
        0 => "on the day of the check time".to_string(),
        1.. => format!("{count} {unit} after the check time"),
        _ => format!("{count} {unit} before the check time"),
    }
}

fn render_value(value: &Value, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match item {
                    Value::Null => {}
                    Value::Array(list) if list.is_empty() => {}
                    Value::Object(_) | Value::Array(_) => {
                        out.push_str(&format!("{indent}{key}:\n"));
                        render_value(item, depth + 1, out);
                    }
                    scalar => out.push_str(&format!("{indent}{key}: {}\n", scalar_text(scalar))),
                }
            }
        }
        Value::Array(list) => {
            for item in list {
                match item {
                    Value::Object(_) | Value::Array(_) => {
                        out.push_str(&format!("{indent}-\n"));
                        render_value(item, depth + 1, out);
                    }
                    scalar => out.push_str(&format!("{indent}- {}\n", scalar_text(scalar))),
                }
            }
        }
        scalar => out.push_str(&format!("{indent}{}\n", scalar_text(scalar))),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::days_from_check_time;

    #[test]
    fn days_from_check_time_words() {
        assert_eq!(days_from_check_time(9), "9 days after the check time");
        assert_eq!(days_from_check_time(1), "1 day after the check time");
        assert_eq!(days_from_check_time(0), "on the day of the check time");
        assert_eq!(days_from_check_time(-1), "1 day before the check time");
        assert_eq!(days_from_check_time(-531), "531 days before the check time");
    }
}

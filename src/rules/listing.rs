//! The registry printed three ways: plain text for `mtls-check rules`, JSON
//! for `--format json`, and the Markdown page `docs/rules.md`, so the list
//! users read never drifts from the code.

use super::{registry, RuleInfo};

/// Group of a code: the part before the first dot (`cert`, `chain`, ...).
fn group(info: &RuleInfo) -> &'static str {
    info.code.split('.').next().unwrap_or(info.code)
}

/// One line per rule: code, highest severity, summary and citation.
pub fn text() -> String {
    let rules = registry();
    let width = rules.iter().map(|r| r.code.len()).max().unwrap_or(0);
    let mut out = String::new();
    for info in &rules {
        out.push_str(&format!(
            "{:width$}  {:7}  {} [{}]\n",
            info.code,
            info.severity.as_str(),
            info.summary,
            info.citation,
        ));
    }
    out
}

/// The registry as a JSON array of rule metadata.
pub fn json() -> String {
    serde_json::to_string_pretty(&registry())
        .unwrap_or_else(|e| format!("{{\"error\":\"the registry could not be serialized: {e}\"}}"))
}

/// The Markdown rules page, grouped by subject.
pub fn markdown() -> String {
    let rules = registry();
    let mut out = String::from(
        "# Rules\n\n\
Generated from the rule registry by `make docs` (`mtls-check rules --format json` \
prints the same list); do not edit by hand. Every finding a report can carry has \
its code here. The severity is the most serious the rule reports; profiles and \
the certificate's role may lower it.\n",
    );
    let mut groups: Vec<&str> = rules.iter().map(group).collect();
    groups.dedup();
    for name in groups {
        out.push_str(&format!(
            "\n## {name}\n\n| code | severity | meaning | source |\n| --- | --- | --- | --- |\n"
        ));
        for info in rules.iter().filter(|r| group(r) == name) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                info.code,
                info.severity.as_str(),
                info.summary.replace('|', "\\|"),
                info.citation.replace('|', "\\|"),
            ));
        }
    }
    out
}

//! SARIF 2.1.0 output: one result per finding, rule metadata from the
//! registry, and a location naming the input file with the line and byte
//! offset of the block the finding concerns, or of the line for a finding
//! about text outside any block. A small typed model with serde
//! keeps the output to the fields code-scanning tools read; serde-sarif's
//! full model would add its builder dependencies to the wasm build too.
//!
//! Only report text goes in: messages, subjects and origins. Key material
//! never reaches a report, so it never reaches SARIF either.

use serde::Serialize;

use super::{Report, Severity};
use crate::rules::{registry, RuleInfo};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const VERSION: &str = "2.1.0";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    command: &'static str,
    profile: String,
    checked_at: String,
    verdict: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct RuleProperties {
    citation: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gateway_message: Option<String>,
    help: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    /// SARIF lines are 1-based; binary DER input has no line, so its block starts at line 1.
    start_line: usize,
    byte_offset: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(info: &RuleInfo) -> Rule {
    Rule {
        id: info.code,
        short_description: Text {
            text: info.summary.to_string(),
        },
        full_description: Text {
            text: format!("{} ({})", info.summary, info.citation),
        },
        default_configuration: Configuration {
            level: level(info.severity),
        },
        properties: RuleProperties {
            citation: info.citation,
        },
    }
}

/// Returns the file an input source was read from, or the source itself
/// when `files` does not name one.
fn file_for(files: &[(&str, String)], source: &str) -> String {
    files
        .iter()
        .find(|(role, _)| *role == source)
        .map(|(_, file)| file.clone())
        .unwrap_or_else(|| source.to_string())
}

/// Renders a report as a SARIF 2.1.0 log. `files` maps each input role
/// ("chain", "truststore", "csr", "input") to the file it was read from, so
/// locations point at files rather than roles.
pub fn render(report: &Report, files: &[(&str, String)]) -> String {
    let infos = registry();
    let rules: Vec<Rule> = infos.iter().map(rule).collect();
    let results = report
        .findings
        .iter()
        .map(|finding| {
            let item_location =
                finding
                    .item
                    .and_then(|index| report.items.get(index))
                    .map(|item| Location {
                        physical_location: PhysicalLocation {
                            artifact_location: ArtifactLocation {
                                uri: file_for(files, &item.origin.source),
                            },
                            region: Region {
                                start_line: item.origin.line.max(1),
                                byte_offset: item.origin.offset,
                            },
                        },
                        logical_locations: vec![LogicalLocation {
                            name: format!("{} block {}", item.role, item.origin.block),
                            kind: "object",
                        }],
                    });
            let line_location = finding.position.as_ref().map(|position| Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: file_for(files, &position.source),
                    },
                    region: Region {
                        start_line: position.line.max(1),
                        byte_offset: position.offset,
                    },
                },
                logical_locations: Vec::new(),
            });
            let locations: Vec<Location> = item_location.or(line_location).into_iter().collect();
            SarifResult {
                rule_index: infos.iter().position(|info| info.code == finding.code),
                rule_id: finding.code.clone(),
                level: level(finding.severity),
                message: Text {
                    text: finding.message.clone(),
                },
                locations,
                properties: ResultProperties {
                    subject: finding.subject.clone(),
                    gateway_message: finding.gateway_message.clone(),
                    help: finding.help.clone(),
                },
            }
        })
        .collect();
    let command = match report.command {
        super::Command::Verify => "verify",
        super::Command::Lint => "lint",
        super::Command::Csr => "csr",
        super::Command::Inspect => "inspect",
        super::Command::Decode => "decode",
    };
    let log = Log {
        schema: SCHEMA,
        version: VERSION,
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: report.tool.name,
                    version: report.tool.version,
                    rules,
                },
            },
            results,
            properties: RunProperties {
                command,
                profile: report.profile.clone(),
                checked_at: report.checked_at.clone(),
                verdict: report.verdict.as_str(),
            },
        }],
    };
    serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\":\"SARIF could not be serialized: {e}\"}}"))
}

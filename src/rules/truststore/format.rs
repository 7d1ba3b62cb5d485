//! `truststore.format`: content the profile's bundle format forbids or that
//! gateways are not documented to read (blank lines, comments, text, a BOM,
//! blocks that are not certificates).

use super::{BundleContext, BundleRule};
use crate::input::StrayKind;
use crate::report::{Finding, Position, Severity};
use crate::rules::{finding, RuleInfo};

pub static RULE: BundleRule = BundleRule {
    info: RuleInfo {
        code: "truststore.format",
        severity: Severity::Error,
        summary: "content the profile's bundle format forbids (blank lines, text, comments with '-')",
        citation: "ALB and CloudFront: only CERTIFICATE blocks, '#' comment lines without '-', no blank lines",
    },
    check,
};

/// Stray lines reported one by one before the rest are summed up.
const MAX_LISTED_LINES: usize = 5;

fn check(context: &BundleContext) -> Vec<Finding> {
    let strict = context.profile.strict_bundle_format.value;
    let mut findings = Vec::new();

    if context.layout.bom {
        findings.push(format_finding(
            Severity::Warning,
            "the file starts with a UTF-8 byte-order mark; gateways are not documented to accept one".into(),
            "Save the file as UTF-8 without BOM.",
            position(context, 1, 0),
        ));
    }

    let mut listed = 0;
    let mut unlisted = 0;
    let mut first_unlisted = None;
    for stray in &context.layout.stray {
        let (allowed, what) = match stray.kind {
            StrayKind::Blank => (false, "a blank line"),
            StrayKind::Comment => (true, "a '#' comment line"),
            StrayKind::CommentWithDash => (false, "a '#' comment line containing '-'"),
            StrayKind::Text => (false, "text outside any certificate block"),
        };
        let severity = match (strict, allowed) {
            (true, false) => Severity::Error,
            (true, true) => continue,
            (false, _) if stray.kind == StrayKind::Blank => Severity::Info,
            (false, _) => Severity::Warning,
        };
        if listed >= MAX_LISTED_LINES {
            unlisted += 1;
            first_unlisted = first_unlisted.or(Some(stray));
            continue;
        }
        listed += 1;
        findings.push(format_finding(
            severity,
            format!("{}:{}: {what}", context.source, stray.line),
            if strict {
                "Keep only PEM certificate blocks and '#' comments without '-'; remove blank lines and text."
            } else {
                "Keep only PEM certificate blocks; move notes elsewhere."
            },
            position(context, stray.line, stray.offset),
        ));
    }
    if unlisted > 0 {
        findings.push(format_finding(
            if strict {
                Severity::Error
            } else {
                Severity::Warning
            },
            format!(
                "{unlisted} more line(s) outside certificate blocks in {}",
                context.source
            ),
            "Keep only PEM certificate blocks.",
            first_unlisted.and_then(|stray| position(context, stray.line, stray.offset)),
        ));
    }

    for block in &context.other_blocks {
        if strict {
            findings.push(finding(
                RULE.info.code,
                Severity::Error,
                format!(
                    "item {}: a {} block; the bundle may hold CERTIFICATE blocks only",
                    block.item,
                    block.label.as_deref().unwrap_or("non-PEM")
                ),
                None,
                Some(block.item),
                "Remove every block that is not a certificate.",
            ));
        }
    }
    findings
}

fn format_finding(
    severity: Severity,
    message: String,
    help: &str,
    position: Option<Position>,
) -> Finding {
    let mut result = finding(RULE.info.code, severity, message, None, None, help);
    result.position = position;
    result
}

/// Returns the position of a line of the bundle, or `None` for binary DER,
/// which has no lines.
fn position(context: &BundleContext, line: usize, offset: usize) -> Option<Position> {
    if line == 0 {
        return None;
    }
    Some(Position {
        source: context.source.to_string(),
        line,
        offset,
    })
}

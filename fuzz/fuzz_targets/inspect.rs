//! Fuzzes `inspect` and the three report renderers on any bytes.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use mtls_check::report::{sarif, text};

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = mtls_check::inspect(data, &common::options()) {
        let _ = report.to_json();
        let _ = text::render(&report, text::Colour::Never);
        let _ = sarif::render(&report, &[("input", "input".to_string())]);
    }
});

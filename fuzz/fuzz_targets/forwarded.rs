//! Fuzzes the forwarded-certificate decoder (header values, header lines,
//! Lambda events), with and without a truststore.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

const TRUSTSTORE: &[u8] = include_bytes!("../../tests/fixtures/p256-truststore.pem");

fuzz_target!(|data: &[u8]| {
    let options = common::options();
    let _ = mtls_check::decode_forwarded(data, None, &options);
    let _ = mtls_check::decode_forwarded(data, Some(TRUSTSTORE), &options);
});

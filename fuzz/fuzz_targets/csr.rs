//! Fuzzes CSR inspection on any bytes.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mtls_check::inspect_csr(data, &common::options());
});

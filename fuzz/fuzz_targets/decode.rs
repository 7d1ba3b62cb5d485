//! Fuzzes the input decoder (PEM, DER, bare base64, URL-encoded and
//! JSON-escaped PEM): every block must stay inside the input's bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let decoded = mtls_check::input::decode(data, "input");
    for block in &decoded.blocks {
        assert!(block.origin.offset <= data.len());
    }
});

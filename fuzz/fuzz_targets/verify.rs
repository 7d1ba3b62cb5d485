//! Fuzzes chain verification: the first byte picks where the rest splits
//! into the chain and the truststore, so one input drives both.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let split = rest.len() * usize::from(selector) / 255;
    let (chain, truststore) = rest.split_at(split.min(rest.len()));
    let _ = mtls_check::verify_chain(chain, truststore, &common::options());
});

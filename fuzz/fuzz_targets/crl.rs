//! Fuzzes CRL parsing and judging: the input is passed as a CRL to a
//! verification whose truststore holds the CA that issues the fixture CRLs,
//! so a well-formed CRL is checked all the way to its signature.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

const CHAIN: &[u8] = include_bytes!("../../tests/fixtures/crl-pki-revoked-chain.pem");
const TRUSTSTORE: &[u8] = include_bytes!("../../tests/fixtures/crl-pki-truststore.pem");

fuzz_target!(|data: &[u8]| {
    let mut options = common::options();
    options.crls = vec![data.to_vec()];
    let _ = mtls_check::verify_chain(CHAIN, TRUSTSTORE, &options);
});

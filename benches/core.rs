//! Criterion benchmarks of the library entry points on the inputs that
//! `make bench` measures in every runtime: the chain check per key algorithm,
//! the truststore lint at four sizes and the CSR inspection.
//!
//! The 10- and 1,000-certificate truststores are composed by
//! `scripts/bench.mjs` into `target/bench/`; a benchmark whose input file is
//! missing is skipped, so `cargo test --all-targets` runs without them.

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The fixtures' pinned check time, 2030-06-15T12:00:00Z in Unix seconds.
const AT: i64 = 1_907_755_200;

const CHAIN_ALGORITHMS: [&str; 4] = ["rsa2048", "p256", "p384", "ed25519"];

fn repository_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read_if_present(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// Returns the profile a chain is checked under: apigw-rest, except for
/// Ed25519, which that profile rejects, so rfc5280 times a full accept there.
fn chain_profile(algorithm: &str) -> &'static str {
    if algorithm == "ed25519" {
        "rfc5280"
    } else {
        "apigw-rest"
    }
}

fn chain_check(c: &mut Criterion) {
    for algorithm in CHAIN_ALGORITHMS {
        let options = mtls_check::Options::new(chain_profile(algorithm), AT);
        let chain = read_if_present(&repository_file(&format!(
            "tests/fixtures/{algorithm}-chain.pem"
        )));
        let truststore = read_if_present(&repository_file(&format!(
            "tests/fixtures/{algorithm}-truststore.pem"
        )));
        let (Some(chain), Some(truststore)) = (chain, truststore) else {
            continue;
        };
        c.bench_function(&format!("verify_chain/{algorithm}"), |b| {
            b.iter(|| mtls_check::verify_chain(&chain, &truststore, &options))
        });
    }
}

fn truststore_lint(c: &mut Criterion) {
    let options = mtls_check::Options::new("apigw-rest", AT);
    let inputs = [
        ("10", repository_file("target/bench/lint-10.pem")),
        (
            "142",
            repository_file("tests/data/cases/debian-bundle-alb-quota/truststore.pem"),
        ),
        // This machine's Debian CA bundle, skipped where it is missing.
        ("150", PathBuf::from("/etc/ssl/certs/ca-certificates.crt")),
        ("1000", repository_file("target/bench/lint-1000.pem")),
    ];
    for (size, path) in inputs {
        let Some(truststore) = read_if_present(&path) else {
            continue;
        };
        c.bench_function(&format!("lint_truststore/{size}"), |b| {
            b.iter(|| mtls_check::lint_truststore(&truststore, &options))
        });
    }
}

fn csr_inspection(c: &mut Criterion) {
    let options = mtls_check::Options::new("apigw-rest", AT);
    for name in ["rsa2048", "ed25519"] {
        let Some(csr) = read_if_present(&repository_file(&format!("tests/fixtures/{name}.csr")))
        else {
            continue;
        };
        c.bench_function(&format!("inspect_csr/{name}"), |b| {
            b.iter(|| mtls_check::inspect_csr(&csr, &options))
        });
    }
}

criterion_group! {
    name = benches;
    // Short runs keep the whole `make bench` within minutes on two cores.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    targets = chain_check, truststore_lint, csr_inspection
}
criterion_main!(benches);

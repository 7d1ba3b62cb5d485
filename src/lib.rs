//! mtls-check: checks mTLS client chains, truststores and CSRs the way managed
//! gateways (API Gateway, ALB, CloudFront, Cloudflare) do, with the same code
//! natively and in WebAssembly.

pub mod chain;
pub mod crypto;
pub mod input;
pub mod profile;
pub mod report;
pub mod rules;
pub mod x509;

#[cfg(target_arch = "wasm32")]
mod wasm;

//! Server side of the crate, built with the `server` feature (native only):
//! a rustls client-certificate verifier that decides with
//! [`crate::verify_chain`], and `mtls-check serve`, a local stand-in for a
//! gateway's custom domain with mutual TLS.

pub mod alert;
pub mod cli;
pub mod echo;
pub mod handler;
pub mod serve;
pub mod tls12_alert;
pub mod verifier;

pub use alert::{alert_for_code, Alert};
pub use verifier::{
    CaNames, CheckTime, Decision, DecisionHook, DenyAction, GatewayVerifier, VerifierConfig,
    VerifierError,
};

//! Signature results established before a call runs, so that the call skips
//! the RustCrypto arithmetic for them.
//!
//! A host with a native verifier (WebCrypto in Node, browsers and Workers)
//! checks the signatures a call will need first, asynchronously. Its results
//! (valid or invalid, by key) are installed with [`with_results`] for the
//! duration of one synchronous call. Every algorithm in
//! [`super::ALL_ALGORITHMS`] is wrapped in [`Memoized`], which returns an
//! installed result without computing and computes every other signature as
//! before. A signature the host failed on or never checked is still decided
//! by RustCrypto. The host is only given algorithms and keys on which it and
//! RustCrypto agree ([`super::offload`]).

use std::cell::RefCell;
use std::collections::HashMap;

use rustls_pki_types::{AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm};
use sha2::{Digest, Sha256};

/// SHA-256 over one verification's inputs: both algorithm identifiers, the
/// public key, the signature and the signed message.
pub type SignatureKey = [u8; 32];

thread_local! {
    static RESULTS: RefCell<Option<HashMap<SignatureKey, bool>>> = const { RefCell::new(None) };
}

/// Computes the key of one verification. Each part but the last is prefixed
/// with its length, so no two different inputs share the hashed bytes.
pub fn signature_key(
    signature_alg_id: &[u8],
    public_key_alg_id: &[u8],
    public_key: &[u8],
    signature: &[u8],
    message: &[u8],
) -> SignatureKey {
    let mut hasher = Sha256::new();
    for part in [signature_alg_id, public_key_alg_id, public_key, signature] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.update(message);
    hasher.finalize().into()
}

/// Runs `call` with `results` (true for a valid signature) installed, then
/// removes them, also when `call` unwinds.
pub fn with_results<R>(results: HashMap<SignatureKey, bool>, call: impl FnOnce() -> R) -> R {
    struct Uninstall;
    impl Drop for Uninstall {
        fn drop(&mut self) {
            RESULTS.with(|cell| cell.replace(None));
        }
    }

    RESULTS.with(|cell| cell.replace(Some(results)));
    let _uninstall = Uninstall;
    call()
}

fn installed_result(key_of: impl FnOnce() -> SignatureKey) -> Option<bool> {
    RESULTS.with(|cell| {
        let results = cell.borrow();
        let results = results.as_ref().filter(|results| !results.is_empty())?;
        results.get(&key_of()).copied()
    })
}

/// An algorithm of the backend that first looks for its input among the
/// installed results.
#[derive(Debug)]
pub(crate) struct Memoized(pub(crate) &'static dyn SignatureVerificationAlgorithm);

impl SignatureVerificationAlgorithm for Memoized {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let installed = installed_result(|| {
            signature_key(
                self.0.signature_alg_id().as_ref(),
                self.0.public_key_alg_id().as_ref(),
                public_key,
                signature,
                message,
            )
        });
        match installed {
            Some(true) => Ok(()),
            Some(false) => Err(InvalidSignature),
            None => self.0.verify_signature(public_key, message, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.0.public_key_alg_id()
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.0.signature_alg_id()
    }
}

//! Asynchronous variants of `verifyChain` and `lintTruststore` that verify
//! signatures with the host's WebCrypto (`globalThis.crypto.subtle`: native
//! code in Node, browsers and Workers) before the synchronous call runs.
//!
//! WebCrypto's results are installed for that call only (`crypto::memo`). A
//! signature it fails on (a rejected promise) or was never given is verified
//! by RustCrypto as in the synchronous export, and without WebCrypto the call
//! runs as the synchronous one. Imported public keys are kept between calls
//! (at most [`MAX_CACHED_KEYS`]), so repeated calls against one truststore
//! import its keys once. The reports equal the synchronous exports' reports,
//! which tests/js/webcrypto.test.mjs compares on every fixture, case folder
//! and x509-limbo testcase.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{bytes_of, error, read_options, to_js};
use crate::crypto::memo::{with_results, SignatureKey};
use crate::crypto::offload::{signature_jobs, HostAlgorithm, SignatureJobs};

/// Maximum number of imported public keys kept between calls: API Gateway's
/// quota of 1,000 truststore certificates, with room for client-sent
/// intermediates. The cache is emptied when it is full.
const MAX_CACHED_KEYS: usize = 1_024;

thread_local! {
    /// Public keys already imported into WebCrypto, by import form and SPKI
    /// DER, so that calls against the same truststore import its keys once.
    /// Only public keys are kept, and every signature is still verified.
    static IMPORTED_KEYS: RefCell<HashMap<(HostAlgorithm, Vec<u8>), JsValue>> =
        RefCell::new(HashMap::new());
}

/// `crypto.subtle` with its `importKey` and `verify` methods.
struct Subtle {
    subtle: JsValue,
    import_key: Function,
    verify: Function,
}

fn host_subtle() -> Option<Subtle> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    let subtle = Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?;
    let method = |name: &str| {
        Reflect::get(&subtle, &JsValue::from_str(name))
            .ok()?
            .dyn_into::<Function>()
            .ok()
    };
    Some(Subtle {
        import_key: method("importKey")?,
        verify: method("verify")?,
        subtle,
    })
}

/// Builds the WebCrypto algorithm object; the hash is left out of an ECDSA
/// import, where WebCrypto takes the curve alone.
fn algorithm_object(algorithm: HostAlgorithm, use_: KeyUse) -> Result<JsValue, JsValue> {
    let object = Object::new();
    let set = |key: &str, value: &str| {
        Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value))
    };
    match algorithm {
        HostAlgorithm::RsaPkcs1 { hash } => {
            set("name", "RSASSA-PKCS1-v1_5")?;
            set("hash", hash)?;
        }
        HostAlgorithm::Ecdsa { named_curve, hash } => {
            set("name", "ECDSA")?;
            set("namedCurve", named_curve)?;
            if use_ == KeyUse::Verify {
                set("hash", hash)?;
            }
        }
    }
    Ok(object.into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyUse {
    Import,
    Verify,
}

/// Calls `function` on `subtle` with `args`; a synchronous throw becomes a
/// rejected promise, so every call settles.
fn call(subtle: &Subtle, function: &Function, args: &Array) -> JsValue {
    function
        .apply(&subtle.subtle, args)
        .unwrap_or_else(|thrown| Promise::reject(&thrown).into())
}

/// Awaits every promise in `promises`; returns the value of each fulfilled
/// one and `None` for each rejected one, in order.
async fn settle(promises: &Array) -> Vec<Option<JsValue>> {
    let Ok(results) = JsFuture::from(Promise::all_settled(promises)).await else {
        return Vec::new();
    };
    Array::from(&results)
        .iter()
        .map(|result| {
            let status = Reflect::get(&result, &JsValue::from_str("status")).ok()?;
            if status.as_string().as_deref() != Some("fulfilled") {
                return None;
            }
            Reflect::get(&result, &JsValue::from_str("value")).ok()
        })
        .collect()
}

/// Verifies every job with WebCrypto, all in flight at once; returns the
/// result (valid or not) of each job WebCrypto completed.
async fn verify_with_host(jobs: &SignatureJobs) -> HashMap<SignatureKey, bool> {
    let mut verified = HashMap::new();
    let Some(subtle) = host_subtle() else {
        return verified;
    };
    if jobs.jobs.is_empty() {
        return verified;
    }

    let imports = Array::new();
    for (algorithm, spki) in &jobs.keys {
        let cached =
            IMPORTED_KEYS.with(|keys| keys.borrow().get(&(*algorithm, spki.clone())).cloned());
        if let Some(key) = cached {
            // Promise.allSettled takes a value that is not a promise as fulfilled.
            imports.push(&key);
            continue;
        }
        let promise = match algorithm_object(*algorithm, KeyUse::Import) {
            Ok(algorithm) => {
                let usages = Array::of1(&JsValue::from_str("verify"));
                let args = Array::of5(
                    &JsValue::from_str("spki"),
                    &Uint8Array::from(spki.as_slice()),
                    &algorithm,
                    &JsValue::FALSE,
                    &usages,
                );
                call(&subtle, &subtle.import_key, &args)
            }
            Err(thrown) => Promise::reject(&thrown).into(),
        };
        imports.push(&promise);
    }
    let keys = settle(&imports).await;
    remember_keys(jobs, &keys);

    let checks = Array::new();
    let mut checked = Vec::new();
    for job in &jobs.jobs {
        let Some(Some(key)) = keys.get(job.key) else {
            continue;
        };
        let Ok(algorithm) = algorithm_object(job.algorithm, KeyUse::Verify) else {
            continue;
        };
        let args = Array::of4(
            &algorithm,
            key,
            &Uint8Array::from(job.signature.as_slice()),
            &Uint8Array::from(job.message.as_slice()),
        );
        checks.push(&call(&subtle, &subtle.verify, &args));
        checked.push(job.memo_key);
    }
    for (result, memo_key) in settle(&checks).await.into_iter().zip(checked) {
        if let Some(valid) = result.and_then(|value| value.as_bool()) {
            verified.insert(memo_key, valid);
        }
    }
    verified
}

/// Adds the keys imported for `jobs` to [`IMPORTED_KEYS`], emptying it first
/// when they would not fit.
fn remember_keys(jobs: &SignatureJobs, imported: &[Option<JsValue>]) {
    IMPORTED_KEYS.with(|cache| {
        let mut cache = cache.borrow_mut();
        for (entry, key) in jobs.keys.iter().zip(imported) {
            let Some(key) = key else {
                continue;
            };
            if cache.contains_key(entry) {
                continue;
            }
            if cache.len() >= MAX_CACHED_KEYS {
                cache.clear();
            }
            cache.insert(entry.clone(), key.clone());
        }
    });
}

/// `verifyChain` with the signatures verified by WebCrypto where the host
/// has it; resolves to the same report.
#[wasm_bindgen(js_name = verifyChainAsync, unchecked_return_type = "Report")]
pub async fn verify_chain_async(
    #[wasm_bindgen(unchecked_param_type = "Input")] chain: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Input")] truststore: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let chain = bytes_of(&chain, "chain")?;
    let truststore = bytes_of(&truststore, "truststore")?;
    let options = read_options(&options)?;

    let verified = verify_with_host(&signature_jobs(&[&chain, &truststore])).await;
    let report = with_results(verified, || {
        crate::verify_chain(&chain, &truststore, &options)
    });
    to_js(report.map_err(error)?)
}

/// `lintTruststore` with the signatures verified by WebCrypto where the
/// host has it; resolves to the same report.
#[wasm_bindgen(js_name = lintTruststoreAsync, unchecked_return_type = "Report")]
pub async fn lint_truststore_async(
    #[wasm_bindgen(unchecked_param_type = "Input")] truststore: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let truststore = bytes_of(&truststore, "truststore")?;
    let options = read_options(&options)?;

    let verified = verify_with_host(&signature_jobs(&[&truststore])).await;
    let report = with_results(verified, || crate::lint_truststore(&truststore, &options));
    to_js(report.map_err(error)?)
}

//! WebAssembly bindings for browsers, Workers and Node: the four operations,
//! plus `fixTruststore`, `authorize`, `profiles`, `profileDetails`, and
//! `toSarif` and `expiryForecast`, which take a report back.
//! Each takes strings or Uint8Arrays and an optional options object
//! `{profile, usage, peerName, peerNames, maxIntermediates, keyUsage, at, crls,
//! ignoreClientExpiry, warnDays}`. The operations return the report as a plain
//! object equal to the CLI's `--format json` output, and every export throws an
//! Error for bad options. `verifyChainAsync` and `lintTruststoreAsync`
//! (module `webcrypto`) return the same reports through WebCrypto.

use js_sys::{Date, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

use crate::{parse_time, parse_usage, Options, Report};

mod webcrypto;

// Declarations for the values these bindings read and build by hand; the
// report types are generated from the Rust types by `tsify`.
#[wasm_bindgen(typescript_custom_section)]
const TS_DECLARATIONS: &'static str = r#"
/** Certificate input: PEM or base64 text, or raw bytes (DER, PKCS#7, PEM). */
export type Input = string | Uint8Array | ArrayBuffer;

/** Options every export accepts; each field is optional. */
export interface Options {
    /** Profile name, see `profiles()`; default "apigw-rest". */
    profile?: string;
    /** "client" (default) or "server". */
    usage?: "client" | "server";
    /** DNS name or IP address the server certificate must match (usage "server"). */
    peerName?: string;
    peerNames?: string[];
    maxIntermediates?: number;
    keyUsage?: string[];
    /** Check time, RFC 3339; default now. */
    at?: string;
    /** CRL files, PEM or DER. */
    crls?: Input[];
    ignoreClientExpiry?: boolean;
    /** Days before notAfter that raise cert.expiring-soon; default 30. */
    warnDays?: number;
}

/** Options of `decodeForwarded`: verifies the decoded chain when a truststore is given. */
export interface DecodeOptions extends Options {
    truststore?: Input;
}

/** The result of `fixTruststore`. */
export interface FixedTruststore {
    /** The rewritten PEM bundle. */
    truststore: string;
    /** The lint report of the original bundle. */
    report: Report;
}

/** The response API Gateway expects from a REQUEST authorizer. */
export type AuthorizerResponse =
    | {
          principalId: string;
          policyDocument: {
              Version: string;
              Statement: { Action: string; Effect: "Allow" | "Deny"; Resource: string }[];
          };
          context: Record<string, string | number | boolean>;
      }
    | { isAuthorized: boolean; context: Record<string, string | number | boolean> };
"#;

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

fn error(message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&message.to_string()).into()
}

/// Reads an input argument: a string (its UTF-8 bytes) or a Uint8Array.
fn bytes_of(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if value.is_instance_of::<Uint8Array>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    if value.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(value).to_vec());
    }
    Err(error(format!("{name} must be a string or a Uint8Array")))
}

/// Returns `options[key]`, or `None` when the options or the field are
/// undefined or null.
fn present_field(options: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(None);
    }
    let value = Reflect::get(options, &JsValue::from_str(key))?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    Ok(Some(value))
}

fn string_field(options: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    let Some(value) = present_field(options, key)? else {
        return Ok(None);
    };
    value
        .as_string()
        .map(Some)
        .ok_or_else(|| error(format!("options.{key} must be a string")))
}

/// Reads `options.crls`: an array of strings or Uint8Arrays, one CRL file each.
fn crls_field(options: &JsValue) -> Result<Vec<Vec<u8>>, JsValue> {
    let Some(value) = present_field(options, "crls")? else {
        return Ok(Vec::new());
    };
    if !js_sys::Array::is_array(&value) {
        return Err(error(
            "options.crls must be an array of strings or Uint8Arrays",
        ));
    }
    js_sys::Array::from(&value)
        .iter()
        .enumerate()
        .map(|(index, crl)| bytes_of(&crl, &format!("options.crls[{index}]")))
        .collect()
}

fn string_list_field(options: &JsValue, key: &str) -> Result<Vec<String>, JsValue> {
    let Some(value) = present_field(options, key)? else {
        return Ok(Vec::new());
    };
    if !js_sys::Array::is_array(&value) {
        return Err(error(format!("options.{key} must be an array of strings")));
    }
    js_sys::Array::from(&value)
        .iter()
        .map(|entry| {
            entry
                .as_string()
                .ok_or_else(|| error(format!("options.{key} must be an array of strings")))
        })
        .collect()
}

fn count_field(options: &JsValue, key: &str) -> Result<Option<usize>, JsValue> {
    let Some(value) = present_field(options, key)? else {
        return Ok(None);
    };
    match value.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 => Ok(Some(n as usize)),
        _ => Err(error(format!(
            "options.{key} must be a whole number of at least 0"
        ))),
    }
}

fn read_options(options: &JsValue) -> Result<Options, JsValue> {
    if !(options.is_undefined() || options.is_null() || options.is_object()) {
        return Err(error("options must be an object"));
    }
    let profile = string_field(options, "profile")?
        .unwrap_or_else(|| crate::profile::DEFAULT_PROFILE.to_string());
    let at = match string_field(options, "at")? {
        Some(text) => parse_time(&text).map_err(error)?,
        None => (Date::now() / 1000.0).floor() as i64,
    };
    let mut parsed = Options::new(&profile, at);
    if let Some(usage) = string_field(options, "usage")? {
        parsed.usage = parse_usage(&usage).map_err(error)?;
    }
    parsed.peer_name = match string_field(options, "peerName")? {
        Some(name) => Some(name),
        None => string_field(options, "peer_name")?,
    };
    parsed.ignore_client_expiry = bool_field(options, "ignoreClientExpiry")?;
    parsed.warn_days = number_field(options, "warnDays")?;
    parsed.crls = crls_field(options)?;
    parsed.peer_names = string_list_field(options, "peerNames")?;
    parsed.max_intermediates = count_field(options, "maxIntermediates")?;
    parsed.key_usage = string_list_field(options, "keyUsage")?;
    Ok(parsed)
}

fn bool_field(options: &JsValue, key: &str) -> Result<bool, JsValue> {
    let Some(value) = present_field(options, key)? else {
        return Ok(false);
    };
    value
        .as_bool()
        .ok_or_else(|| error(format!("options.{key} must be a boolean")))
}

fn number_field(options: &JsValue, key: &str) -> Result<Option<i64>, JsValue> {
    let Some(value) = present_field(options, key)? else {
        return Ok(None);
    };
    match value.as_f64() {
        Some(number) if number.fract() == 0.0 && number.abs() < 1e12 => Ok(Some(number as i64)),
        _ => Err(error(format!("options.{key} must be a whole number"))),
    }
}

/// Reads a JSON argument: a string of JSON, UTF-8 bytes of JSON, or a plain object.
fn json_bytes_of(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    if value.is_string() || value.is_instance_of::<Uint8Array>() {
        return bytes_of(value, name);
    }
    if value.is_object() {
        return JSON::stringify(value)
            .map(|text| String::from(text).into_bytes())
            .map_err(|_| error(format!("{name} cannot be converted to JSON")));
    }
    Err(error(format!("{name} must be a JSON string or an object")))
}

/// Converts a report to a plain JS object through its JSON text, so the
/// object is exactly what the CLI prints.
fn to_js(report: Report) -> Result<JsValue, JsValue> {
    JSON::parse(&report.to_json())
}

#[wasm_bindgen(js_name = verifyChain, unchecked_return_type = "Report")]
pub fn verify_chain(
    #[wasm_bindgen(unchecked_param_type = "Input")] chain: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Input")] truststore: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let chain = bytes_of(&chain, "chain")?;
    let truststore = bytes_of(&truststore, "truststore")?;
    let options = read_options(&options)?;
    to_js(crate::verify_chain(&chain, &truststore, &options).map_err(error)?)
}

#[wasm_bindgen(js_name = lintTruststore, unchecked_return_type = "Report")]
pub fn lint_truststore(
    #[wasm_bindgen(unchecked_param_type = "Input")] truststore: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let truststore = bytes_of(&truststore, "truststore")?;
    let options = read_options(&options)?;
    to_js(crate::lint_truststore(&truststore, &options).map_err(error)?)
}

#[wasm_bindgen(js_name = inspectCsr, unchecked_return_type = "Report")]
pub fn inspect_csr(
    #[wasm_bindgen(unchecked_param_type = "Input")] csr: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let csr = bytes_of(&csr, "csr")?;
    let options = read_options(&options)?;
    to_js(crate::inspect_csr(&csr, &options).map_err(error)?)
}

#[wasm_bindgen(js_name = inspect, unchecked_return_type = "Report")]
pub fn inspect(
    #[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let input = bytes_of(&input, "input")?;
    let options = read_options(&options)?;
    to_js(crate::inspect(&input, &options).map_err(error)?)
}

/// Writes a truststore the profile accepts; returns `{truststore, report}`.
#[wasm_bindgen(js_name = fixTruststore, unchecked_return_type = "FixedTruststore")]
pub fn fix_truststore(
    #[wasm_bindgen(unchecked_param_type = "Input")] truststore: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let truststore = bytes_of(&truststore, "truststore")?;
    let options = read_options(&options)?;
    let fixed = crate::fix_truststore(&truststore, &options).map_err(error)?;
    let result = js_sys::Object::new();
    Reflect::set(
        &result,
        &JsValue::from_str("truststore"),
        &JsValue::from_str(&fixed.truststore),
    )?;
    Reflect::set(&result, &JsValue::from_str("report"), &to_js(fixed.report)?)?;
    Ok(result.into())
}

/// Decides on an API Gateway REQUEST authorizer event (object or JSON text)
/// under a policy (object or JSON text); returns the authorizer response.
/// `options.at` sets the check time when the policy has none.
#[wasm_bindgen(js_name = authorize, unchecked_return_type = "AuthorizerResponse")]
pub fn authorize(
    #[wasm_bindgen(unchecked_param_type = "object | string")] event: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Policy | string")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let event = json_bytes_of(&event, "event")?;
    let policy = json_bytes_of(&policy, "policy")?;
    let options = read_options(&options)?;
    let decision = crate::authorize(&event, &policy, options.at).map_err(error)?;
    let json = serde_json::to_string(&decision.response).map_err(error)?;
    JSON::parse(&json)
}

/// Lists every profile with each limit, its value and citation, as
/// `mtls-check profiles --format json` prints them.
#[wasm_bindgen(js_name = profileDetails, unchecked_return_type = "ProfileDetails[]")]
pub fn profile_details() -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(&crate::profile::details::all()).map_err(error)?;
    JSON::parse(&json)
}

/// Decodes a forwarded client certificate; `options.truststore` (string or
/// Uint8Array), when given, verifies it like `verifyChain`.
#[wasm_bindgen(js_name = decodeForwarded, unchecked_return_type = "Report")]
pub fn decode_forwarded(
    #[wasm_bindgen(unchecked_param_type = "Input")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "DecodeOptions | undefined")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let input = bytes_of(&input, "input")?;
    let parsed = read_options(&options)?;
    let truststore = if options.is_object() {
        let value = Reflect::get(&options, &JsValue::from_str("truststore"))?;
        if value.is_undefined() || value.is_null() {
            None
        } else {
            Some(bytes_of(&value, "options.truststore")?)
        }
    } else {
        None
    };
    to_js(crate::decode_forwarded(&input, truststore.as_deref(), &parsed).map_err(error)?)
}

/// Lists the profile names, the default first.
#[wasm_bindgen(js_name = profiles, unchecked_return_type = "string[]")]
pub fn profiles() -> Result<JsValue, JsValue> {
    let list = js_sys::Array::new();
    for name in crate::profile::PROFILE_NAMES {
        list.push(&JsValue::from_str(name));
    }
    Ok(list.into())
}

/// Reads a report argument: a report object, or its JSON text.
fn report_of(value: &JsValue) -> Result<Report, JsValue> {
    let json = match value.as_string() {
        Some(text) => text,
        None if value.is_object() => JSON::stringify(value)
            .map(String::from)
            .map_err(|_| error("report cannot be converted to JSON"))?,
        None => return Err(error("report must be a report object or its JSON text")),
    };
    serde_json::from_str(&json)
        .map_err(|e| error(format!("report is not an mtls-check report: {e}")))
}

/// Renders a report as SARIF 2.1.0 text, as `--format sarif` prints it.
/// `files` maps an input role ("chain", "truststore", "csr", "input") to the
/// file name that result locations should name; by default the role itself.
#[wasm_bindgen(js_name = toSarif)]
pub fn to_sarif(
    #[wasm_bindgen(unchecked_param_type = "Report | string")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, string> | undefined")] files: JsValue,
) -> Result<String, JsValue> {
    let report = report_of(&report)?;
    let mut names = Vec::new();
    if files.is_object() {
        for key in js_sys::Object::keys(files.unchecked_ref::<js_sys::Object>()).iter() {
            let Some(role) = key.as_string() else {
                continue;
            };
            let name = Reflect::get(&files, &key)?
                .as_string()
                .ok_or_else(|| error(format!("files.{role} must be a string")))?;
            names.push((role, name));
        }
    } else if !(files.is_undefined() || files.is_null()) {
        return Err(error(
            "files must be an object mapping input roles to file names",
        ));
    }
    let roles: Vec<(&str, String)> = names
        .iter()
        .map(|(role, name)| (role.as_str(), name.clone()))
        .collect();
    Ok(crate::report::sarif::render(&report, &roles))
}

/// Lists every certificate of a report with its expiry, and the date at
/// which the checked chain or truststore stops working.
#[wasm_bindgen(js_name = expiryForecast, unchecked_return_type = "ExpiryForecast")]
pub fn expiry_forecast(
    #[wasm_bindgen(unchecked_param_type = "Report | string")] report: JsValue,
) -> Result<JsValue, JsValue> {
    let report = report_of(&report)?;
    let forecast = crate::report::expiry::forecast(&report);
    let json = serde_json::to_string(&forecast).map_err(error)?;
    JSON::parse(&json)
}

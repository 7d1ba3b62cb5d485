//! The metadata a gateway sends beside a forwarded certificate (subject and
//! issuer DN, serial number, validity, fingerprint), compared with the
//! certificate itself. Each producer prints these fields its own way, so the
//! comparison parses both sides instead of comparing strings:
//!
//! - DNs: RFC 2253/4514 (most specific RDN first), OpenSSL one-line
//!   (`C=US, O=...`, certificate order) and the slash form (`/C=US/O=...`),
//!   compared as RDN sequences in either order;
//! - serial numbers: colon hex, plain hex (ALB: uppercase) or decimal
//!   (seen in real API Gateway events);
//! - times: OpenSSL `MMM dd HH:MM:SS YYYY GMT` with a space-padded day, ISO 8601.

use crate::x509::Certificate;

/// The certificate field a claim states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimField {
    SubjectDn,
    IssuerDn,
    /// Colon hex, plain hex or decimal.
    Serial,
    /// Hex only, as ALB sends it.
    HexSerial,
    NotBefore,
    NotAfter,
    /// SHA-256 of the DER, hex.
    Sha256,
}

impl ClaimField {
    pub fn name(self) -> &'static str {
        match self {
            ClaimField::SubjectDn => "subject",
            ClaimField::IssuerDn => "issuer",
            ClaimField::Serial | ClaimField::HexSerial => "serial number",
            ClaimField::NotBefore => "notBefore",
            ClaimField::NotAfter => "notAfter",
            ClaimField::Sha256 => "SHA-256 fingerprint",
        }
    }
}

/// One metadata value as the gateway sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub field: ClaimField,
    /// The JSON path or header it came from.
    pub source: String,
    pub value: String,
}

/// The result of comparing one claim with the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Matches,
    /// The claim differs; the text is the certificate's value.
    Differs(String),
    /// The claim could not be parsed. The text gives the reason.
    Unreadable(String),
}

/// Compares `claim` with `cert`.
pub fn compare(claim: &Claim, cert: &Certificate) -> Comparison {
    match claim.field {
        ClaimField::SubjectDn => compare_dn(&claim.value, &cert.subject.rfc4514),
        ClaimField::IssuerDn => compare_dn(&claim.value, &cert.issuer.rfc4514),
        ClaimField::Serial => compare_serial(&claim.value, cert, SerialForms::HexOrDecimal),
        ClaimField::HexSerial => compare_serial(&claim.value, cert, SerialForms::HexOnly),
        ClaimField::NotBefore => compare_time(&claim.value, cert.not_before),
        ClaimField::NotAfter => compare_time(&claim.value, cert.not_after),
        ClaimField::Sha256 => {
            let expected = cert
                .sha256_fingerprint
                .replace(':', "")
                .to_ascii_lowercase();
            if claim.value.replace(':', "").to_ascii_lowercase() == expected {
                Comparison::Matches
            } else {
                Comparison::Differs(expected)
            }
        }
    }
}

/// One attribute of a DN: upper-case type name and normalized value.
type Attribute = (String, String);

/// Parses a DN in RFC 4514, OpenSSL one-line or slash form into its
/// attributes in written order. Multi-valued RDNs are flattened.
pub fn parse_dn(text: &str) -> Result<Vec<Attribute>, String> {
    let text = text.trim();
    let (body, separators): (&str, &[char]) = match text.strip_prefix('/') {
        Some(rest) => (rest, &['/']),
        None => (text, &[',', '+']),
    };
    let mut attributes = Vec::new();
    let mut current = String::new();
    let mut chars = body.chars().peekable();
    let mut parts = Vec::new();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                current.push('\\');
                current.push(next);
            }
        } else if separators.contains(&c) {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);

    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let (kind, value) = part
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not of the form TYPE=value"))?;
        attributes.push((type_name(kind.trim()), normalize(&unescape(value.trim()))));
    }
    if attributes.is_empty() {
        return Err("the DN is empty".into());
    }
    Ok(attributes)
}

/// Maps attribute type spellings and OIDs to one upper-case name.
fn type_name(kind: &str) -> String {
    let upper = kind.to_ascii_uppercase();
    let name = match upper.as_str() {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" | "S" => "ST",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "SERIALNUMBER",
        "1.2.840.113549.1.9.1" | "E" => "EMAILADDRESS",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        other => return other.to_string(),
    };
    name.to_string()
}

/// Removes RFC 4514 escapes: `\,` and other single characters, and `\hh` hex pairs.
fn unescape(value: &str) -> String {
    let mut bytes = Vec::new();
    let raw = value.as_bytes();
    let mut index = 0;
    while let Some(&byte) = raw.get(index) {
        if byte == b'\\' {
            let pair = raw.get(index + 1..index + 3).and_then(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            });
            if let Some(decoded) = pair {
                bytes.push(decoded);
                index += 3;
                continue;
            }
            if let Some(&next) = raw.get(index + 1) {
                bytes.push(next);
                index += 2;
                continue;
            }
        }
        bytes.push(byte);
        index += 1;
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    text.trim_matches('"').to_string()
}

fn normalize(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn compare_dn(claimed: &str, certificate_rfc4514: &str) -> Comparison {
    let claimed_attributes = match parse_dn(claimed) {
        Ok(attributes) => attributes,
        Err(reason) => return Comparison::Unreadable(reason),
    };
    let Ok(actual) = parse_dn(certificate_rfc4514) else {
        return Comparison::Differs(certificate_rfc4514.to_string());
    };
    let mut reversed = actual.clone();
    reversed.reverse();
    if claimed_attributes == actual || claimed_attributes == reversed {
        Comparison::Matches
    } else {
        Comparison::Differs(certificate_rfc4514.to_string())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SerialForms {
    HexOrDecimal,
    HexOnly,
}

fn compare_serial(claimed: &str, cert: &Certificate, forms: SerialForms) -> Comparison {
    let text = claimed.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let compact: String = digits.chars().filter(|c| *c != ':' && *c != ' ').collect();
    if compact.is_empty() || !compact.chars().all(|c| c.is_ascii_hexdigit()) {
        return Comparison::Unreadable(format!(
            "{claimed:?} is neither colon hex, plain hex nor decimal"
        ));
    }
    let sign = if negative { "-" } else { "" };
    let hex = compact.trim_start_matches('0').to_ascii_lowercase();
    let hex = if hex.is_empty() {
        "00".to_string()
    } else {
        hex
    };
    let as_hex = format!("{sign}{hex}");
    // The certificate's hex keeps a leading zero nibble ("06d5...") but the claim's was
    // trimmed, so both are compared without leading zeros.
    let (actual_sign, actual_digits) = match cert.serial.hex.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", cert.serial.hex.as_str()),
    };
    let actual_digits = actual_digits.trim_start_matches('0');
    let actual_digits = if actual_digits.is_empty() {
        "00"
    } else {
        actual_digits
    };
    let hex_matches = as_hex == format!("{actual_sign}{actual_digits}");

    let is_decimal_candidate = forms == SerialForms::HexOrDecimal
        && !digits.contains(':')
        && compact.chars().all(|c| c.is_ascii_digit());
    let decimal = compact.trim_start_matches('0');
    let decimal = if decimal.is_empty() { "0" } else { decimal };
    let decimal_matches = is_decimal_candidate && format!("{sign}{decimal}") == cert.serial.decimal;

    if hex_matches || decimal_matches {
        Comparison::Matches
    } else {
        Comparison::Differs(format!(
            "{} (hex), {} (decimal)",
            cert.serial.hex, cert.serial.decimal
        ))
    }
}

/// Parses `MMM dd HH:MM:SS YYYY GMT` (OpenSSL, space-padded day) or ISO 8601 into Unix seconds.
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(time) =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return Some(time.unix_timestamp());
    }
    let mut fields = text.split_whitespace();
    let month = match fields.next()? {
        "Jan" => time::Month::January,
        "Feb" => time::Month::February,
        "Mar" => time::Month::March,
        "Apr" => time::Month::April,
        "May" => time::Month::May,
        "Jun" => time::Month::June,
        "Jul" => time::Month::July,
        "Aug" => time::Month::August,
        "Sep" => time::Month::September,
        "Oct" => time::Month::October,
        "Nov" => time::Month::November,
        "Dec" => time::Month::December,
        _ => return None,
    };

    let day: u8 = fields.next()?.parse().ok()?;
    let mut clock = fields.next()?.split(':');
    let hour: u8 = clock.next()?.parse().ok()?;
    let minute: u8 = clock.next()?.parse().ok()?;
    let second: u8 = clock.next()?.parse().ok()?;
    let year: i32 = fields.next()?.parse().ok()?;

    if fields.next()? != "GMT" || fields.next().is_some() {
        return None;
    }
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(date.with_time(time).assume_utc().unix_timestamp())
}

fn compare_time(claimed: &str, actual: i64) -> Comparison {
    match parse_time(claimed) {
        None => Comparison::Unreadable(format!(
            "{claimed:?} is neither 'MMM dd HH:MM:SS YYYY GMT' nor ISO 8601"
        )),
        Some(time) if time == actual => Comparison::Matches,
        Some(_) => Comparison::Differs(crate::x509::format_time(actual)),
    }
}

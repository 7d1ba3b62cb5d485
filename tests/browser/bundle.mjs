// Generates large truststores for the page tests: distinct self-signed P-256 CA certificates,
// DER-encoded by hand and signed with node:crypto, so no openssl run per certificate is needed.
//
// Each root has its own key, subject "CN=Generated Root N,O=mtls-check test", CA:TRUE and
// keyCertSign. notBefore is 2020-01-01; notAfter steps from 2031 to 2048 so the expiry
// forecast has many dates to list.

import { createHash, generateKeyPairSync, sign } from 'node:crypto';

const OID_ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SUBJECT_KEY_ID = '2.5.29.14';

function encodeLength(length) {
  if (length < 0x80) {
    return Buffer.from([length]);
  }
  const bytes = [];
  for (let rest = length; rest > 0; rest >>= 8) {
    bytes.unshift(rest & 0xff);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag, ...contents) {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

const sequence = (...items) => tlv(0x30, ...items);
const set = (...items) => tlv(0x31, ...items);
const utf8 = (text) => tlv(0x0c, Buffer.from(text, 'utf8'));
const octets = (bytes) => tlv(0x04, bytes);
const bits = (bytes) => tlv(0x03, Buffer.from([0]), bytes);
const explicit = (number, item) => tlv(0xa0 + number, item);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function integer(value) {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted) {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) {
      chunk.unshift(0x80 | (value & 0x7f));
    }
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

// UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 section 4.1.2.5).
function time(date) {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${text.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${text}Z`));
}

function name(commonName) {
  return sequence(set(sequence(oid(OID_COMMON_NAME), utf8(commonName))), set(sequence(oid(OID_ORGANIZATION), utf8('mtls-check test'))));
}

function extension(id, critical, value) {
  return critical ? sequence(oid(id), TRUE, octets(value)) : sequence(oid(id), octets(value));
}

function pem(der) {
  const lines = der.toString('base64').match(/.{1,64}/g);
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

// Returns one self-signed CA certificate as PEM.
export function generateRoot(index) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
  const subject = name(`Generated Root ${index}`);
  const algorithm = sequence(oid(OID_ECDSA_SHA256));
  const notAfter = new Date(Date.UTC(2031 + (index % 18), index % 12, 1 + (index % 28)));

  const tbs = sequence(
    explicit(0, integer(2)),
    integer(1000 + index),
    algorithm,
    subject,
    sequence(time(new Date(Date.UTC(2020, 0, 1))), time(notAfter)),
    subject,
    spki,
    explicit(
      3,
      sequence(
        extension(OID_BASIC_CONSTRAINTS, true, sequence(TRUE)),
        extension(OID_KEY_USAGE, true, tlv(0x03, Buffer.from([0x01, 0x06]))),
        extension(OID_SUBJECT_KEY_ID, false, octets(keyId)),
      ),
    ),
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  return pem(sequence(tbs, algorithm, bits(signature)));
}

// Returns a PEM bundle of `count` distinct self-signed CA certificates.
export function generateTruststore(count) {
  const roots = [];
  for (let index = 0; index < count; index += 1) {
    roots.push(generateRoot(index));
  }
  return roots.join('');
}

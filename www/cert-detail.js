// The certificate detail view: a modal <dialog> with the subject, issuer, serial, validity,
// key, signature algorithm, extensions and fingerprints of one report item.
//
// The report's item summary is shown at once. The full description comes from the checker's
// `inspect` export, run on the input the item came from and matched by SHA-256 fingerprint.
// Items of a forwarded header have no input box to inspect, so they show the summary only.

function create(tag, text = null, className = null) {
  const node = document.createElement(tag);
  if (text !== null && text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function addRow(list, term, value) {
  if (value === null || value === undefined || value === '') {
    return;
  }
  list.append(create('dt', term), create('dd', value));
}

function describeKey(key) {
  if (!key) return null;
  const parts = [key.name ?? key.type];
  if (key.bits) parts.push(`${key.bits} bits`);
  if (key.curve && !parts[0]?.includes(key.curve)) parts.push(key.curve);
  return parts.filter(Boolean).join(', ');
}

function describeSignatureAlgorithm(algorithm) {
  if (!algorithm || typeof algorithm !== 'object') return algorithm ?? null;
  return algorithm.oid ? `${algorithm.name} (${algorithm.oid})` : algorithm.name;
}

function describeBasicConstraints(constraints) {
  if (!constraints) return null;
  const parts = [constraints.ca ? 'CA:TRUE' : 'CA:FALSE'];
  if (constraints.path_len !== undefined && constraints.path_len !== null) {
    parts.push(`pathlen:${constraints.path_len}`);
  }
  if (constraints.critical) parts.push('critical');
  return parts.join(', ');
}

function describeValue(value) {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(describeValue).join(', ');
  if (typeof value === 'object' && typeof value.kind === 'string' && 'value' in value) return `${value.kind}:${value.value}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function summaryRows(list, item) {
  const summary = item.summary;
  addRow(list, 'Subject', summary.subject);
  addRow(list, 'Issuer', summary.issuer);
  addRow(list, 'Serial', summary.serial);
  addRow(list, 'Not before', summary.not_before);
  addRow(list, 'Not after', summary.not_after);
  addRow(list, 'Key', summary.key);
  addRow(list, 'Signature algorithm', summary.signature_algorithm);
  addRow(list, 'CA', summary.is_ca ? 'yes' : 'no');
  addRow(list, 'Self-signed', summary.self_signed ? 'yes' : 'no');
  addRow(list, 'SHA-256 fingerprint', summary.sha256_fingerprint);
}

function fullRows(list, certificate) {
  addRow(list, 'Subject', certificate.subject);
  addRow(list, 'Issuer', certificate.issuer);
  addRow(list, 'Version', certificate.version);
  addRow(list, 'Serial (hex)', certificate.serial?.hex);
  addRow(list, 'Serial (decimal)', certificate.serial?.decimal);
  addRow(list, 'Not before', certificate.validity?.not_before);
  addRow(list, 'Not after', certificate.validity?.not_after);
  addRow(list, 'Key', describeKey(certificate.public_key));
  addRow(list, 'Signature algorithm', describeSignatureAlgorithm(certificate.signature_algorithm));
  addRow(list, 'Self-signed', certificate.self_signed ? 'yes' : 'no');
  addRow(list, 'Basic constraints', describeBasicConstraints(certificate.basic_constraints));
  addRow(list, 'Key usage', describeValue(certificate.key_usage));
  addRow(list, 'Extended key usage', describeValue(certificate.extended_key_usage));
  addRow(list, 'Subject alternative names', describeValue(certificate.subject_alt_names));
  addRow(list, 'Subject key ID', certificate.subject_key_id);
  addRow(list, 'Authority key ID', certificate.authority_key_id);
  addRow(list, 'SHA-256 fingerprint', certificate.fingerprints?.sha256);
  addRow(list, 'SHA-1 fingerprint', certificate.fingerprints?.sha1);
}

function extensionTable(extensions) {
  if (!Array.isArray(extensions) || extensions.length === 0) {
    return [];
  }
  const table = create('table', null, 'extension-table');
  table.append(create('caption', `${extensions.length} extensions`));
  const head = create('tr');
  for (const heading of ['Extension', 'OID', 'Critical', 'Value']) {
    const cell = create('th', heading);
    cell.scope = 'col';
    head.append(cell);
  }
  table.append(create('thead'), create('tbody'));
  table.tHead.append(head);
  for (const extension of extensions) {
    const row = create('tr');
    row.append(create('td', extension.name ?? 'unknown'), create('td', extension.oid ?? ''), create('td', extension.critical ? 'yes' : 'no'), create('td', describeValue(extension.value) ?? ''));
    table.tBodies[0].append(row);
  }
  return [table];
}

function dialogElement() {
  let dialog = document.getElementById('certificate-dialog');
  if (dialog) {
    return dialog;
  }
  dialog = create('dialog', null, 'certificate-dialog');
  dialog.id = 'certificate-dialog';
  dialog.setAttribute('aria-labelledby', 'certificate-dialog-heading');
  document.body.append(dialog);
  return dialog;
}

// Opens the detail view of report item `index`; `describe` resolves to its full
// description or null. Focus returns to `trigger` when the dialog closes.
export function showCertificate(item, index, describe, trigger) {
  const dialog = dialogElement();
  const heading = create('h2', `Certificate: item ${index}`);
  heading.id = 'certificate-dialog-heading';
  const close = create('button', 'Close', 'dialog-close');
  close.type = 'button';
  close.addEventListener('click', () => dialog.close());
  const list = create('dl', null, 'certificate-fields');
  const status = create('p', 'Reading the certificate…', 'hint');
  status.setAttribute('role', 'status');

  if (item?.summary) {
    summaryRows(list, item);
  } else {
    status.textContent = 'This item is not a parsed certificate.';
  }
  dialog.replaceChildren(heading, status, list, close);
  dialog.onclose = () => trigger?.focus();
  if (!dialog.open) {
    dialog.showModal();
  }
  close.focus();

  describe
    .then((certificate) => {
      if (certificate === null) {
        status.textContent = item?.summary ? 'Showing the report summary; the full description needs the input in a box.' : status.textContent;
        return;
      }
      list.replaceChildren();
      fullRows(list, certificate);
      list.after(...extensionTable(certificate.extensions));
      status.textContent = 'Full description.';
      dialog.dataset.loaded = 'true';
    })
    .catch((error) => {
      status.textContent = `Reading the certificate failed: ${error.message}`;
    });
}

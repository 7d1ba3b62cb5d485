// Builds the DOM for one mtls-check report: verdict banner, findings per item, path, items.
//
// Every string from a report or an input goes in through textContent or an attribute value,
// never through innerHTML, because reports quote certificate subjects and file contents.

const SEVERITY_ORDER = ['error', 'warning', 'info'];

const VERDICT_MEANINGS = {
  accept: 'The gateway would accept this client chain.',
  deny: 'The gateway would reject this client chain.',
  pass: 'No problems found.',
  warn: 'Usable, with warnings.',
  fail: 'The gateway would reject this input.',
};

// Readable text for the origins in the report's `path.certificates[].source`.
const PATH_SOURCES = {
  presented: 'sent by the client',
  truststore: 'from the truststore',
};

let reportCount = 0;

// Table rows built per task. The browser may draw between chunks, so a table of thousands
// of rows does not block the tab while it is built (docs/benchmarks.md, "Page", measures it).
const ROWS_PER_CHUNK = 50;

// Appends buildRow(entry, index) for every entry to `body` in chunks, and marks the table
// with data-rows-complete when the last row is in.
function appendRows(table, body, entries, buildRow) {
  let next = 0;
  const appendChunk = () => {
    const end = Math.min(next + ROWS_PER_CHUNK, entries.length);
    const fragment = document.createDocumentFragment();
    for (; next < end; next += 1) {
      fragment.append(buildRow(entries[next], next));
    }
    body.append(fragment);
    if (next < entries.length) {
      setTimeout(appendChunk, 0);
    } else {
      table.dataset.rowsComplete = 'true';
    }
  };
  appendChunk();
}

function create(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) {
    node.className = options.className;
  }
  if (options.text !== undefined && options.text !== null) {
    node.textContent = String(options.text);
  }
  for (const [name, value] of Object.entries(options.attributes ?? {})) {
    node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function countBySeverity(findings) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    if (finding.severity in counts) {
      counts[finding.severity] += 1;
    }
  }
  return counts;
}

function renderVerdict(report) {
  const verdict = String(report.verdict ?? 'unknown');
  const counts = countBySeverity(report.findings ?? []);
  const banner = create('div', {
    className: `verdict verdict-${verdict}`,
    attributes: { 'data-verdict': verdict },
  });

  banner.append(
    create('span', { className: 'verdict-word', text: verdict }),
    create('span', { className: 'verdict-meaning', text: VERDICT_MEANINGS[verdict] ?? '' }),
    create('span', {
      className: 'verdict-counts',
      text: `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info`,
    }),
  );
  return banner;
}

function renderFacts(report) {
  const facts = create('dl', { className: 'facts' });
  const rows = [
    ['Command', report.command],
    ['Profile', report.profile],
    ['Checked at', report.checked_at],
    ['Tool', report.tool ? `${report.tool.name} ${report.tool.version}` : null],
  ];
  for (const [term, value] of rows) {
    if (value !== undefined && value !== null) {
      facts.append(create('dt', { text: term }), create('dd', { text: value }));
    }
  }
  return facts;
}

function itemLabel(report, index) {
  const item = report.items?.[index];
  if (!item) {
    return `Item ${index}`;
  }
  const subject = item.summary?.subject;
  const name = typeof subject === 'string' ? subject : (item.label ?? item.kind ?? 'input block');
  const role = item.role ? `${item.role} ` : '';
  return `Item ${index}: ${role}${name}`;
}

// One line for an item's summary: subject, key and validity for certificates, else its fields.
function describeSummary(summary) {
  if (summary === null || summary === undefined) {
    return '';
  }
  if (typeof summary !== 'object') {
    return String(summary);
  }
  if (typeof summary.subject === 'string') {
    const parts = [summary.subject];
    if (summary.key) parts.push(summary.key);
    if (summary.signature_algorithm) parts.push(summary.signature_algorithm);
    if (summary.not_before && summary.not_after) parts.push(`valid ${summary.not_before} to ${summary.not_after}`);
    return parts.join(' · ');
  }
  return Object.entries(summary)
    .filter(([, value]) => value !== null && typeof value !== 'object')
    .map(([key, value]) => `${key}: ${value}`)
    .join(' · ');
}

function renderFinding(finding) {
  const severity = String(finding.severity ?? 'info');
  const entry = create('li', { className: `finding severity-${severity}` });

  const heading = create('p', { className: 'finding-heading' });
  heading.append(
    create('span', { className: 'severity', text: severity }),
    ' ',
    create('code', { className: 'code', text: finding.code }),
  );
  entry.append(heading, create('p', { className: 'message', text: finding.message }));

  const details = create('dl', { className: 'finding-details' });
  const rows = [
    ['Subject', finding.subject],
    ['Gateway message', finding.gateway_message],
    ['Help', finding.help],
  ];
  for (const [term, value] of rows) {
    if (value !== undefined && value !== null && value !== '') {
      details.append(create('dt', { text: term }), create('dd', { text: value }));
    }
  }
  if (details.childElementCount > 0) {
    entry.append(details);
  }
  return entry;
}

function bySeverity(left, right) {
  return SEVERITY_ORDER.indexOf(left.severity) - SEVERITY_ORDER.indexOf(right.severity);
}

// Groups findings by the item they are about; findings about no single item come first.
function groupFindings(findings) {
  const groups = new Map();
  for (const finding of findings) {
    const key = Number.isInteger(finding.item) ? finding.item : null;
    if (!groups.has(key)) {
      groups.set(key, []);
    }
    groups.get(key).push(finding);
  }
  return [...groups.entries()].sort(([left], [right]) => {
    if (left === null) return -1;
    if (right === null) return 1;
    return left - right;
  });
}

function renderFindings(report) {
  const section = create('section', { className: 'findings' });
  section.append(create('h4', { text: 'Findings' }));

  const findings = report.findings ?? [];
  if (findings.length === 0) {
    section.append(create('p', { className: 'placeholder', text: 'No findings.' }));
    return section;
  }

  for (const [item, group] of groupFindings(findings)) {
    const title = item === null ? 'The input as a whole' : itemLabel(report, item);
    const list = create('ul', { className: 'finding-list' });
    list.append(...[...group].sort(bySeverity).map(renderFinding));
    section.append(create('div', { className: 'finding-group' }, [create('h5', { text: title }), list]));
  }
  return section;
}

// One line for a path entry: its text fields, whatever the entry's exact shape.
function describePathEntry(entry) {
  if (entry === null || typeof entry !== 'object') {
    return String(entry);
  }
  const parts = [];
  for (const key of ['role', 'subject', 'label', 'summary']) {
    if (typeof entry[key] === 'string' && entry[key] !== '') {
      parts.push(entry[key]);
    }
  }
  if (typeof entry.source === 'string') {
    parts.push(PATH_SOURCES[entry.source] ?? entry.source);
  }
  if (Number.isInteger(entry.item)) {
    parts.push(`item ${entry.item}`);
  }
  return parts.length > 0 ? parts.join(' · ') : JSON.stringify(entry);
}

function pathEntries(path) {
  if (Array.isArray(path)) {
    return path;
  }
  if (path && typeof path === 'object') {
    const list = Object.values(path).find((value) => Array.isArray(value));
    if (list) {
      return list;
    }
  }
  return null;
}

function renderPath(report, onShowCertificate) {
  const section = create('section', { className: 'path' });
  section.append(create('h4', { text: 'Path' }));

  const entries = pathEntries(report.path);
  if (entries === null || entries.length === 0) {
    const text = report.path ? JSON.stringify(report.path) : 'No valid path to a trust anchor was found.';
    section.append(create('p', { className: 'placeholder', text }));
    return section;
  }

  const rejected = report.path?.accepted === false;
  if (rejected) {
    section.append(create('p', { className: 'placeholder', text: 'Best candidate path, rejected:' }));
  }
  const failing = rejected ? failingEdge(report, entries) : null;
  const list = create('ol', { className: 'path-list path-diagram', attributes: { start: 0 } });
  entries.forEach((entry, index) => {
    const node = create('li', { className: 'path-node' });
    if (onShowCertificate && Number.isInteger(entry.item)) {
      const button = create('button', {
        className: 'path-certificate',
        text: describePathEntry(entry),
        attributes: { type: 'button', 'aria-haspopup': 'dialog', 'data-item': entry.item },
      });
      button.addEventListener('click', () => onShowCertificate(entry.item, button));
      node.append(button);
    } else {
      node.textContent = describePathEntry(entry);
    }
    const isLast = index === entries.length - 1;
    if (!isLast || failing?.index === index) {
      node.append(renderPathEdge(failing?.index === index ? failing : null, isLast));
    }
    list.append(node);
  });
  section.append(list);
  return section;
}

// Finds where a rejected path breaks: below the first certificate that carries an
// error finding, or above the last one when the path stops short of a trust anchor.
// Returns {index, reason} for the edge from entries[index] up to its issuer, or null.
function failingEdge(report, entries) {
  const errors = (report.findings ?? []).filter((finding) => finding.severity === 'error');
  for (const [index, entry] of entries.entries()) {
    const finding = errors.find((candidate) => candidate.item === entry.item);
    if (finding) {
      return { index, reason: finding.code };
    }
  }
  const lastIndex = entries.length - 1;
  if (entries[lastIndex]?.role !== 'anchor') {
    return { index: lastIndex, reason: errors[0]?.code ?? 'no trust anchor' };
  }
  return null;
}

// The edge from a certificate up to its issuer: "issued by", or the failure that breaks it.
function renderPathEdge(failing, isLast) {
  if (failing === null) {
    return create('p', { className: 'path-edge', text: '↓ issued by', attributes: { 'data-state': 'ok' } });
  }
  const text = isLast ? `✕ no accepted issuer: ${failing.reason}` : `✕ edge rejected: ${failing.reason}`;
  return create('p', { className: 'path-edge', text, attributes: { 'data-state': 'failed' } });
}

function describeOrigin(origin) {
  if (!origin || typeof origin !== 'object') {
    return '';
  }
  const parts = [];
  if (origin.source) parts.push(origin.source);
  if (Number.isInteger(origin.block)) parts.push(`block ${origin.block}`);
  if (Number.isInteger(origin.line)) parts.push(`line ${origin.line}`);
  if (Number.isInteger(origin.offset)) parts.push(`byte ${origin.offset}`);
  return parts.join(', ');
}

// A button opening the detail view of a parsed certificate, or nothing.
function detailsButton(item, index, onShowCertificate) {
  if (!onShowCertificate || !item.summary) {
    return [];
  }
  const button = create('button', {
    className: 'item-details',
    text: 'Details',
    attributes: { type: 'button', 'aria-haspopup': 'dialog', 'aria-label': `Details of item ${index}: ${item.summary.subject}`, 'data-item': index },
  });
  button.addEventListener('click', () => onShowCertificate(index, button));
  return [button];
}

function renderItems(report, onShowCertificate) {
  const section = create('section', { className: 'items' });
  section.append(create('h4', { text: 'Items' }));

  const items = report.items ?? [];
  if (items.length === 0) {
    section.append(create('p', { className: 'placeholder', text: 'No input blocks were read.' }));
    return section;
  }

  const table = create('table', { className: 'item-table' });
  const headings = ['#', 'Kind', 'Label', 'Role', 'OK', 'Encoding', 'Origin', 'Summary', 'Details'];
  table.append(
    create('thead', {}, [create('tr', {}, headings.map((text) => create('th', { text, attributes: { scope: 'col' } })))]),
  );

  const body = create('tbody');
  table.append(body);
  appendRows(table, body, items, (item, index) => {
    let ok = '';
    if (item.ok === true) {
      ok = 'yes';
    } else if (item.ok === false) {
      ok = 'no';
    }
    const cells = [
      create('th', { text: index, attributes: { scope: 'row' } }),
      create('td', { text: item.kind ?? '' }),
      create('td', { text: item.label ?? '' }),
      create('td', { text: item.role ?? '' }),
      create('td', { text: ok }),
      create('td', { text: item.encoding ?? '' }),
      create('td', { text: describeOrigin(item.origin) }),
      create('td', { className: 'summary', text: describeSummary(item.summary) }),
      create('td', {}, detailsButton(item, index, onShowCertificate)),
    ];
    return create('tr', { className: item.ok === false ? 'item-bad' : '' }, cells);
  });
  section.append(create('div', { className: 'table-scroll' }, [table]));
  return section;
}

function downloadReport(report) {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const link = create('a', { attributes: { href: url, download: `mtls-check-${report.command ?? 'report'}.json` } });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// The JSON text is built when the section is first opened, because for a large
// bundle it runs to megabytes.
function renderRawReport(report) {
  const details = create('details', { className: 'raw-report' });
  const pre = create('pre');
  details.append(create('summary', { text: 'Full report (JSON)' }), pre);
  details.addEventListener('toggle', () => {
    if (details.open && pre.textContent === '') {
      pre.textContent = JSON.stringify(report, null, 2);
    }
  });
  return details;
}

// The default warning window of cert.expiring-soon, used here only to highlight rows.
const EXPIRING_SOON_DAYS = 30;

const SCOPE_SENTENCES = {
  chain: 'This client chain stops working',
  truststore: 'Clients start being rejected by this truststore',
};

function describeDays(days) {
  if (days < 0) return `${plural(-days, 'day')} before the check time`;
  if (days === 0) return 'on the day of the check';
  return `${plural(days, 'day')} after the check time`;
}

function expiryState(certificate) {
  if (certificate.expired) return 'expired';
  if (certificate.days_left <= EXPIRING_SOON_DAYS) return 'expiring soon';
  return 'valid';
}

// The expiry forecast: when the chain or truststore stops working, then every
// certificate's notAfter, soonest first.
function renderForecast(report, forecast, onShowCertificate) {
  const section = create('section', { className: 'forecast' });
  section.append(create('h4', { text: 'Expiry forecast' }));

  const stops = forecast.stops_working;
  if (stops) {
    section.append(create('p', {
      className: `forecast-summary ${stops.days_left <= EXPIRING_SOON_DAYS ? 'forecast-soon' : ''}`,
      text: `${SCOPE_SENTENCES[stops.scope] ?? 'It stops working'} on ${stops.at} (${describeDays(stops.days_left)}), when item ${stops.item} expires: ${stops.subject}.`,
    }));
  } else if (report.path?.accepted === false) {
    section.append(create('p', { className: 'forecast-summary', text: 'The chain is rejected now, so it has no end date. The certificates expire as listed.' }));
  } else if (report.command === 'decode') {
    section.append(create('p', { className: 'forecast-summary', text: 'Without a truststore the chain is not verified, so it has no end date. The certificates expire as listed.' }));
  } else {
    section.append(create('p', { className: 'forecast-summary', text: 'No certificate here decides when the input stops working.' }));
  }

  if (forecast.certificates.length === 0) {
    return section;
  }
  const table = create('table', { className: 'forecast-table' });
  table.append(create('caption', { text: `Certificates by notAfter, checked at ${forecast.checked_at}` }));
  table.append(
    create('thead', {}, [create('tr', {}, ['#', 'Subject', 'Role', 'notAfter', 'Days left', 'State'].map((text) => create('th', { text, attributes: { scope: 'col' } })))]),
  );
  const body = create('tbody');
  table.append(body);
  appendRows(table, body, forecast.certificates, (certificate) => {
    const state = expiryState(certificate);
    const subject = create('td', { className: 'summary' });
    if (onShowCertificate) {
      const button = create('button', {
        className: 'link-button',
        text: certificate.subject,
        attributes: { type: 'button', 'aria-haspopup': 'dialog', 'data-item': certificate.item },
      });
      button.addEventListener('click', () => onShowCertificate(certificate.item, button));
      subject.append(button);
    } else {
      subject.textContent = certificate.subject;
    }
    return create('tr', { attributes: { 'data-state': state, 'data-on-path': certificate.on_path } }, [
      create('th', { text: certificate.item, attributes: { scope: 'row' } }),
      subject,
      create('td', { text: certificate.on_path ? `${certificate.role}, on the path` : certificate.role }),
      create('td', { text: certificate.not_after }),
      create('td', { text: certificate.days_left }),
      create('td', { text: state }),
    ]);
  });
  section.append(create('div', { className: 'table-scroll forecast-scroll' }, [table]));
  return section;
}

// Builds the view of one report, with a heading naming the check. `extras` may hold the
// expiry `forecast`, more `actions` (buttons after the JSON download) and
// `onShowCertificate(itemIndex, button)`, which opens a certificate's detail view.
export function renderReport(title, report, extras = {}) {
  const { forecast = null, actions = [], onShowCertificate = null } = extras;
  reportCount += 1;
  const headingId = `report-${reportCount}-heading`;
  const article = create('article', {
    className: 'report',
    attributes: { 'aria-labelledby': headingId, 'data-command': report.command ?? '' },
  });

  const download = create('button', { className: 'download', text: 'Download JSON report', attributes: { type: 'button' } });
  download.addEventListener('click', () => downloadReport(report));

  article.append(
    create('h3', { text: title, attributes: { id: headingId } }),
    renderVerdict(report),
    renderFacts(report),
    create('div', { className: 'report-actions' }, [download, ...actions]),
    renderFindings(report),
  );
  if (report.path) {
    article.append(renderPath(report, onShowCertificate));
  }
  if (forecast) {
    article.append(renderForecast(report, forecast, onShowCertificate));
  }
  article.append(renderItems(report, onShowCertificate), renderRawReport(report));
  return article;
}

// Builds the view of a check that could not run, such as one with an invalid option.
export function renderError(title, message) {
  reportCount += 1;
  const headingId = `report-${reportCount}-heading`;
  return create('article', { className: 'report report-error', attributes: { 'aria-labelledby': headingId } }, [
    create('h3', { text: title, attributes: { id: headingId } }),
    create('p', { className: 'error-message', text: message, attributes: { role: 'alert' } }),
  ]);
}

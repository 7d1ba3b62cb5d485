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

// Long lists (table rows, finding groups) are drawn in slices: each slice appends entries
// until SLICE_BUDGET_MS have passed, then yields until the next animation frame, so the
// tab keeps drawing frames while a report of a thousand certificates is built. The browser
// lays out only the batches near the viewport (content-visibility in style.css).
const SLICE_BUDGET_MS = 8;

// After this long without an animation frame (a tab hidden meanwhile draws none) the next
// slice runs from a timer instead.
const FRAME_WAIT_LIMIT_MS = 100;

// Lists waiting to be drawn, oldest first: {container, entries, build, next, onComplete}.
const pendingLists = [];

// Entries drawn and queued since the queue was last empty, for the progress bar.
const drawing = { drawn: 0, total: 0, waiters: [], listeners: new Set(), active: false };

// Waits for the next animation frame. A hidden tab draws no frames and throttles timers,
// so there the wait is a message to itself, which runs as soon as pending tasks have run.
function nextFrame() {
  if (document.hidden) {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FRAME_WAIT_LIMIT_MS);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Appends entries of the oldest lists until the slice's deadline; returns the count appended.
function drawSlice(deadline) {
  let appended = 0;
  while (pendingLists.length > 0 && performance.now() < deadline) {
    const list = pendingLists[0];
    const fragment = document.createDocumentFragment();
    while (list.next < list.entries.length && performance.now() < deadline) {
      fragment.append(list.build(list.entries[list.next], list.next));
      list.next += 1;
      appended += 1;
    }
    list.container.append(fragment);
    if (list.next === list.entries.length) {
      pendingLists.shift();
      list.onComplete();
    }
  }
  return appended;
}

async function drainPendingLists() {
  drawing.active = true;
  while (pendingLists.length > 0) {
    try {
      drawing.drawn += drawSlice(performance.now() + SLICE_BUDGET_MS);
    } catch (error) {
      // A list whose entry cannot be built is dropped, so the lists after it are still drawn.
      pendingLists.shift();
      reportError(error);
    }
    for (const listener of drawing.listeners) {
      listener(drawing.drawn, drawing.total);
    }
    if (pendingLists.length > 0) {
      await nextFrame();
    }
  }
  drawing.active = false;
  drawing.drawn = 0;
  drawing.total = 0;
  for (const resolve of drawing.waiters.splice(0)) {
    resolve();
  }
}

// Queues build(entry, index) for every entry, to be appended to `container` in slices; the
// first slice runs at once. Calls onComplete() after the last entry is appended.
function appendInSlices(container, entries, build, onComplete = () => {}) {
  pendingLists.push({ container, entries, build, next: 0, onComplete });
  drawing.total += entries.length;
  if (!drawing.active) {
    drainPendingLists();
  }
}

// Lists of more entries than this are appended in batches that the browser lays out only
// near the viewport (content-visibility: auto). Shorter lists are laid out whole, so they
// show in full in element screenshots and print without placeholders.
const LAZY_LAYOUT_MIN_ENTRIES = 64;

// Appends the entries to `container` in batches of `batchSize`, one element per batch built
// by buildBatch(start, end), drawn in slices. In a long list each batch gets lazy layout and
// an estimated height of `entryHeightRem` per entry, which the browser replaces with the
// measured height once it has drawn the batch.
function appendInBatches(container, entries, { batchSize, entryHeightRem, buildBatch, onComplete }) {
  const lazy = entries.length > LAZY_LAYOUT_MIN_ENTRIES;
  const starts = [];
  for (let start = 0; start < entries.length; start += batchSize) {
    starts.push(start);
  }
  const build = (start) => {
    const end = Math.min(start + batchSize, entries.length);
    const batch = buildBatch(start, end);
    if (lazy) {
      batch.classList.add('lazy-layout');
      batch.style.containIntrinsicBlockSize = `auto ${(end - start) * entryHeightRem}rem`;
    }
    return batch;
  };
  appendInSlices(container, starts, build, onComplete);
}

// Rows per <tbody> of a long table: fewer, larger groups keep the browser's per-frame
// visibility checks of lazily laid out elements cheap.
const ROWS_PER_GROUP = 32;

// Appends buildRow(entry, index) for every entry to `table` in row groups, and marks the
// table with data-rows-complete when the last row is in. `rowHeightRem` is the usual height
// of a row, measured in Chromium at a 1280-pixel-wide viewport.
function appendRows(table, entries, rowHeightRem, buildRow) {
  appendInBatches(table, entries, {
    batchSize: ROWS_PER_GROUP,
    entryHeightRem: rowHeightRem,
    buildBatch: (start, end) => {
      const body = create('tbody', { attributes: { role: 'rowgroup' } });
      for (let index = start; index < end; index += 1) {
        body.append(buildRow(entries[index], index));
      }
      return body;
    },
    onComplete: () => {
      table.dataset.rowsComplete = 'true';
    },
  });
}

// Resolves when every list queued so far is drawn. `onProgress(drawn, total)` is called
// after each slice until then.
export function whenReportsDrawn(onProgress = null) {
  if (!drawing.active) {
    return Promise.resolve();
  }
  if (onProgress) {
    drawing.listeners.add(onProgress);
  }
  return new Promise((resolve) => {
    drawing.waiters.push(() => {
      drawing.listeners.delete(onProgress);
      resolve();
    });
  });
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

// Finding groups per batch, which the browser lays out as a whole in a long list.
const GROUPS_PER_BATCH = 16;

// The usual height of a finding group with one finding, for lazy layout.
const FINDING_GROUP_HEIGHT_REM = 9;

function renderFindings(report) {
  const section = create('section', { className: 'findings' });
  section.append(create('h4', { text: 'Findings' }));

  const findings = report.findings ?? [];
  if (findings.length === 0) {
    section.append(create('p', { className: 'placeholder', text: 'No findings.' }));
    return section;
  }

  const groups = groupFindings(findings);
  appendInBatches(section, groups, {
    batchSize: GROUPS_PER_BATCH,
    entryHeightRem: FINDING_GROUP_HEIGHT_REM,
    buildBatch: (start, end) => {
      const batch = create('div', { className: 'finding-batch' });
      for (const [item, group] of groups.slice(start, end)) {
        const title = item === null ? 'The input as a whole' : itemLabel(report, item);
        const list = create('ul', { className: 'finding-list' });
        list.append(...[...group].sort(bySeverity).map(renderFinding));
        batch.append(create('div', { className: 'finding-group' }, [create('h5', { text: title }), list]));
      }
      return batch;
    },
  });
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

// Usual row heights of the item table (its summary wraps to four lines) and the forecast.
const ITEM_ROW_HEIGHT_REM = 6;
const FORECAST_ROW_HEIGHT_REM = 2;

// The long tables (items, forecast) are CSS grids, so that the browser can skip laying out
// rows far from the viewport (style.css). Browsers may drop the table semantics of a table
// whose CSS display is not `table`, so each part of one also states its ARIA role.
function longTable(className, headings, caption = null) {
  const table = create('table', { className: `${className} long-table`, attributes: { role: 'table' } });
  if (caption !== null) {
    table.append(create('caption', { text: caption }));
  }
  const headerCells = headings.map((text) => create('th', { text, attributes: { scope: 'col', role: 'columnheader' } }));
  table.append(create('thead', { attributes: { role: 'rowgroup' } }, [tableRow({}, headerCells)]));
  return table;
}

function tableRow(options, cells) {
  return create('tr', { ...options, attributes: { role: 'row', ...options.attributes } }, cells);
}

// A body cell of a long table: a <th> is the row header, a <td> a plain cell.
function tableCell(tag, options = {}, children = []) {
  const roleAttributes = tag === 'th' ? { scope: 'row', role: 'rowheader' } : { role: 'cell' };
  return create(tag, { ...options, attributes: { ...roleAttributes, ...options.attributes } }, children);
}

function renderItems(report, onShowCertificate) {
  const section = create('section', { className: 'items' });
  section.append(create('h4', { text: 'Items' }));

  const items = report.items ?? [];
  if (items.length === 0) {
    section.append(create('p', { className: 'placeholder', text: 'No input blocks were read.' }));
    return section;
  }

  const headings = ['#', 'Kind', 'Label', 'Role', 'OK', 'Encoding', 'Origin', 'Summary', 'Details'];
  const table = longTable('item-table', headings);
  appendRows(table, items, ITEM_ROW_HEIGHT_REM, (item, index) => {
    let ok = '';
    if (item.ok === true) {
      ok = 'yes';
    } else if (item.ok === false) {
      ok = 'no';
    }
    const cells = [
      tableCell('th', { text: index }),
      tableCell('td', { text: item.kind ?? '' }),
      tableCell('td', { text: item.label ?? '' }),
      tableCell('td', { text: item.role ?? '' }),
      tableCell('td', { text: ok }),
      tableCell('td', { text: item.encoding ?? '' }),
      tableCell('td', { text: describeOrigin(item.origin) }),
      tableCell('td', { className: 'summary', text: describeSummary(item.summary) }),
      tableCell('td', {}, detailsButton(item, index, onShowCertificate)),
    ];
    return tableRow({ className: item.ok === false ? 'item-bad' : '' }, cells);
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
  const headings = ['#', 'Subject', 'Role', 'notAfter', 'Days left', 'State'];
  const table = longTable('forecast-table', headings, `Certificates by notAfter, checked at ${forecast.checked_at}`);
  appendRows(table, forecast.certificates, FORECAST_ROW_HEIGHT_REM, (certificate) => {
    const state = expiryState(certificate);
    const subject = tableCell('td', { className: 'summary' });
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
    return tableRow({ attributes: { 'data-state': state, 'data-on-path': certificate.on_path } }, [
      tableCell('th', { text: certificate.item }),
      subject,
      tableCell('td', { text: certificate.on_path ? `${certificate.role}, on the path` : certificate.role }),
      tableCell('td', { text: certificate.not_after }),
      tableCell('td', { text: certificate.days_left }),
      tableCell('td', { text: state }),
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

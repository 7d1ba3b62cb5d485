// The example portal's script (embed-example.html): loads the portal's inputs into the
// <mtls-check-panel>, runs the check and lists the verdicts the panel sends back.

const panel = document.getElementById('panel');
const status = document.getElementById('portal-status');
const verdicts = document.getElementById('portal-verdicts');

function showResults(results, origin) {
  const lines = results.map((result) => {
    const line = document.createElement('li');
    line.dataset.verdict = result.report?.verdict ?? 'error';
    line.textContent = result.error === undefined ? `${result.title}: ${result.report.verdict}` : `${result.title}: ${result.error}`;
    return line;
  });
  verdicts.replaceChildren(...lines);
  status.textContent = `Received ${results.length} result(s) from the panel (${origin}).`;
}

async function loadAndCheck() {
  const truststore = document.getElementById('portal-truststore').value;
  const chain = document.getElementById('portal-chain').value;
  await panel.clear();
  await panel.setProfile(document.getElementById('portal-profile').value);
  await panel.setOptions({ at: document.getElementById('portal-time').value.trim() || null });
  if (truststore.trim() !== '') await panel.load(truststore, { kind: 'truststore', name: 'portal truststore' });
  if (chain.trim() !== '') await panel.load(chain, { kind: 'chain', name: 'portal chain' });
  showResults(await panel.check(), 'requested by the portal');
}

panel.addEventListener('mtls-check-ready', () => {
  status.textContent = 'The panel is ready.';
});

// Checks started inside the panel (its own Check button) arrive here too.
panel.addEventListener('mtls-check-report', (event) => {
  if (event.detail.requestId === null) {
    showResults(event.detail.results, 'started in the panel');
  }
});

document.getElementById('portal-check').addEventListener('click', () => {
  status.textContent = 'Checking…';
  loadAndCheck().catch((error) => {
    status.textContent = `The panel reported an error: ${error.message}`;
  });
});

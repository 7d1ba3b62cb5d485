// The page's side of the embedding API: with ?embed=1, an internal portal that frames the
// page drives it through postMessage. docs/embedding.md documents the messages.
//
// A message is handled only when both hold:
// - it comes from the window that frames this page (event.source === window.parent), so
//   other frames and pop-ups cannot drive it;
// - its origin is this page's own origin or one listed in the page's
//   <meta name="mtls-check-embed-origins" content="https://portal.example.com ...">.
// Everything the page sends goes to the parent only, with an allowed origin as the
// target, so reports never reach a page that is not on the list.

const PREFIX = 'mtls-check:';
const ORIGINS_META = 'mtls-check-embed-origins';

export function allowedOrigins() {
  const listed = document.querySelector(`meta[name="${ORIGINS_META}"]`)?.getAttribute('content') ?? '';
  return new Set([location.origin, ...listed.split(/\s+/).filter((origin) => origin !== '')]);
}

// A report for the portal: the results without their DOM views.
function describeResults(results) {
  return results.map(({ title, report, forecast, error }) =>
    error === undefined ? { title, report, forecast } : { title, error },
  );
}

// Sends to the parent under each allowed origin; the browser delivers only the copy
// whose target matches the parent's real origin.
function broadcastToParent(origins, message) {
  for (const origin of origins) {
    window.parent.postMessage(message, origin);
  }
}

// Tells the framing portal that the checker failed to load, so the portal stops
// waiting for a ready message that will never come.
export function reportCheckerFailure(message) {
  if (window.parent === window) {
    return;
  }
  broadcastToParent(allowedOrigins(), { type: `${PREFIX}checker-failed`, message });
}

export function startEmbedMode(page) {
  if (window.parent === window) {
    return;
  }
  const origins = allowedOrigins();
  const state = { portalStartedCheck: false };
  const broadcast = (message) => broadcastToParent(origins, message);

  // A check the user started inside the frame is reported too, with requestId null.
  document.addEventListener('mtls-check:results', (event) => {
    if (!state.portalStartedCheck) {
      broadcast({ type: `${PREFIX}report`, requestId: null, results: describeResults(event.detail) });
    }
  });

  // Messages run one at a time, in arrival order, so a check uses every input loaded before it.
  let queue = Promise.resolve();
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || !origins.has(event.origin)) {
      return;
    }
    queue = queue.then(() => handleMessage(page, state, event));
  });

  broadcast({ type: `${PREFIX}ready`, profiles: page.profiles });
}

function isApiMessage(message) {
  return message !== null && typeof message === 'object' && typeof message.type === 'string' && message.type.startsWith(PREFIX);
}

async function handleMessage(page, state, event) {
  const message = event.data;
  if (!isApiMessage(message)) {
    return;
  }
  const reply = (type, fields) =>
    window.parent.postMessage({ type: `${PREFIX}${type}`, requestId: message.requestId ?? null, ...fields }, event.origin);

  try {
    switch (message.type.slice(PREFIX.length)) {
      case 'load': {
        const name = String(message.name ?? 'input');
        const kind = await page.loadInput(message.kind ?? null, name, message.data);
        reply('loaded', { name, kind });
        break;
      }
      case 'set-profile':
        page.setProfile(String(message.profile));
        reply('profile-set', { profile: String(message.profile) });
        break;
      case 'set-options':
        page.setOptions(message.options ?? {});
        reply('options-set', {});
        break;
      case 'clear':
        page.clear();
        reply('cleared', {});
        break;
      case 'check': {
        state.portalStartedCheck = true;
        const results = await page.runChecks().finally(() => {
          state.portalStartedCheck = false;
        });
        reply('report', { results: describeResults(results) });
        break;
      }
      default:
        reply('error', { message: `unknown message type ${message.type}: expected load, set-profile, set-options, clear or check` });
    }
  } catch (error) {
    reply('error', { message: error instanceof Error ? error.message : String(error) });
  }
}

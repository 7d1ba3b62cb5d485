// <mtls-check-panel>: the mtls-check page as a custom element for internal portals.
//
// The element frames index.html?embed=1 (beside this module, or the `src` attribute) in
// its shadow root and drives it through the postMessage API of docs/embedding.md. The
// page keeps its own Content-Security-Policy inside the frame, so the checks still make
// no network request. It accepts messages only from its own frame and that frame's origin.
//
//   <script type="module" src="/www/embed.js"></script>   (the path `make serve` uses)
//   <mtls-check-panel profile="alb"></mtls-check-panel>
//
//   const panel = document.querySelector('mtls-check-panel');
//   await panel.load(pemText, { kind: 'truststore', name: 'bundle.pem' });
//   const results = await panel.check();   // [{title, report, forecast} | {title, error}]
//
// Events: `mtls-check-ready` (detail: {profiles}); `mtls-check-report` (detail:
// {requestId, results}), also when the user presses Check inside the panel; and
// `mtls-check-error` (detail: {message}) when the checker fails to load or the page
// rejects the `profile` attribute.

const PREFIX = 'mtls-check:';
const DEFAULT_HEIGHT = '900px';
// Time allowed, after the frame has loaded, for the page to send its ready message. The
// `ready-timeout` attribute (milliseconds) overrides it. The default leaves room for a slow
// machine, because it only has to end the wait for a page that will never be ready.
const DEFAULT_READY_TIMEOUT_MS = 30_000;
const REMOVED_MESSAGE = 'the mtls-check panel was removed from the page';

// A promise with its settle functions, for the element's `ready`.
function createReadyState() {
  const state = { settled: false };
  state.promise = new Promise((resolve, reject) => {
    state.resolve = () => {
      state.settled = true;
      resolve();
    };
    state.reject = (error) => {
      state.settled = true;
      reject(error);
    };
  });
  // Callers that await `ready` or a method still receive the rejection. This handler only
  // keeps a panel that nobody awaits from logging an unhandled rejection.
  state.promise.catch(() => {});
  return state;
}

class MtlsCheckPanel extends HTMLElement {
  static observedAttributes = ['profile'];

  #frame = null;
  #origin = null;
  #ready = null;
  #readyTimer = null;
  #pending = new Map();
  #nextId = 0;
  #onMessage = (event) => this.#receive(event);

  // Runs on every insertion. Moving the element removes and re-inserts it, and the browser
  // discards a removed iframe's page, so each insertion frames a fresh page with a new
  // `ready`. The shadow root is created once and kept.
  connectedCallback() {
    if (this.#frame !== null) {
      return;
    }
    const src = new URL(this.getAttribute('src') ?? './index.html', import.meta.url);
    src.searchParams.set('embed', '1');
    this.#origin = src.origin;
    this.#ready = createReadyState();

    const root = this.shadowRoot ?? this.#createShadowRoot();
    this.#frame = document.createElement('iframe');
    this.#frame.title = this.getAttribute('frame-title') ?? 'mtls-check: certificate checker';
    this.#frame.addEventListener('load', () => this.#startReadyTimer(src.href));
    this.#frame.src = src.href;
    root.append(this.#frame);
    window.addEventListener('message', this.#onMessage);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
    this.#stopReadyTimer();
    this.#ready?.reject(new Error(REMOVED_MESSAGE));
    this.#rejectPending(REMOVED_MESSAGE);
    this.#frame?.remove();
    this.#frame = null;
  }

  attributeChangedCallback(name, _old, value) {
    // Before connectedCallback the frame does not exist yet; the ready handler applies it.
    if (name === 'profile' && value && this.#frame !== null) {
      this.#applyProfile(value);
    }
  }

  // Resolves once the framed page has loaded its checker. Rejects when the checker failed
  // to load, when no ready message came within the ready timeout, or when the element is
  // removed first. Each insertion into the document starts a new `ready`.
  get ready() {
    if (this.#frame === null) {
      return Promise.reject(new Error('the mtls-check panel is not in the document: insert it before calling its methods'));
    }
    return this.#ready.promise;
  }

  // Loads a truststore, client chain, CSR or forwarded header/event. `kind` may be
  // "truststore", "chain", "csr" or "forwarded"; without it the page detects the kind.
  // Resolves to the kind used.
  async load(data, { kind = null, name = 'input' } = {}) {
    const reply = await this.#send({ type: 'load', kind, name, data });
    return reply.kind;
  }

  async setProfile(profile) {
    await this.#send({ type: 'set-profile', profile });
  }

  // Sets {at, usage, peerName}; an absent field keeps its value.
  async setOptions(options) {
    await this.#send({ type: 'set-options', options });
  }

  async clear() {
    await this.#send({ type: 'clear' });
  }

  // Runs the checks the loaded inputs call for; resolves to their results.
  async check() {
    const reply = await this.#send({ type: 'check' });
    return reply.results;
  }

  #createShadowRoot() {
    const root = this.attachShadow({ mode: 'open' });
    // A constructed style sheet, because a portal's CSP may forbid inline <style>.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`:host { display: block; } iframe { width: 100%; height: var(--mtls-check-height, ${DEFAULT_HEIGHT}); border: 0; }`);
    root.adoptedStyleSheets = [sheet];
    return root;
  }

  // Selects the `profile` attribute's value, and raises mtls-check-error when the page
  // rejects it, so a bad attribute never fails silently.
  #applyProfile(profile) {
    this.setProfile(profile).catch((error) => this.#dispatchError(error.message));
  }

  #dispatchError(message) {
    this.dispatchEvent(new CustomEvent('mtls-check-error', { detail: { message } }));
  }

  // Rejects `ready` and every pending call, and raises mtls-check-error.
  #fail(message) {
    this.#stopReadyTimer();
    if (this.#ready === null || this.#ready.settled) {
      return;
    }
    this.#ready.reject(new Error(message));
    this.#rejectPending(message);
    this.#dispatchError(message);
  }

  #startReadyTimer(pageUrl) {
    if (this.#ready === null || this.#ready.settled || this.#readyTimer !== null) {
      return;
    }
    const attribute = Number(this.getAttribute('ready-timeout'));
    const timeoutMs = Number.isFinite(attribute) && attribute > 0 ? attribute : DEFAULT_READY_TIMEOUT_MS;
    this.#readyTimer = setTimeout(() => {
      this.#readyTimer = null;
      this.#fail(`the mtls-check page at ${pageUrl} sent no ready message within ${timeoutMs} ms of loading: check that the URL serves www/index.html with the built pkg/ folder beside www/`);
    }, timeoutMs);
  }

  #stopReadyTimer() {
    clearTimeout(this.#readyTimer);
    this.#readyTimer = null;
  }

  #rejectPending(message) {
    for (const { reject } of this.#pending.values()) {
      reject(new Error(message));
    }
    this.#pending.clear();
  }

  async #send(fields) {
    const frame = this.#frame;
    await this.ready;
    // The element may have been removed, or moved and given a new frame, meanwhile.
    if (frame === null || this.#frame !== frame) {
      throw new Error(REMOVED_MESSAGE);
    }
    this.#nextId += 1;
    const requestId = `panel-${this.#nextId}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject });
      frame.contentWindow.postMessage({ ...fields, type: `${PREFIX}${fields.type}`, requestId }, this.#origin);
    });
  }

  #receive(event) {
    if (this.#frame === null || event.source !== this.#frame.contentWindow || event.origin !== this.#origin) {
      return;
    }
    const message = event.data;
    if (message === null || typeof message !== 'object' || typeof message.type !== 'string' || !message.type.startsWith(PREFIX)) {
      return;
    }
    const type = message.type.slice(PREFIX.length);

    if (type === 'ready') {
      this.#stopReadyTimer();
      this.#ready.resolve();
      this.dispatchEvent(new CustomEvent('mtls-check-ready', { detail: { profiles: message.profiles } }));
      const profile = this.getAttribute('profile');
      if (profile) {
        this.#applyProfile(profile);
      }
      return;
    }
    if (type === 'checker-failed') {
      this.#fail(`the mtls-check page failed to load its checker: ${message.message}`);
      return;
    }
    if (type === 'report') {
      this.dispatchEvent(new CustomEvent('mtls-check-report', { detail: { requestId: message.requestId, results: message.results } }));
    }

    const pending = this.#pending.get(message.requestId);
    if (!pending) {
      return;
    }
    this.#pending.delete(message.requestId);
    if (type === 'error') {
      pending.reject(new Error(message.message));
    } else {
      pending.resolve(message);
    }
  }
}

if (!customElements.get('mtls-check-panel')) {
  customElements.define('mtls-check-panel', MtlsCheckPanel);
}

export { MtlsCheckPanel };

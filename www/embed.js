// <mtls-check-panel>: the mtls-check page as a custom element for internal portals.
//
// The element frames index.html?embed=1 (beside this module, or the `src` attribute) in
// its shadow root and drives it through the postMessage API of docs/embedding.md. The
// page keeps its own Content-Security-Policy inside the frame, so the checks still make
// no network request. It accepts messages only from its own frame and that frame's origin.
//
//   <script type="module" src="/mtls-check/embed.js"></script>
//   <mtls-check-panel profile="alb"></mtls-check-panel>
//
//   const panel = document.querySelector('mtls-check-panel');
//   await panel.load(pemText, { kind: 'truststore', name: 'bundle.pem' });
//   const results = await panel.check();   // [{title, report, forecast} | {title, error}]
//
// Events: `mtls-check-ready` (detail: {profiles}) and `mtls-check-report` (detail:
// {requestId, results}), the latter also when the user presses Check inside the panel.

const PREFIX = 'mtls-check:';
const DEFAULT_HEIGHT = '900px';

class MtlsCheckPanel extends HTMLElement {
  static observedAttributes = ['profile'];

  #frame = null;
  #origin = null;
  #ready = null;
  #markReady = null;
  #pending = new Map();
  #nextId = 0;
  #onMessage = (event) => this.#receive(event);

  connectedCallback() {
    if (this.#frame !== null) {
      return;
    }
    const src = new URL(this.getAttribute('src') ?? './index.html', import.meta.url);
    src.searchParams.set('embed', '1');
    this.#origin = src.origin;
    this.#ready = new Promise((resolve) => {
      this.#markReady = resolve;
    });

    const root = this.attachShadow({ mode: 'open' });
    // A constructed style sheet, because a portal's CSP may forbid inline <style>.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`:host { display: block; } iframe { width: 100%; height: var(--mtls-check-height, ${DEFAULT_HEIGHT}); border: 0; }`);
    root.adoptedStyleSheets = [sheet];
    this.#frame = document.createElement('iframe');
    this.#frame.title = this.getAttribute('frame-title') ?? 'mtls-check: certificate checker';
    this.#frame.src = src.href;
    root.append(this.#frame);
    window.addEventListener('message', this.#onMessage);
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
    for (const { reject } of this.#pending.values()) {
      reject(new Error('the mtls-check panel was removed from the page'));
    }
    this.#pending.clear();
    this.#frame?.remove();
    this.#frame = null;
  }

  attributeChangedCallback(name, _old, value) {
    // Before connectedCallback the frame does not exist yet; the ready handler applies it.
    if (name === 'profile' && value && this.#frame !== null) {
      this.setProfile(value).catch((error) => this.dispatchEvent(new CustomEvent('mtls-check-error', { detail: { message: error.message } })));
    }
  }

  // Resolves once the framed page has loaded its checker.
  get ready() {
    return this.#ready ?? Promise.reject(new Error('the mtls-check panel is not in the document'));
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

  async #send(fields) {
    await this.ready;
    this.#nextId += 1;
    const requestId = `panel-${this.#nextId}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject });
      this.#frame.contentWindow.postMessage({ ...fields, type: `${PREFIX}${fields.type}`, requestId }, this.#origin);
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
      this.#markReady();
      this.dispatchEvent(new CustomEvent('mtls-check-ready', { detail: { profiles: message.profiles } }));
      const profile = this.getAttribute('profile');
      if (profile) {
        this.setProfile(profile).catch(() => {});
      }
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

// The page's side of check-worker.js: one module worker, and a call() that
// resolves to an operation's result and reports the worker's stage messages
// on the way.

export function startChecker() {
  const worker = new Worker(new URL('./check-worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let nextId = 0;

  worker.addEventListener('message', (event) => {
    const { id, stage, message, result, error } = event.data;
    const call = pending.get(id);
    if (!call) {
      return;
    }
    if (stage !== undefined) {
      call.onStage?.(stage, message);
      return;
    }
    pending.delete(id);
    if (error !== undefined) {
      call.reject(new Error(error));
    } else {
      call.resolve(result);
    }
  });

  // A worker that fails to start or dies (out of memory, say) ends every pending call,
  // so the page reports the failure instead of waiting for ever.
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    const reason = new Error(`the checker worker failed: ${event.message || 'no message'}; reload the page`);
    for (const call of pending.values()) {
      call.reject(reason);
    }
    pending.clear();
  });

  // Calls `operation` in the worker with `args`; `onStage(stage, message)`
  // receives its progress messages.
  function call(operation, args = [], onStage = null) {
    nextId += 1;
    const id = nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onStage });
      worker.postMessage({ id, operation, args });
    });
  }

  return { call };
}

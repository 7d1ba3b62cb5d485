# workerd configuration that runs the Worker locally against a stand-in origin.
# Start it with: workerd serve config.capnp --socket-addr http=127.0.0.1:8787
# The package entries are read from ../../pkg (built by `make pkg`).
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "mtls-check-worker", worker = .checker),
    (name = "origin", worker = .origin),
  ],
  sockets = [
    (name = "http", address = "127.0.0.1:8787", http = (), service = "mtls-check-worker"),
  ],
);

const checker :Workerd.Worker = (
  compatibilityDate = "2025-01-01",
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "mtls-check", esModule = embed "../../pkg/workers.js"),
    (name = "mtls_check.js", esModule = embed "../../pkg/mtls_check.js"),
    (name = "mtls_check_bg.wasm", wasm = embed "../../pkg/mtls_check_bg.wasm"),
  ],
  bindings = [
    (name = "TRUSTSTORE", text = embed "truststore.pem"),
    (name = "PROFILE", text = "cloudflare"),
    (name = "ORIGIN", service = "origin"),
  ],
);

const origin :Workerd.Worker = (
  compatibilityDate = "2025-01-01",
  modules = [(name = "origin.js", esModule = embed "origin.js")],
);

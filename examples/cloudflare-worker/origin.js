// A stand-in origin for local runs: echoes the request's X-Client-* headers as JSON.
export default {
  async fetch(request) {
    const identity = {};
    for (const [name, value] of request.headers) {
      if (name.startsWith('x-client-')) identity[name] = value;
    }
    return Response.json({ origin: 'reached', identity });
  },
};

/**
 * The benchmark's fallback target: a Deno.serve server in its own process, plain on the first port given and
 * TLS (the test certificate) on the second.
 */
const body = new TextEncoder().encode("Hello, World!\n");
const tlsDir = new URL("../tests/fixtures/tls/", import.meta.url);
const handler = () => new Response(body);
Deno.serve({ hostname: "127.0.0.1", port: Number(Deno.args[0]), onListen: () => {} }, handler);
Deno.serve({
  hostname: "127.0.0.1",
  port: Number(Deno.args[1]),
  // The leaf and its CA, as nginx in bench.ts sends them.
  cert: Deno.readTextFileSync(new URL("server.pem", tlsDir)) +
    Deno.readTextFileSync(new URL("ca.pem", tlsDir)),
  key: Deno.readTextFileSync(new URL("server.key", tlsDir)),
  onListen: () => {},
}, handler);

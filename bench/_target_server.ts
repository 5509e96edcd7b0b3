/** The benchmark's fallback target: the demo server in its own process, on the port given as the argument. */
const body = new TextEncoder().encode("Hello, World!\n");
Deno.serve(
  { hostname: "127.0.0.1", port: Number(Deno.args[0]), onListen: () => {} },
  () => new Response(body),
);

/**
 * The embedded default target: a small, fast HTTP server on a free loopback port, so a new user sees a whole
 * report without a server of their own (`wrk-deno demo`).
 */

/** A running demo server; `close()` stops it. */
export interface DemoServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

const BODY = new TextEncoder().encode("Hello, World!\n");

/** Starts the demo server on 127.0.0.1 and an ephemeral port. */
export function startDemoServer(): DemoServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response(BODY, { headers: { "content-type": "text/plain" } }),
  );
  const { port } = server.addr as Deno.NetAddr;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => server.shutdown(),
  };
}

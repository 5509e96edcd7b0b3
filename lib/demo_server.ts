/**
 * The embedded default target: a small, fast HTTP server on a free loopback port, so a new user sees a whole
 * report without a server of their own (`wrk-deno demo`).
 *
 * @module
 */

/**
 * A running demo server; `close()` stops it.
 *
 * @example Closing the server when done
 * ```ts
 * import { type DemoServer, startDemoServer } from "./demo_server.ts";
 *
 * const server: DemoServer = startDemoServer();
 * try {
 *   console.log(`benchmark ${server.url}`);
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export interface DemoServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Stops accepting connections and resolves once open ones are finished. */
  close(): Promise<void>;
}

const BODY = new TextEncoder().encode("Hello, World!\n");

/**
 * Starts the demo server on 127.0.0.1 and an ephemeral port. It answers every request with
 * `200 Hello, World!`.
 *
 * @example Fetching from the demo server
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { startDemoServer } from "./demo_server.ts";
 *
 * const server = startDemoServer();
 * const response = await fetch(server.url);
 * assertEquals(await response.text(), "Hello, World!\n");
 * await server.close();
 * ```
 */
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

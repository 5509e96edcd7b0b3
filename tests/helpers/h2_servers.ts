/**
 * Real HTTP/2 servers for tests, as opposed to tests/helpers/h2c_server.ts (ours, every frame scripted): the
 * `--http2` client must also interoperate with implementations it was not written against.
 *
 * - `startNginxH2()`: Debian's nginx (1.22) as the test user, from a temporary prefix, on three free loopback
 *   ports: HTTPS with `http2` (h2 chosen by ALPN, HTTP/1.1 still offered), cleartext `http2` (h2c with prior
 *   knowledge only, RFC 9113 §3.3) and plain HTTP/1.1. Its access log gives each request's protocol, status and
 *   path, so tests count what the server saw. `/` answers `200 "ok"` (as does any path), `/large.bin` is a
 *   static body larger than HTTP/2's initial flow-control window (RFC 9113 §6.9.2), and the stream limit and
 *   `worker_connections` are configurable.
 * - `startDenoH2Server()`: `Deno.serve` over TLS, which offers h2 and http/1.1 by ALPN, recording requests.
 *
 * Both use the test certificate (tests/fixtures/tls: `localhost` and `127.0.0.1`, signed by `ca.pem`).
 */

import { closedPort, TEST_CA_FILE } from "./server.ts";

const TLS_DIR = new URL("../fixtures/tls/", import.meta.url).pathname;

/** The test CA, which signed both servers' certificate. */
export const H2_CA_FILE: string = TEST_CA_FILE;

/** The command's path on PATH (and the sbin folders, where Debian puts nginx), or null when absent. */
export function which(command: string): string | null {
  for (const dir of [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/sbin", "/sbin"]) {
    if (dir === "") continue;
    try {
      if (Deno.statSync(`${dir}/${command}`).isFile) return `${dir}/${command}`;
    } catch { /* not in this directory */ }
  }
  return null;
}

/** nginx, or null when it is not installed (tests that need it are then skipped). */
export const NGINX: string | null = which("nginx");
/** curl (Debian's has HTTP/2 through nghttp2), or null. */
export const CURL: string | null = which("curl");
/** nghttp2's load generator (Debian: nghttp2-client), or null. */
export const H2LOAD: string | null = which("h2load");

/** Options for {@linkcode startNginxH2}. */
export interface NginxH2Options {
  /** `http2_max_concurrent_streams`: the SETTINGS_MAX_CONCURRENT_STREAMS nginx announces (its default: 128). */
  maxConcurrentStreams?: number;
  /**
   * `keepalive_requests`: requests on a connection before nginx ends it (with GOAWAY over HTTP/2). nginx's
   * default is 1000, which a load test reaches in well under a second; tests of anything else raise it.
   * Default here: 1,000,000.
   */
  keepaliveRequests?: number;
  /** Size of `/large.bin` in bytes (default 1 MiB). */
  largeBodyBytes?: number;
  /** `worker_connections`: the connections nginx holds at once, listeners included (default 1024). */
  workerConnections?: number;
}

/** One access log line. */
export interface LoggedRequest {
  /** `$server_protocol`: `HTTP/2.0` or `HTTP/1.1`. */
  protocol: string;
  status: number;
  /** `$request_uri`: path and query as the client sent them. */
  path: string;
  /** `$scheme`: `https` for the TLS listener, `http` for h2c. */
  scheme: string;
}

/** A running nginx. */
export interface NginxH2Server {
  /** `https://127.0.0.1:<port>/`: TLS, h2 by ALPN (HTTP/1.1 too). */
  readonly tlsUrl: string;
  /** `http://127.0.0.1:<port>/`: h2c with prior knowledge (an HTTP/1.1 request there fails). */
  readonly h2cUrl: string;
  /** `http://127.0.0.1:<port>/`: plain HTTP/1.1. */
  readonly http1Url: string;
  /** The CA file that verifies `tlsUrl`'s certificate. */
  readonly caFile: string;
  /** Path of the large static body (`/large.bin`), and its size. */
  readonly largePath: string;
  readonly largeBodyBytes: number;
  /**
   * The access log so far, oldest first. nginx writes a line when it finishes a request, which can be just
   * after the client has the response: `atLeast` waits (up to `timeoutMs`, default 2 s) for that many lines.
   */
  requestsLogged(options?: { atLeast?: number; timeoutMs?: number }): Promise<LoggedRequest[]>;
  /** Stops nginx (fast shutdown) and removes its prefix. */
  stop(): Promise<void>;
}

/** A port on 127.0.0.1 that was free a moment ago. */
const freePort = closedPort;

async function accepts(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

function nginxConfig(
  prefix: string,
  ports: { tls: number; h2c: number; http1: number },
  options: Required<NginxH2Options>,
): string {
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    .map((kind) => `  ${kind}_temp_path ${prefix}/temp/${kind};`).join("\n");
  return `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections ${options.workerConnections}; }
http {
  default_type text/plain;
  log_format h2_test '$server_protocol\\t$status\\t$scheme\\t$request_uri';
  access_log ${prefix}/access.log h2_test;
${temp}
  http2_max_concurrent_streams ${options.maxConcurrentStreams};
  keepalive_requests ${options.keepaliveRequests};
  server {
    listen 127.0.0.1:${ports.tls} ssl http2;
    listen 127.0.0.1:${ports.h2c} http2;
    listen 127.0.0.1:${ports.http1};
    ssl_certificate ${TLS_DIR}server.pem;
    ssl_certificate_key ${TLS_DIR}server.key;
    root ${prefix}/html;
    location / { return 200 "ok"; }
    location = /large.bin { }
  }
}
`;
}

/**
 * Starts nginx (1.22 syntax: `listen … http2`) with the test certificate on three free loopback ports and
 * waits until all accept connections. Throws when nginx is not installed (check {@linkcode NGINX}) or does not
 * start (with its error log).
 */
export async function startNginxH2(options: NginxH2Options = {}): Promise<NginxH2Server> {
  if (NGINX === null) throw new Error("nginx is not installed");
  const settings: Required<NginxH2Options> = {
    maxConcurrentStreams: options.maxConcurrentStreams ?? 128,
    keepaliveRequests: options.keepaliveRequests ?? 1_000_000,
    largeBodyBytes: options.largeBodyBytes ?? 1024 * 1024,
    workerConnections: options.workerConnections ?? 1024,
  };
  const prefix = await Deno.makeTempDir({ prefix: "wrk-deno-nginx-h2-" });
  // Started as root, nginx runs its worker as `nobody`, which must be able to read the static body (the master
  // opens the logs and makes the temporary folders).
  await Deno.chmod(prefix, 0o755);
  await Deno.mkdir(`${prefix}/html`, { mode: 0o755 });
  await Deno.mkdir(`${prefix}/temp`);
  const large = new Uint8Array(settings.largeBodyBytes);
  for (let i = 0; i < large.length; i++) large[i] = 97 + (i % 26);
  await Deno.writeFile(`${prefix}/html/large.bin`, large, { mode: 0o644 });

  // Another process may take a port between our probe and nginx's bind: try again on new ones.
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const ports = { tls: freePort(), h2c: freePort(), http1: freePort() };
    await Deno.writeTextFile(`${prefix}/nginx.conf`, nginxConfig(prefix, ports, settings));
    const child = new Deno.Command(NGINX, {
      args: ["-p", `${prefix}/`, "-c", `${prefix}/nginx.conf`, "-e", `${prefix}/error.log`],
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const started = performance.now();
    while (!exited && performance.now() - started < 10_000) {
      if (await accepts(ports.tls) && await accepts(ports.h2c) && await accepts(ports.http1)) {
        return nginxHandle(prefix, ports, settings.largeBodyBytes, child, status);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    if (!exited) {
      child.kill("SIGKILL");
      await status;
    }
    lastError = await Deno.readTextFile(`${prefix}/error.log`).catch(() => "");
    if (!lastError.includes("Address already in use")) break;
  }
  await Deno.remove(prefix, { recursive: true });
  throw new Error(`nginx did not start:\n${lastError}`);
}

function nginxHandle(
  prefix: string,
  ports: { tls: number; h2c: number; http1: number },
  largeBodyBytes: number,
  child: Deno.ChildProcess,
  status: Promise<Deno.CommandStatus>,
): NginxH2Server {
  const readLog = async (): Promise<LoggedRequest[]> => {
    const text = await Deno.readTextFile(`${prefix}/access.log`).catch(() => "");
    return text.split("\n").filter((line) => line !== "").map((line) => {
      const [protocol, statusText, scheme, path] = line.split("\t");
      return { protocol, status: Number(statusText), path, scheme };
    });
  };
  let stopped: Promise<void> | null = null;
  return {
    tlsUrl: `https://127.0.0.1:${ports.tls}/`,
    h2cUrl: `http://127.0.0.1:${ports.h2c}/`,
    http1Url: `http://127.0.0.1:${ports.http1}/`,
    caFile: H2_CA_FILE,
    largePath: "/large.bin",
    largeBodyBytes,
    async requestsLogged({ atLeast = 0, timeoutMs = 2_000 } = {}) {
      const started = performance.now();
      for (;;) {
        const logged = await readLog();
        if (logged.length >= atLeast || performance.now() - started > timeoutMs) return logged;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stop() {
      stopped ??= (async () => {
        // TERM: nginx's fast shutdown, which also ends its workers; KILL if it has not ended in 5 s.
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await status;
        clearTimeout(timer);
        await Deno.remove(prefix, { recursive: true });
      })();
      return stopped;
    },
  };
}

/** A request `startDenoH2Server` received. */
export interface DenoH2Request {
  method: string;
  /** Path and query. */
  path: string;
  /** Header names lower-case (as Deno gives them). */
  headers: Map<string, string>;
  /** The body as text ("" when none). */
  body: string;
}

/** A running `Deno.serve` server over TLS. */
export interface DenoH2Server {
  /** `https://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** The CA file that verifies its certificate. */
  readonly caFile: string;
  /** Every request received, in order. */
  readonly requests: DenoH2Request[];
  close(): Promise<void>;
}

/**
 * Starts `Deno.serve` on 127.0.0.1:0 over TLS with the test certificate; it negotiates h2 (or http/1.1) by
 * ALPN. `handler` answers each request (default: 200 "ok") after it has been recorded; a request with a body
 * reaches it as a new `Request` with the same method, URL, headers and body.
 */
export function startDenoH2Server(
  handler: (request: Request) => Response | Promise<Response> = () => new Response("ok"),
): DenoH2Server {
  const requests: DenoH2Request[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: Deno.readTextFileSync(`${TLS_DIR}server.pem`),
    key: Deno.readTextFileSync(`${TLS_DIR}server.key`),
    onListen: () => {},
  }, async (request) => {
    const url = new URL(request.url);
    const seen: DenoH2Request = {
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: new Map(request.headers),
      body: "",
    };
    requests.push(seen);
    if (request.body === null) return handler(request);
    // Read here and handed on as a new Request (\`clone()\` would make Deno warn about its \`signal\`).
    const body = new Uint8Array(await request.arrayBuffer());
    seen.body = new TextDecoder().decode(body);
    return handler(new Request(request.url, { method: request.method, headers: request.headers, body }));
  });
  const port = server.addr.port;
  return {
    url: `https://127.0.0.1:${port}/`,
    port,
    caFile: H2_CA_FILE,
    requests,
    async close() {
      await server.shutdown();
    },
  };
}

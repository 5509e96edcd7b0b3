/**
 * A TLS server that ends a response by closing the connection without TLS's close_notify (Python's `ssl`
 * servers, as `python -m http.server` over TLS does): the close ends a close-delimited body, as without TLS and
 * over `-k`'s node:tls, not a read error of its own (lib/net/_resource_io.ts). Skipped where python3 is not
 * installed.
 */
import { assertEquals } from "@std/assert";
import { parseReport, runCli } from "./helpers/cli.ts";
import { which } from "./helpers/h2_servers.ts";

const PYTHON = which("python3");
const TLS_DIR = new URL("./fixtures/tls/", import.meta.url).pathname;

/** One response per connection, its body delimited by the close, and no close_notify before the close. */
const SERVER = `
import socket, ssl, sys, threading
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1] + "server.pem", sys.argv[1] + "server.key")
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
def serve(conn):
    try:
        tls = context.wrap_socket(conn, server_side=True)
        data = b""
        while b"\\r\\n\\r\\n" not in data:
            chunk = tls.recv(4096)
            if not chunk:
                return
            data += chunk
        tls.sendall(b"HTTP/1.1 200 OK\\r\\nConnection: close\\r\\n\\r\\nhello")
        tls.close()
    except Exception:
        pass
    finally:
        conn.close()
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
`;

Deno.test({
  name:
    "HTTPS: a body that ends with the server's close, without close_notify, is a request, not a read error",
  ignore: PYTHON === null,
  fn: async () => {
    const server = new Deno.Command(PYTHON!, {
      args: ["-c", SERVER, TLS_DIR],
      stdout: "piped",
      stderr: "null",
    })
      .spawn();
    try {
      const reader = server.stdout.getReader();
      const { value } = await reader.read();
      reader.releaseLock();
      const port = Number(new TextDecoder().decode(value).trim());
      const outcome = await runCli([
        "-t1",
        "-c2",
        "-d1s",
        "--cacert",
        `${TLS_DIR}ca.pem`,
        `https://localhost:${port}/`,
      ]);
      assertEquals(outcome.code, 0, outcome.stderr);
      const report = parseReport(outcome.stdout);
      assertEquals(report.errors, { connect: 0, read: 0, write: 0, timeout: 0 }, outcome.stdout);
      assertEquals(report.requests > 10, true, outcome.stdout);
    } finally {
      server.kill();
      await server.status;
      await server.stdout.cancel().catch(() => {});
    }
  },
});

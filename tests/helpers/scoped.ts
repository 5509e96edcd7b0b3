/**
 * A test's servers and temporary folders, cleaned up after its body whether the body passed or threw: the
 * `try`/`finally` many tests would otherwise repeat.
 */

/** Anything a test starts and must close: a loopback server, a stand-in for a remote service. */
export interface Closable {
  close(): unknown;
}

/** Runs `body` with `server`, then closes the server. */
export async function withServer<S extends Closable, T>(
  server: S,
  body: (server: S) => Promise<T>,
): Promise<T> {
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** Runs `body` in a new temporary folder whose name starts with `prefix`, then removes the folder and its files. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    return await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `body` with `server` and a new temporary folder (`prefix`); then closes the server and removes the folder. */
export function withServerAndTempDir<S extends Closable, T>(
  server: S,
  prefix: string,
  body: (server: S, dir: string) => Promise<T>,
): Promise<T> {
  return withTempDir(prefix, (dir) => withServer(server, (server) => body(server, dir)));
}

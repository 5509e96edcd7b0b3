/**
 * The accept loop the loopback test servers share (server.ts, fast_server.ts, h2c_server.ts): each connection
 * accepted is served by the server's own handler, then closed and forgotten; closing stops listening, closes the
 * connections still open (which ends their handlers' reads) and waits for every handler.
 */

/** A listener's connections, accepted and served until `close()`. */
export interface AcceptLoop {
  /** Connections accepted so far. */
  accepted(): number;
  /** Stops listening, closes every connection still open, and waits for the loop and every handler to end. */
  close(): Promise<void>;
}

/**
 * Accepts the connections of `listener` and serves each with `serve` (given the connection's number, counting
 * from 0). A handler that throws is a client gone away; the connection is closed when its handler ends.
 */
export function acceptLoop<C extends Deno.Conn>(
  listener: Deno.Listener<C>,
  serve: (conn: C, connection: number) => Promise<void>,
): AcceptLoop {
  const open = new Set<C>();
  const handlers: Promise<void>[] = [];
  let accepted = 0;
  let closed = false;

  const handle = async (conn: C, connection: number) => {
    try {
      await serve(conn, connection);
    } catch {
      // The client went away, or close() closed the connection under the handler.
    } finally {
      open.delete(conn);
      closeQuietly(conn);
    }
  };

  const loop = (async () => {
    for await (const conn of listener) {
      if (closed) {
        conn.close();
        break;
      }
      open.add(conn);
      handlers.push(handle(conn, accepted++));
    }
  })().catch(() => {/* the listener was closed */});

  return {
    accepted: () => accepted,
    async close() {
      closed = true;
      listener.close();
      for (const conn of open) closeQuietly(conn);
      await loop;
      await Promise.all(handlers);
    },
  };
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed already */ }
}

/**
 * Reads and writes on a `Deno.Conn` through Deno's own resource ops (`core.read(rid, buffer)`,
 * `core.write(rid, bytes)`), the calls `Deno.Conn.read`/`write` make after their wrappers: `read` is an async
 * function that also tracks each pending read in a Set (for `unref()`, which we never use). Skipping that saves
 * a promise, an async frame and two Set operations per request, which shows in requests/s
 * (docs/benchmarks.md#measurements-behind-the-code).
 *
 * These are Deno internals, so every piece is checked once and anything unexpected falls back to the public
 * methods: the tool keeps working on a Deno whose internals differ, only slower.
 */
import { errorReason } from "./error_reason.ts";
import { READ_FAILED, type Socket } from "./socket.ts";

/** Deno's core ops used here; both resolve to a byte count, `read` to 0 at EOF. */
interface CoreIo {
  read(rid: number, buffer: Uint8Array): Promise<number>;
  write(rid: number, bytes: Uint8Array): Promise<number>;
}

const core = findCore();

function findCore(): CoreIo | null {
  try {
    const internal = Reflect.get(Deno, "internal");
    if (typeof internal !== "symbol") return null;
    const candidate = Reflect.get(Reflect.get(Deno, internal) ?? {}, "core");
    if (typeof candidate?.read !== "function" || typeof candidate?.write !== "function") return null;
    return candidate as CoreIo;
  } catch {
    return null;
  }
}

/** The resource id Deno keeps under the `Deno.internal.rid` symbol, or null. */
function ridOf(conn: Deno.Conn): number | null {
  for (const symbol of Object.getOwnPropertySymbols(conn)) {
    if (symbol.description !== "Deno.internal.rid") continue;
    const rid = Reflect.get(conn, symbol);
    return typeof rid === "number" ? rid : null;
  }
  return null;
}

/**
 * `conn` (plain TCP or TLS) as a `Socket`: core ops on its rid where possible, else its own methods.
 * `useCoreOps: false` forces the public methods (for tests of the fallback).
 */
export function socketOf(conn: Deno.Conn, useCoreOps = true): Socket {
  const rid = core === null || !useCoreOps ? null : ridOf(conn);
  if (core !== null && rid !== null) return new CoreSocket(conn, core, rid);
  return new ConnSocket(conn);
}

/** Whether `socket` goes through Deno's core ops (for tests). */
export function isCoreSocket(socket: Socket): boolean {
  return socket instanceof CoreSocket;
}

/** What both kinds share: a `Deno.Conn` to close, and one read loop handing each read on. */
abstract class PumpedSocket implements Socket {
  readFailure: string | undefined = undefined;
  readonly #conn: Deno.Conn;
  #closed = false;
  constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** One read into `buffer`: the count, 0 at EOF. */
  protected abstract readInto(buffer: Uint8Array): Promise<number>;
  abstract write(bytes: Uint8Array): Promise<number>;

  startReading(buffer: Uint8Array, onRead: (n: number) => void): void {
    this.#pump(buffer, onRead);
  }

  // One long-lived frame for all of a socket's reads: an async call per read would leave a frame per request
  // for the garbage collector to promote, and the heap (RSS) to grow with the request rate.
  async #pump(buffer: Uint8Array, onRead: (n: number) => void): Promise<void> {
    for (;;) {
      let n: number;
      try {
        n = await this.readInto(buffer);
      } catch (error) {
        // A TLS peer that closed without close_notify: a close (the end of a close-delimited body, or of a
        // response cut short), as without TLS and over node:tls, not a failure of its own.
        if (closedWithoutNotify(error)) {
          n = 0;
        } else {
          this.readFailure = errorReason(error);
          n = READ_FAILED;
        }
      }
      if (this.#closed) return;
      onRead(n);
      if (n <= 0) return;
    }
  }

  close(): void {
    this.#closed = true;
    this.#conn.close();
  }
}

class CoreSocket extends PumpedSocket {
  readonly #core: CoreIo;
  readonly #rid: number;
  constructor(conn: Deno.Conn, core: CoreIo, rid: number) {
    super(conn);
    this.#core = core;
    this.#rid = rid;
  }

  protected readInto(buffer: Uint8Array): Promise<number> {
    return this.#core.read(this.#rid, buffer);
  }

  write(bytes: Uint8Array): Promise<number> {
    return this.#core.write(this.#rid, bytes);
  }
}

class ConnSocket extends PumpedSocket {
  readonly #conn: Deno.Conn;
  constructor(conn: Deno.Conn) {
    super(conn);
    this.#conn = conn;
  }

  protected async readInto(buffer: Uint8Array): Promise<number> {
    return (await this.#conn.read(buffer)) ?? 0;
  }

  write(bytes: Uint8Array): Promise<number> {
    return this.#conn.write(bytes);
  }
}

/** rustls's error for a peer that closed the connection without TLS's close_notify (an EOF of TLS). */
function closedWithoutNotify(error: unknown): boolean {
  return error instanceof Error && /without sending TLS close_notify/.test(error.message);
}

/**
 * Lua's files for one state, on Deno's file handles: what `io.open`, `file:read/write/lines/seek/flush/close`,
 * `io.output` and `os.remove`/`os.rename` in `lua/compat.lua` call. Reads are lazy and bounded (a script that
 * reads 4 bytes of `/dev/urandom` reads a few KiB, not the device), on regular files, devices and pipes alike;
 * writes are buffered as C's stdio buffers them and flushed on `flush`, `close`, a full buffer, and when the
 * state closes (LuaJIT's exit flushes too).
 *
 * Writing is refused unless allowed (docs/lua-api.md, "Files"): a path a script writes, removes or renames must
 * lie under a `--write` path of the command line; without one, when Deno was given `--allow-write` for chosen
 * paths only (not for all: the binary and the tasks have that), under one of those. A refused `io.open`,
 * `os.remove` or `os.rename` returns nil, message, EACCES, as Lua does for a file it may not touch: published
 * scripts guard with `local f = io.open(...) if f then … end` and must run on. So that a script that does not
 * check still tells the user why nothing was written, the run's first refusal also prints one warning line to
 * stderr.
 *
 * @module
 */
// The functions' own entry points, not the package's mod.ts (~70 modules each Lua state would load at start:
// docs/benchmarks.md#start-up-cost).
import { claimNotice, newNotices, Notice } from "../notices.ts";
import { standardStream } from "../../config/standard_streams.ts";
import { absolutePath, isAbsolute, relative } from "./_paths.ts";
import { lauxlib, lua, type LuaJsFunction, type LuaState, raise } from "../fengari/_lua.ts";
import { toText } from "./_to_text.ts";

/** The chunk size reads ask the OS for; a line longer than this is read in several. */
const READ_CHUNK_BYTES = 4096;
/** How much a fully buffered file holds before it is written out (C's BUFSIZ is 8 KiB). */
const WRITE_BUFFER_BYTES = 64 * 1024;
/** Lua 5.3's limit on the length of a numeral `read("n")` takes (`L_MAXLENNUM`). */
const MAX_NUMERAL_LENGTH = 200;

/** Which paths a state may write. */
export interface WriteAccess {
  /** Absolute paths from `--write`: files under them may be written, removed and renamed. */
  readonly paths: readonly string[];
}

type Buffering = "full" | "line" | "no";

/** What a Lua file needs of the OS's file. */
type OsFile = Pick<Deno.FsFile, "readSync" | "writeSync" | "seekSync" | "close">;

/**
 * `/dev/null`, without asking the OS (or Deno's permissions) for it: scripts write to it when an optional
 * report file is not wanted (`args[1] or "/dev/null"`). Reads end at once, writes vanish.
 */
const NULL_DEVICE: OsFile = {
  readSync: () => null,
  writeSync: (bytes) => bytes.length,
  seekSync: () => 0,
  close: () => {},
};

/**
 * A standard stream opened by name for writing (`io.open("/dev/stderr", "w")`): the state's own writer of it,
 * so that it is allowed without `--write` as `/dev/null` is, and `/dev/stdout` goes where `print` does (stderr
 * while `--json -` has stdout).
 */
function streamDevice(write: (bytes: Uint8Array) => void): OsFile {
  return {
    readSync: () => null,
    writeSync: (bytes) => {
      write(bytes);
      return bytes.length;
    },
    seekSync: () => 0,
    close: () => {},
  };
}

/** The state's own writers of its standard streams (`print`'s, `io.stderr`'s). */
interface StandardWriters {
  stdout: (bytes: Uint8Array) => void;
  stderr: (bytes: Uint8Array) => void;
}

/** One open file. */
class LuaFile {
  readonly file: OsFile;
  readonly readable: boolean;
  readonly writable: boolean;
  /** Bytes read from the OS but not yet by the script: `readBuffer[readStart, readEnd)`. */
  readBuffer = new Uint8Array(0);
  readStart = 0;
  readEnd = 0;
  atEof = false;
  /** Bytes written by the script but not yet to the OS. */
  writeBuffer: Uint8Array | null = null;
  writeLength = 0;
  buffering: Buffering = "full";

  constructor(file: OsFile, readable: boolean, writable: boolean) {
    this.file = file;
    this.readable = readable;
    this.writable = writable;
  }

  /** Unread buffered bytes. */
  get buffered(): number {
    return this.readEnd - this.readStart;
  }

  /** Reads more from the OS into the buffer; false at end of file. */
  fill(): boolean {
    if (this.atEof) return false;
    if (this.readEnd + READ_CHUNK_BYTES > this.readBuffer.length) {
      // Unread bytes move to the front; the buffer grows only for a line longer than it.
      if (this.buffered + READ_CHUNK_BYTES <= this.readBuffer.length) {
        this.readBuffer.copyWithin(0, this.readStart, this.readEnd);
      } else {
        const grown = new Uint8Array(Math.max(2 * this.readBuffer.length, this.buffered + READ_CHUNK_BYTES));
        grown.set(this.readBuffer.subarray(this.readStart, this.readEnd));
        this.readBuffer = grown;
      }
      this.readEnd -= this.readStart;
      this.readStart = 0;
    }
    const n = this.file.readSync(this.readBuffer.subarray(this.readEnd, this.readEnd + READ_CHUNK_BYTES));
    if (n === null || n === 0) {
      this.atEof = true;
      return false;
    }
    this.readEnd += n;
    return true;
  }

  /**
   * The next `count` bytes read, as a view of the read buffer: valid until the next read, long enough for
   * `lua_pushstring`, which copies them into the Lua string (a copy here was a second one per line).
   */
  take(count: number): Uint8Array {
    const bytes = this.readBuffer.subarray(this.readStart, this.readStart + count);
    this.readStart += count;
    return bytes;
  }

  /** Writes out what the script wrote; a pending read buffer is given back first (C's fseek between). */
  flushWrites(): void {
    if (this.writeBuffer === null || this.writeLength === 0) return;
    let done = 0;
    while (done < this.writeLength) {
      done += this.file.writeSync(this.writeBuffer.subarray(done, this.writeLength));
    }
    this.writeLength = 0;
  }

  /** Drops read-ahead so that the OS position is the script's position (before a write or a seek). */
  dropReadAhead(): void {
    if (this.buffered > 0) this.file.seekSync(-this.buffered, Deno.SeekMode.Current);
    this.readStart = this.readEnd = 0;
    this.atEof = false;
  }

  write(bytes: Uint8Array): void {
    this.dropReadAhead();
    if (this.buffering === "no") {
      this.writeBuffer = bytes;
      this.writeLength = bytes.length;
      this.flushWrites();
      this.writeBuffer = null;
      return;
    }
    this.writeBuffer ??= new Uint8Array(WRITE_BUFFER_BYTES);
    if (this.writeLength + bytes.length > this.writeBuffer.length) this.flushWrites();
    if (bytes.length > this.writeBuffer.length) {
      const saved = this.writeBuffer;
      this.writeBuffer = bytes;
      this.writeLength = bytes.length;
      this.flushWrites();
      this.writeBuffer = saved;
    } else {
      this.writeBuffer.set(bytes, this.writeLength);
      this.writeLength += bytes.length;
    }
    if (this.buffering === "line" && bytes.includes(10)) this.flushWrites();
  }
}

/**
 * C's strerror text and errno for Deno's file errors, so messages read as in LuaJIT. Deno's own refusal names
 * the permission it lacks: `--allow-write` for a file opened for writing (or removed, renamed), else
 * `--allow-read`.
 */
function describeFileError(error: unknown, writing: boolean): [string, number] {
  if (error instanceof Deno.errors.NotFound) return ["No such file or directory", 2];
  if (error instanceof Deno.errors.PermissionDenied) return ["Permission denied", 13];
  if (error instanceof Deno.errors.NotCapable) {
    return [`Permission denied (run with ${writing ? "--allow-write" : "--allow-read"})`, 13];
  }
  if (error instanceof Deno.errors.IsADirectory) return ["Is a directory", 21];
  if (error instanceof Deno.errors.AlreadyExists) return ["File exists", 17];
  return [error instanceof Error ? error.message : String(error), 5];
}

/** The open files of one Lua state, and the JS functions compat.lua's `io` and `os` call. */
export class LuaFiles {
  readonly #files = new Map<number, LuaFile>();
  readonly #access: WriteAccess;
  readonly #warn: (bytes: Uint8Array) => void;
  readonly #notices: Int32Array;
  #nextId = 1;

  /**
   * `warn` is the state's stderr, for the warning the first refused write prints; `notices`, the run's shared
   * flags, make it once per run (`../notices.ts`); without them, once for this state.
   */
  constructor(
    access: WriteAccess,
    warn: (bytes: Uint8Array) => void,
    notices: Int32Array | null = null,
    streams: StandardWriters | null = null,
  ) {
    this.#access = access;
    this.#warn = warn;
    this.#notices = notices ?? newNotices();
    this.#streams = streams;
  }

  readonly #streams: StandardWriters | null;

  /** Writes out what every open file holds (the thread stopped: no hook runs any more). */
  flushAll(): void {
    for (const file of this.#files.values()) {
      try {
        file.flushWrites();
      } catch { /* nothing to tell the script any more */ }
    }
  }

  /** Flushes and closes every file still open (the state is closing, as a process exits). */
  closeAll(): void {
    for (const file of this.#files.values()) {
      try {
        file.flushWrites();
      } catch { /* nothing to tell the script any more */ }
      file.file.close();
    }
    this.#files.clear();
  }

  /** The helpers compat.lua gets, by name. */
  helpers(): Record<string, LuaJsFunction> {
    return {
      open: (L) => this.#open(L),
      read: (L) => this.#read(L),
      write: (L) => this.#write(L),
      seek: (L) => this.#seek(L),
      flush: (L) => this.#flush(L),
      close: (L) => this.#close(L),
      setvbuf: (L) => this.#setvbuf(L),
      remove: (L) => this.#remove(L),
      rename: (L) => this.#rename(L),
    };
  }

  /** Whether the state may write `path` (open it for writing, remove it, rename it or to it). */
  #mayWrite(path: string): boolean {
    const absolute = absolutePath(path);
    if (this.#access.paths.length > 0) return this.#access.paths.some((root) => within(root, absolute));
    // No --write: Deno's --allow-write with chosen paths (not all of them) says where, as the user picked.
    const deno = Deno.permissions.querySync({ name: "write", path: absolute }).state;
    const global = Deno.permissions.querySync({ name: "write" }).state;
    return deno === "granted" && global !== "granted";
  }

  /**
   * A refused write (`io.open` for writing, `os.remove`, `os.rename`): nil, `<name>: Permission denied (…)`,
   * EACCES, as C's calls fail on a file the process may not write, so that a script that checks runs on; and
   * the warning line, the first time in the run only (a script that opens a log per response would repeat it
   * for every one). `call` is the script's call as the warning quotes it.
   */
  #refuseWrite(L: LuaState, name: string, call: string): number {
    if (claimNotice(this.#notices, Notice.WriteRefused)) {
      this.#warn(
        new TextEncoder().encode(
          `wrk-deno: a script's ${call} was refused: scripts write only under --write <dir>\n`,
        ),
      );
    }
    lua.lua_pushnil(L);
    lua.lua_pushstring(L, `${name}: Permission denied (scripts may only write under --write <dir>)`);
    lua.lua_pushinteger(L, 13);
    return 3;
  }

  /** `H.open(name, mode)`: a file id, or nil, message, errno. Mode is checked by compat.lua. */
  #open(L: LuaState): number {
    const name = text(lauxlib.luaL_checklstring(L, 1));
    const givenMode = text(lauxlib.luaL_checklstring(L, 2));
    const mode = givenMode.replace("b", "");
    const plus = mode.includes("+");
    const kind = mode[0];
    const reading = kind === "r" || plus;
    const writing = kind !== "r" || plus;
    const absolute = absolutePath(name);
    // The state's own standard streams, opened to write (`io.open("/dev/stderr", "w")`), are its writers.
    const stream = writing && !reading && this.#streams !== null ? standardStream(absolute) : null;
    if (stream !== null) {
      const id = this.#nextId++;
      this.#files.set(id, new LuaFile(streamDevice(this.#streams![stream]), false, true));
      lua.lua_pushinteger(L, id);
      return 1;
    }
    // Writing nothing anywhere (NULL_DEVICE) is always allowed.
    if (writing && absolute !== "/dev/null" && !this.#mayWrite(absolute)) {
      return this.#refuseWrite(L, name, `io.open(${JSON.stringify(name)}, ${JSON.stringify(givenMode)})`);
    }
    let file: OsFile;
    try {
      file = absolute === "/dev/null" ? NULL_DEVICE : Deno.openSync(name, {
        read: reading,
        write: writing,
        create: kind !== "r",
        truncate: kind === "w",
        append: kind === "a",
      });
    } catch (error) {
      return failure(L, name, error, writing);
    }
    const id = this.#nextId++;
    this.#files.set(id, new LuaFile(file, reading, writing));
    lua.lua_pushinteger(L, id);
    return 1;
  }

  #file(L: LuaState): LuaFile {
    const file = this.#files.get(lauxlib.luaL_checkinteger(L, 1));
    if (file === undefined) raise(L, "attempt to use a closed file");
    return file!;
  }

  /** `H.read(id, format)`: one value for one of `file:read`'s formats, or nil at end of file. */
  #read(L: LuaState): number {
    const file = this.#file(L);
    if (!file.readable) {
      lua.lua_pushnil(L);
      lua.lua_pushstring(L, "Bad file descriptor");
      lua.lua_pushinteger(L, 9);
      return 3;
    }
    file.flushWrites();
    try {
      if (lua.lua_type(L, 2) === lua.LUA_TNUMBER) {
        return readCount(L, file, lua.lua_tonumberx(L, 2) as number);
      }
      // The format's first letter, after Lua 5.1's optional `*`, read from its bytes: decoding the text of
      // every `read("*l")` was a good part of what each line of `io.lines` cost.
      const formatBytes = lauxlib.luaL_checklstring(L, 2);
      const format = formatBytes[formatBytes[0] === 0x2a ? 1 : 0];
      if (format === 0x6c || format === 0x4c) return readLine(L, file, format === 0x4c); // l, L
      if (format === 0x61) return readAll(L, file); // a
      if (format === 0x6e) return readNumber(L, file); // n
    } catch (error) {
      return failure(L, null, error);
    }
    return lauxlib.luaL_argerror(L, 1, "invalid format");
  }

  /** `H.write(id, ...)`: the strings and numbers written, in order; true, or nil, message, errno. */
  #write(L: LuaState): number {
    const file = this.#file(L);
    const n = lua.lua_gettop(L);
    for (let i = 2; i <= n; i++) {
      const type = lua.lua_type(L, i);
      if (type !== lua.LUA_TSTRING && type !== lua.LUA_TNUMBER) {
        // As `file:write` counts them: the first value is argument #1.
        raise(
          L,
          `bad argument #${i - 1} to 'write' (string expected, got ${text(lauxlib.luaL_typename(L, i))})`,
        );
      }
    }
    if (!file.writable) {
      lua.lua_pushnil(L);
      lua.lua_pushstring(L, "Bad file descriptor");
      lua.lua_pushinteger(L, 9);
      return 3;
    }
    try {
      for (let i = 2; i <= n; i++) file.write(toText(L, i));
    } catch (error) {
      return failure(L, null, error);
    }
    lua.lua_pushboolean(L, true);
    return 1;
  }

  /** `H.seek(id, whence, offset)`: the new position from the start, or nil, message, errno. */
  #seek(L: LuaState): number {
    const file = this.#file(L);
    const whence = text(lauxlib.luaL_checklstring(L, 2));
    const offset = lauxlib.luaL_checknumber(L, 3);
    try {
      file.flushWrites();
      if (whence === "cur") {
        const position = file.file.seekSync(0, Deno.SeekMode.Current) - file.buffered;
        file.dropReadAhead();
        if (position + offset < 0) return invalid(L);
        lua.lua_pushnumber(L, file.file.seekSync(position + offset, Deno.SeekMode.Start));
        return 1;
      }
      file.dropReadAhead();
      const mode = whence === "set" ? Deno.SeekMode.Start : Deno.SeekMode.End;
      if (whence === "set" && offset < 0) return invalid(L);
      lua.lua_pushnumber(L, file.file.seekSync(offset, mode));
      return 1;
    } catch (error) {
      return failure(L, null, error);
    }
  }

  #flush(L: LuaState): number {
    const file = this.#file(L);
    try {
      file.flushWrites();
    } catch (error) {
      return failure(L, null, error);
    }
    lua.lua_pushboolean(L, true);
    return 1;
  }

  #close(L: LuaState): number {
    const id = lauxlib.luaL_checkinteger(L, 1);
    const file = this.#file(L);
    this.#files.delete(id);
    try {
      file.flushWrites();
    } catch (error) {
      file.file.close();
      return failure(L, null, error);
    } finally {
      try {
        file.file.close();
      } catch { /* closed above */ }
    }
    lua.lua_pushboolean(L, true);
    return 1;
  }

  /** `H.setvbuf(id, mode)`: "no", "full" or "line", as C's setvbuf. */
  #setvbuf(L: LuaState): number {
    const file = this.#file(L);
    const mode = text(lauxlib.luaL_checklstring(L, 2));
    if (mode !== "no" && mode !== "full" && mode !== "line") {
      return lauxlib.luaL_argerror(L, 1, `invalid option '${mode}'`);
    }
    file.flushWrites();
    file.buffering = mode;
    lua.lua_pushboolean(L, true);
    return 1;
  }

  /** `os.remove(name)`: true, or nil, message, errno. */
  #remove(L: LuaState): number {
    const name = text(lauxlib.luaL_checklstring(L, 1));
    if (!this.#mayWrite(name)) return this.#refuseWrite(L, name, `os.remove(${JSON.stringify(name)})`);
    try {
      Deno.removeSync(name);
    } catch (error) {
      return failure(L, name, error, true);
    }
    lua.lua_pushboolean(L, true);
    return 1;
  }

  /** `os.rename(from, to)`: true, or nil, message, errno. */
  #rename(L: LuaState): number {
    const from = text(lauxlib.luaL_checklstring(L, 1));
    const to = text(lauxlib.luaL_checklstring(L, 2));
    const refused = !this.#mayWrite(from) ? from : !this.#mayWrite(to) ? to : null;
    if (refused !== null) {
      return this.#refuseWrite(L, refused, `os.rename(${JSON.stringify(from)}, ${JSON.stringify(to)})`);
    }
    try {
      Deno.renameSync(from, to);
    } catch (error) {
      return failure(L, from, error, true);
    }
    lua.lua_pushboolean(L, true);
    return 1;
  }
}

/** Whether `path` is `root` or lies under it (both absolute). */
function within(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Pushes nil, `name: reason` (or the reason alone), errno: a Lua I/O failure; `writing` names the permission. */
function failure(L: LuaState, name: string | null, error: unknown, writing = false): number {
  const [reason, code] = describeFileError(error, writing);
  lua.lua_pushnil(L);
  lua.lua_pushstring(L, name === null ? reason : `${name}: ${reason}`);
  lua.lua_pushinteger(L, code);
  return 3;
}

function invalid(L: LuaState): number {
  lua.lua_pushnil(L);
  lua.lua_pushstring(L, "Invalid argument");
  lua.lua_pushinteger(L, 22);
  return 3;
}

/** `read(n)`: up to n bytes, "" for n = 0 unless at end of file, nil at end of file. */
function readCount(L: LuaState, file: LuaFile, count: number): number {
  count = Math.max(0, Math.floor(count));
  if (count === 0) {
    if (file.buffered === 0 && !file.fill()) lua.lua_pushnil(L);
    else lua.lua_pushstring(L, new Uint8Array(0));
    return 1;
  }
  while (file.buffered < count && file.fill()) { /* read until enough or the end */ }
  if (file.buffered === 0) {
    lua.lua_pushnil(L);
    return 1;
  }
  lua.lua_pushstring(L, file.take(Math.min(count, file.buffered)));
  return 1;
}

/** `read("l")` / `read("L")`: the next line without (with) its newline, nil at end of file. */
function readLine(L: LuaState, file: LuaFile, keepNewline: boolean): number {
  let searched = 0;
  for (;;) {
    const start = file.readStart + searched;
    const at = file.readBuffer.subarray(start, file.readEnd).indexOf(10);
    if (at >= 0) {
      const length = searched + at;
      const line = file.take(length + 1);
      lua.lua_pushstring(L, keepNewline ? line : line.subarray(0, length));
      return 1;
    }
    searched = file.buffered;
    if (!file.fill()) break;
  }
  if (file.buffered === 0) {
    lua.lua_pushnil(L);
    return 1;
  }
  lua.lua_pushstring(L, file.take(file.buffered));
  return 1;
}

/** `read("a")`: the rest of the file ("" at its end, never nil). */
function readAll(L: LuaState, file: LuaFile): number {
  while (file.fill()) { /* to the end */ }
  lua.lua_pushstring(L, file.take(file.buffered));
  return 1;
}

/** `read("n")`: a numeral, as Lua's `read_number` scans one (at most 200 characters), or nil. */
function readNumber(L: LuaState, file: LuaFile): number {
  const peek = (): number => {
    if (file.buffered === 0 && !file.fill()) return -1;
    return file.readBuffer[file.readStart];
  };
  // Skip white space.
  for (let c = peek(); c === 32 || (c >= 9 && c <= 13); c = peek()) file.readStart++;
  let numeral = "";
  const accept = (pattern: RegExp): boolean => {
    const c = peek();
    if (c < 0 || numeral.length >= MAX_NUMERAL_LENGTH || !pattern.test(String.fromCharCode(c))) return false;
    numeral += String.fromCharCode(c);
    file.readStart++;
    return true;
  };
  accept(/[-+]/);
  let digit = /[0-9]/;
  let exponent = /[eE]/;
  if (accept(/0/) && accept(/[xX]/)) {
    digit = /[0-9a-fA-F]/;
    exponent = /[pP]/;
  }
  while (accept(digit)) { /* integer part */ }
  if (accept(/\./)) { while (accept(digit)) { /* fraction */ } }
  if (accept(exponent)) {
    accept(/[-+]/);
    while (accept(/[0-9]/)) { /* exponent */ }
  }
  // Lua's own conversion decides what the characters are worth (hex floats included).
  if (numeral === "" || lua.lua_stringtonumber(L, new TextEncoder().encode(numeral)) === 0) {
    lua.lua_pushnil(L);
  }
  return 1;
}

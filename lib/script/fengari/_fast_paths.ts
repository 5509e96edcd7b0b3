/**
 * Faster versions of three fengari 0.1.5 primitives that every per-request hook goes through. Same results,
 * less work; measured with a wrk.format() request() and a response() reading one header (bench/scripted.lua):
 *
 * - `luastring_from` (the copy behind `lua_pushlstring`, `lua_pushstring` and every new string) is
 *   `Uint8Array.from`, which walks its argument through the iterator protocol and allocates a buffer of its
 *   own, a noticeable part of every request() call. A `Uint8Array` argument is copied into a shared block
 *   (`newBytes`).
 * - `to_luastring` (JS text → Lua string; fengari's integer-to-string conversion uses it) fills a plain
 *   array and then copies it through `Uint8Array.from`. ASCII text, which is all numbers ever give, is
 *   written straight into the result.
 * - `luaS_hash` (a string's table key) builds a string from the hex digits of every byte, one concatenation
 *   per byte, and is ambiguous: bytes `01 23` and `12 03` both give `|123`, so two different strings could be
 *   the same table key. The replacement maps each byte to one UTF-16 unit (`|` + the bytes as Latin-1):
 *   faster, and one key per byte sequence. It keeps the `|` prefix that ltable.js relies on to keep string
 *   keys apart from light-userdata keys.
 *
 * fengari's modules take these functions by destructuring when they load, so the replacements are installed
 * on `defs.js` and `lstring.js` (whose `luaS_new` is replaced too: it holds the original `luastring_from`)
 * before anything else of fengari loads: `_lua.ts` imports this module first.
 * Those two modules are the first fengari itself loads (fengari.js → fengaricore.js → defs.js), so loading
 * them early does not change its order. fengari is pinned (0.1.5, locked) and `tests/script/fengari/fast_paths_test.ts`
 * checks that the replacements are in effect and agree with the originals.
 *
 * @module
 */

// The package's entry is not imported here (see above): these are fengari's own internal modules, loaded
// before it, from fengari vendored as one ES module (docs/dependencies.md#fengari-vendored): each
// `third_party/fengari/src/<name>.js` evaluates fengari's `src/<name>.js` when it is itself evaluated, as the
// `npm:fengari@0.1.5/src/<name>.js` module did. Relative paths, not import-map names: `deno run <url>` users
// have no import map.
// @ts-types="./_internals.d.ts"
import defs from "../../../third_party/fengari/src/defs.js";
// @ts-types="./_internals.d.ts"
import lstring from "../../../third_party/fengari/src/lstring.js";

/** Longest string given to one `String.fromCharCode` call (engines limit the argument count). */
const CHUNK = 8192;

/** `|` + the bytes as Latin-1: one JS string per byte sequence, never two sequences to one string. */
export function stringKey(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return "|" + String.fromCharCode.apply(null, bytes as unknown as number[]);
  let key = "|";
  for (let start = 0; start < bytes.length; start += CHUNK) {
    key += String.fromCharCode.apply(null, bytes.subarray(start, start + CHUNK) as unknown as number[]);
  }
  return key;
}

/**
 * Small strings are carved out of shared 4 KiB blocks. Every `new Uint8Array(n)` allocates an ArrayBuffer,
 * which costs many times what a view on an existing one does, whatever its size (docs/benchmarks.md); a
 * request() building its request makes four or five strings. A block lives as long as any string in it, so
 * the size limits what a script that keeps a few small strings out of many can pin: at most 4 KiB per kept
 * string, 256 bytes or less.
 */
const BLOCK_BYTES = 4096;
const MAX_BLOCK_STRING = 256;
/** The current block (its `ArrayBuffer`: reading a view's `.buffer` on each call costs a getter call). */
let block = new ArrayBuffer(BLOCK_BYTES);
let blockUsed = 0;

/**
 * Strings longer than that, up to 2 KiB (a request body, the request `wrk.format` builds, a `table.concat` of
 * them), come out of 32 KiB blocks of their own, for the same reason: each would otherwise be an ArrayBuffer
 * of its own (docs/benchmarks.md#lua-heavy-scripts-the-next-costs-2026-12-06-night). A kept one pins at most
 * its block, 16 to 128 times its size; longer strings get their own buffer.
 */
const LARGE_BLOCK_BYTES = 32768;
const MAX_LARGE_BLOCK_STRING = 2048;
let largeBlock = new ArrayBuffer(LARGE_BLOCK_BYTES);
let largeBlockUsed = 0;

/** Fresh (zeroed) bytes for a new string, from a shared block when not long. */
export function newBytes(length: number): Uint8Array {
  if (length > MAX_BLOCK_STRING) return largeBytes(length);
  if (blockUsed + length > BLOCK_BYTES) {
    block = new ArrayBuffer(BLOCK_BYTES);
    blockUsed = 0;
  }
  const bytes = new Uint8Array(block, blockUsed, length);
  blockUsed += length;
  return bytes;
}

/** {@linkcode newBytes} for more than 256 bytes. */
function largeBytes(length: number): Uint8Array {
  if (length > MAX_LARGE_BLOCK_STRING) return new Uint8Array(length);
  if (largeBlockUsed + length > LARGE_BLOCK_BYTES) {
    largeBlock = new ArrayBuffer(LARGE_BLOCK_BYTES);
    largeBlockUsed = 0;
  }
  const bytes = new Uint8Array(largeBlock, largeBlockUsed, length);
  largeBlockUsed += length;
  return bytes;
}

/**
 * Copies `bytes` into `out` at `offset` and returns the offset after them; short pieces by hand, where `set()`'s
 * own cost (a call into the runtime) is more than copying a few bytes.
 */
export function putBytes(out: Uint8Array, offset: number, bytes: Uint8Array): number {
  const length = bytes.length;
  if (length > 32) out.set(bytes, offset);
  else for (let i = 0; i < length; i++) out[offset + i] = bytes[i];
  return offset + length;
}

/** The bytes of ASCII text (numbers, as `formatNumber` spells them), without a TextEncoder call. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = newBytes(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const originalFrom = defs.luastring_from;
const originalToLuastring = defs.to_luastring;

function luastringFrom(source: ArrayLike<number>): Uint8Array {
  if (!(source instanceof Uint8Array)) return originalFrom(source);
  const bytes = newBytes(source.length);
  bytes.set(source);
  return bytes;
}

function toLuastring(text: string, cache?: boolean): Uint8Array {
  // The cached form (fengari's constant messages) and non-ASCII text keep the original's behaviour.
  if (cache || typeof text !== "string") return originalToLuastring(text, cache);
  const length = text.length;
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(i) > 0x7f) return originalToLuastring(text, cache);
  }
  return asciiBytes(text);
}

/** `luaS_new` (copy, then wrap): lstring.js calls the `luastring_from` it took when it loaded, the original. */
function newString(L: unknown, source: ArrayLike<number>): unknown {
  return lstring.luaS_bless(L, luastringFrom(source));
}

function hashLongString(ts: { hash: string | null; realstring: Uint8Array }): string {
  if (ts.hash === null) ts.hash = stringKey(ts.realstring);
  return ts.hash;
}

if (!defs.fastPathsInstalled) {
  defs.luastring_from = luastringFrom;
  defs.to_luastring = toLuastring;
  lstring.luaS_new = newString;
  lstring.luaS_hash = stringKey;
  lstring.luaS_hashlongstr = hashLongString;
  defs.fastPathsInstalled = true;
}

/**
 * Whether the faster primitives are the ones fengari's modules use. False if fengari was loaded before this
 * module (they took the originals), which `_lua.ts` prevents; tests check it.
 */
export function fastPathsInEffect(): boolean {
  return defs.fastPathsInstalled === true;
}

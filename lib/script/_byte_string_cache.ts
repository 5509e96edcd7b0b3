/**
 * Lua strings for byte sequences that repeat (response header names, common header values, small bodies),
 * looked up by their bytes without creating a JS string. fengari copies every pushed string through
 * `Uint8Array.from` (slow: about half the cost of a `response()` call) and hashes a string key by building a
 * hex string of its bytes; a cached string skips both.
 *
 * @module
 */

import { lua, type LuaProxy, type LuaState } from "./_lua.ts";

interface Entry {
  bytes: Uint8Array;
  push: LuaProxy;
}

/** A bounded cache; when full it starts over, so values that stop repeating (a `Date`) age out. */
export class ByteStringCache {
  readonly #maxEntries: number;
  readonly #maxLength: number;
  #buckets = new Map<number, Entry[]>();
  #size = 0;

  /** Caches up to `maxEntries` strings of at most `maxLength` bytes; longer ones are pushed uncached. */
  constructor(maxEntries: number, maxLength: number) {
    this.#maxEntries = maxEntries;
    this.#maxLength = maxLength;
  }

  /** Pushes `bytes[start, end)` as a Lua string. */
  push(L: LuaState, bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > this.#maxLength || length === 0) {
      lua.lua_pushlstring(L, bytes.subarray(start, end), length);
      return;
    }
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]) | 0;
    const bucket = this.#buckets.get(hash);
    if (bucket !== undefined) {
      for (const entry of bucket) {
        if (entry.bytes.length === length && sameBytes(entry.bytes, bytes, start)) {
          entry.push(L);
          return;
        }
      }
    }
    lua.lua_pushlstring(L, bytes.subarray(start, end), length);
    if (this.#size >= this.#maxEntries) {
      this.#buckets = new Map();
      this.#size = 0;
    }
    const entry = { bytes: bytes.slice(start, end), push: lua.lua_toproxy(L, -1) };
    const current = this.#buckets.get(hash);
    if (current === undefined) this.#buckets.set(hash, [entry]);
    else current.push(entry);
    this.#size++;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}

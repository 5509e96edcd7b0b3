/**
 * Lua strings for byte sequences that repeat (response header names, common header values, small bodies),
 * looked up by their bytes without creating a JS string. A new Lua string costs a copy and, when used as a
 * table key, a key string built from its bytes; a cached one costs neither.
 *
 * Two levels: a slot per position (header i of this response is most often header i of the last one, byte
 * for byte, so one comparison finds it), then a hash of the bytes.
 *
 * @module
 */

import type { LuaState } from "./_lua.ts";
import { newBytes } from "./_fast_paths.ts";
import { keyOf, newString, type TString } from "./_direct.ts";

/** A bounded cache; when full it starts over, so values that stop repeating (a `Date`) age out. */
export class ByteStringCache {
  readonly #maxEntries: number;
  readonly #maxLength: number;
  #buckets = new Map<number, TString[]>();
  #size = 0;
  /** The string last returned for each slot. */
  readonly #slots: (TString | undefined)[] = [];

  /** Caches up to `maxEntries` strings of at most `maxLength` bytes; longer ones are made fresh each time. */
  constructor(maxEntries: number, maxLength: number) {
    this.#maxEntries = maxEntries;
    this.#maxLength = maxLength;
  }

  /** A Lua string of `bytes[start, end)`; `slot` is the caller's position for it (a header's index). */
  get(L: LuaState, bytes: Uint8Array, start: number, end: number, slot: number): TString {
    const length = end - start;
    const last = this.#slots[slot];
    if (last !== undefined && last.realstring.length === length && sameBytes(last.realstring, bytes, start)) {
      return last;
    }
    if (length > this.#maxLength || length === 0) return fresh(L, bytes, start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]) | 0;
    const bucket = this.#buckets.get(hash);
    if (bucket !== undefined) {
      for (const ts of bucket) {
        if (ts.realstring.length === length && sameBytes(ts.realstring, bytes, start)) {
          this.#slots[slot] = ts;
          return ts;
        }
      }
    }
    const ts = fresh(L, bytes, start, end);
    keyOf(ts); // computed once, while cached, rather than on each use as a key
    if (this.#size >= this.#maxEntries) {
      this.#buckets = new Map();
      this.#size = 0;
    }
    const current = this.#buckets.get(hash);
    if (current === undefined) this.#buckets.set(hash, [ts]);
    else current.push(ts);
    this.#size++;
    this.#slots[slot] = ts;
    return ts;
  }
}

function fresh(L: LuaState, bytes: Uint8Array, start: number, end: number): TString {
  const copy = newBytes(end - start);
  copy.set(bytes.subarray(start, end));
  return newString(L, copy);
}

function sameBytes(a: Uint8Array, b: Uint8Array, offset: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[offset + i]) return false;
  return true;
}

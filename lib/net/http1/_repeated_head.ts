/**
 * The last response head a thread parsed in place, kept with what parsing it decided (status, persistence,
 * framing, and for a `response()` hook where each header's name and value lie), so that a head byte-for-byte
 * equal to it is recognised by one comparison instead of parsed again. Servers answering a benchmark send the
 * same head over and over (nginx's changes once a second, with its Date)
 * (docs/benchmarks.md#repeated-heads-2026-12-06).
 *
 * Correct for any server: a head's parse depends only on its bytes and on whether its request was a HEAD, and
 * both are compared, so a match decides exactly what parsing it would. One per isolate, shared by its parsers
 * (a thread's connections see the same heads), so that it costs no memory per connection. Each head kept gets
 * a new `version`, which parsers hand on (`ResponseView.headVersion`): a `response()` hook's header table that
 * holds the headers of version v holds those of any later head of version v, without comparing bytes.
 */

import type { ResponseView } from "../request_source.ts";

/** Longer heads are parsed every time: they are rare in benchmarks, and the copy stays small. */
const MAX_REPEATED_HEAD_BYTES = 512;

/** The head's bytes, as 32-bit words for the comparison (`length` bytes of them count). */
const words = new Int32Array(MAX_REPEATED_HEAD_BYTES >> 2);
const bytes = new Uint8Array(words.buffer);

/** Header offsets are kept for heads with at most this many headers (more are parsed each time for a hook). */
const MAX_KEPT_HEADERS = 64;

/** What the parse of the kept head decided; `length` 0 while none is kept. */
export const repeatedHead = {
  length: 0,
  /** This head's number among the heads kept in this isolate (from 1; never reused). */
  version: 0,
  /** Its headers, when it was parsed for a `response()` hook; -1 otherwise (no offsets kept). */
  headerCount: -1,
  /** Where each header's name and value lie, from the head's first byte (`headerCount` of each). */
  nameStart: new Int32Array(MAX_KEPT_HEADERS),
  nameEnd: new Int32Array(MAX_KEPT_HEADERS),
  valueStart: new Int32Array(MAX_KEPT_HEADERS),
  valueEnd: new Int32Array(MAX_KEPT_HEADERS),
  isHeadRequest: false,
  status: 0,
  keepAlive: true,
  /** The parser's state after the head (its `State`): where the body's framing put it. */
  state: 0,
  /** The body's length when `state` reads a Content-Length body; 0 otherwise. */
  remaining: 0,
};

/**
 * Heads parsed in a row since one matched the kept head. The kept head is replaced at the second: heads that
 * alternate (two kinds of response in turn) would otherwise each replace it, a copy per response for no match.
 */
let misses = 0;
/** Heads kept so far in this isolate: the last `version` given. */
let versions = 0;
/** Whether the kept head matched a head since it was kept. */
let matched = false;
/** Kept heads replaced in a row without having matched once (a server whose heads never repeat). */
let fruitless = 0;
/** After this many fruitless heads in a row, keeping pauses: the compare and the copy would find nothing. */
const FRUITLESS_LIMIT = 4;
/** Heads the first pause lasts; each pause in a row without a match since lasts twice the last, up to the cap. */
const FIRST_PAUSE_HEADS = 64;
const MAX_PAUSE_HEADS = 16384;
/** Heads still to parse without keeping any; the length of the next pause. */
let pausedHeads = 0;
let nextPauseHeads = FIRST_PAUSE_HEADS;

/** Forgets the kept head and any pause: for tests that count how heads were parsed. */
export function forgetRepeatedHead(): void {
  repeatedHead.length = 0;
  repeatedHead.headerCount = -1;
  misses = 0;
  matched = false;
  fruitless = 0;
  pausedHeads = 0;
  nextPauseHeads = FIRST_PAUSE_HEADS;
}

/**
 * True when `source[start, start + repeatedHead.length)` is the kept head, read through `view` (a DataView of
 * `source`'s memory, for four bytes at a time at any alignment); false when none is kept or fewer bytes remain
 * before `end`.
 */
export function isRepeatedHead(source: Uint8Array, view: DataView, start: number, end: number): boolean {
  const length = repeatedHead.length;
  if (length === 0 || end - start < length) return false;
  const at = source.byteOffset + start;
  const whole = length >> 2;
  for (let w = 0; w < whole; w++) {
    if (view.getInt32(at + (w << 2), true) !== words[w]) return false;
  }
  for (let i = whole << 2; i < length; i++) {
    if (source[start + i] !== bytes[i]) return false;
  }
  misses = 0;
  if (!matched) {
    matched = true;
    fruitless = 0;
    nextPauseHeads = FIRST_PAUSE_HEADS;
  }
  return true;
}

/**
 * Keeps `source[start, end)`, a head just parsed, and what its parse decided, when none is kept or the kept one
 * missed twice in a row (see `misses`), unless it is too long to keep or keeping is paused (see `fruitless`:
 * the pause ends at the first head kept that matches). Copied four bytes at a time through
 * `view`, as `isRepeatedHead` reads. `offsets` is the parser's view of a head parsed for a `response()` hook
 * (its header offsets, from `source`'s first byte), null for one parsed without. Returns the version of the
 * head now kept when it is this one, else 0.
 */
export function keepRepeatedHead(
  source: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  isHeadRequest: boolean,
  status: number,
  keepAlive: boolean,
  state: number,
  remaining: number,
  offsets: ResponseView | null,
): number {
  if (pausedHeads > 0) {
    pausedHeads--;
    return 0;
  }
  if (repeatedHead.length > 0) {
    if (++misses < 2) return 0;
    if (!matched && ++fruitless >= FRUITLESS_LIMIT) {
      // Nothing kept while paused: every head is parsed, without a compare first.
      repeatedHead.length = 0;
      misses = 0;
      pausedHeads = nextPauseHeads;
      nextPauseHeads = Math.min(nextPauseHeads * 2, MAX_PAUSE_HEADS);
      return 0;
    }
  }
  misses = 0;
  matched = false;
  const length = end - start;
  if (length > MAX_REPEATED_HEAD_BYTES) {
    repeatedHead.length = 0;
    return 0;
  }
  const at = source.byteOffset + start;
  const whole = length >> 2;
  for (let w = 0; w < whole; w++) words[w] = view.getInt32(at + (w << 2), true);
  for (let i = whole << 2; i < length; i++) bytes[i] = source[start + i];
  repeatedHead.length = length;
  repeatedHead.isHeadRequest = isHeadRequest;
  repeatedHead.status = status;
  repeatedHead.keepAlive = keepAlive;
  repeatedHead.state = state;
  repeatedHead.remaining = remaining;
  const count = offsets === null || offsets.headerCount > MAX_KEPT_HEADERS ? -1 : offsets.headerCount;
  for (let i = 0; i < count; i++) {
    repeatedHead.nameStart[i] = offsets!.nameStart[i] - start;
    repeatedHead.nameEnd[i] = offsets!.nameEnd[i] - start;
    repeatedHead.valueStart[i] = offsets!.valueStart[i] - start;
    repeatedHead.valueEnd[i] = offsets!.valueEnd[i] - start;
  }
  repeatedHead.headerCount = count;
  return repeatedHead.version = ++versions;
}

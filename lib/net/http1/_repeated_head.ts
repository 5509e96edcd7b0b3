/**
 * The last response head a thread parsed in place without a `response()` hook, kept with what parsing it
 * decided (status, persistence, framing), so that a head byte-for-byte equal to it is recognised by one
 * comparison instead of parsed again. Servers answering a benchmark send the same head over and over (nginx's
 * changes once a second, with its Date), and with no hook nothing but the framing and the status is read of it
 * (docs/benchmarks.md#repeated-heads-2026-12-06).
 *
 * Correct for any server: a head's parse depends only on its bytes and on whether its request was a HEAD, and
 * both are compared, so a match decides exactly what parsing it would. One per isolate, shared by its parsers
 * (a thread's connections see the same heads), so that it costs no memory per connection.
 */

/** Longer heads are parsed every time: they are rare in benchmarks, and the copy stays small. */
const MAX_REPEATED_HEAD_BYTES = 512;

/** The head's bytes, as 32-bit words for the comparison (`length` bytes of them count). */
const words = new Int32Array(MAX_REPEATED_HEAD_BYTES >> 2);
const bytes = new Uint8Array(words.buffer);

/** What the parse of the kept head decided; `length` 0 while none is kept. */
export const repeatedHead = {
  length: 0,
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

/** Forgets the kept head: for tests that count how heads were parsed. */
export function forgetRepeatedHead(): void {
  repeatedHead.length = 0;
  misses = 0;
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
  return true;
}

/**
 * Keeps `source[start, end)`, a head just parsed, and what its parse decided, when none is kept or the kept one
 * missed twice in a row (see `misses`), unless it is too long to keep. Copied four bytes at a time through
 * `view`, as `isRepeatedHead` reads.
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
): void {
  if (repeatedHead.length > 0 && ++misses < 2) return;
  misses = 0;
  const length = end - start;
  if (length > MAX_REPEATED_HEAD_BYTES) {
    repeatedHead.length = 0;
    return;
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
}

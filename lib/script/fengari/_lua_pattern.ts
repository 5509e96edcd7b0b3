/**
 * Lua 5.3's pattern matcher (lstrlib.c's `match` and helpers) over byte arrays, for the faster `string.gsub`,
 * `find`, `match` and `gmatch` of `_string_patterns.ts`. fengari 0.1.5's port of the same code is slower where
 * it allocates: a `subarray()` per back-reference comparison, a capture object per level, a `MatchState` per
 * call. Here the state is reused (a pool, see {@linkcode acquireMatchState}) and captures are two number
 * arrays. The algorithm, its limits (200 nested calls, 32 captures) and its error messages are fengari's and
 * C Lua's; `tests/script/fengari/string_patterns_test.ts` checks them with cases from Lua 5.3's pm.lua.
 *
 * @module
 */

import { type LuaState, raise } from "./_lua.ts";

const L_ESC = 37; // '%'
/** A capture still open (`(` seen, `)` not yet). */
export const CAP_UNFINISHED = -1;
/** A position capture `()`. */
export const CAP_POSITION = -2;
/** C Lua's MAXCCALLS for patterns: how deep `match` may recurse. */
const MAX_MATCH_DEPTH = 200;
/** LUA_MAXCAPTURES. */
const MAX_CAPTURES = 32;

/** What one match attempt works on; reused from call to call. */
export class MatchState {
  /** The subject. */
  src: Uint8Array = EMPTY;
  /** End of the subject (its length). */
  srcEnd = 0;
  /** The pattern (an anchoring `^` is skipped by starting past it). */
  p: Uint8Array = EMPTY;
  /** End of the pattern. */
  pEnd = 0;
  L: LuaState | null = null;
  matchDepth = MAX_MATCH_DEPTH;
  /** Captures started so far (finished or not). */
  level = 0;
  /** Each capture's start in the subject. */
  readonly captureStart: number[] = [];
  /** Each capture's length, or CAP_UNFINISHED / CAP_POSITION. */
  readonly captureLength: number[] = [];
  /** Output bytes of `gsub`, grown as needed and kept for the next call. */
  out: Uint8Array = new Uint8Array(256);
  outLength = 0;

  /** Sets the subject and pattern for a series of matches. */
  prepare(L: LuaState, src: Uint8Array, p: Uint8Array): void {
    this.L = L;
    this.src = src;
    this.srcEnd = src.length;
    this.p = p;
    this.pEnd = p.length;
    this.matchDepth = MAX_MATCH_DEPTH;
  }

  /** Makes room for `n` more output bytes. */
  reserve(n: number): void {
    const needed = this.outLength + n;
    if (needed <= this.out.length) return;
    const grown = new Uint8Array(Math.max(needed, this.out.length * 2));
    grown.set(this.out.subarray(0, this.outLength));
    this.out = grown;
  }

  /** Appends `bytes[start, end)` to the output. */
  append(bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.reserve(n);
    const out = this.out;
    let o = this.outLength;
    if (n < 256) {
      for (let i = start; i < end; i++) out[o++] = bytes[i];
    } else {
      out.set(bytes.subarray(start, end), o);
    }
    this.outLength += n;
  }

  /** Appends one byte to the output. */
  appendByte(c: number): void {
    if (this.outLength === this.out.length) this.reserve(1);
    this.out[this.outLength++] = c;
  }

  /** Forgets the subject (so a pooled state does not keep a large string alive). */
  release(): void {
    this.src = EMPTY;
    this.p = EMPTY;
    this.L = null;
    this.outLength = 0;
    if (this.out.length > 64 * 1024) this.out = new Uint8Array(256);
  }
}

const EMPTY = new Uint8Array(0);
const pool: MatchState[] = [];

/**
 * A match state from the pool. Calls nest (a `gsub` replacement function may call `gsub`), so each call takes
 * its own and gives it back; one lost to an error is simply not returned.
 *
 * @example Matching `%d+` in a subject
 * ```ts ignore
 * const ms = acquireMatchState();
 * ms.prepare(L, subject, pattern);
 * ms.level = 0;
 * const end = doMatch(ms, 0, 0); // -1 when no match
 * releaseMatchState(ms);
 * ```
 */
export function acquireMatchState(): MatchState {
  return pool.pop() ?? new MatchState();
}

/** Returns a state taken with {@linkcode acquireMatchState}. */
export function releaseMatchState(ms: MatchState): void {
  ms.release();
  if (pool.length < 8) pool.push(ms);
}

/** The bytes C's `<ctype.h>` classes accept, in the "C" locale, as bit flags per byte. */
const ALPHA = 1, DIGIT = 2, SPACE = 4, CNTRL = 8, PUNCT = 16, LOWER = 32, UPPER = 64, XDIGIT = 128;
const CLASSES = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let flags = 0;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) flags |= ALPHA;
  if (c >= 48 && c <= 57) flags |= DIGIT;
  if (c === 32 || (c >= 9 && c <= 13)) flags |= SPACE;
  if (c < 32 || c === 127) flags |= CNTRL;
  if (c > 32 && c < 127 && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) {
    flags |= PUNCT;
  }
  if (c >= 97 && c <= 122) flags |= LOWER;
  if (c >= 65 && c <= 90) flags |= UPPER;
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) flags |= XDIGIT;
  CLASSES[c] = flags;
}

/** `match_class`: does byte `c` belong to class letter `cl` (`a`, `D`, …; any other byte matches itself)? */
function matchClass(c: number, cl: number): boolean {
  let flags: number;
  switch (cl | 0x20) {
    case 97: // a
      flags = CLASSES[c] & ALPHA;
      break;
    case 99: // c
      flags = CLASSES[c] & CNTRL;
      break;
    case 100: // d
      flags = CLASSES[c] & DIGIT;
      break;
    case 103: // g (isgraph: printable, not space)
      flags = c > 32 && c < 127 ? 1 : 0;
      break;
    case 108: // l
      flags = CLASSES[c] & LOWER;
      break;
    case 112: // p
      flags = CLASSES[c] & PUNCT;
      break;
    case 115: // s
      flags = CLASSES[c] & SPACE;
      break;
    case 117: // u
      flags = CLASSES[c] & UPPER;
      break;
    case 119: // w
      flags = CLASSES[c] & (ALPHA | DIGIT);
      break;
    case 120: // x
      flags = CLASSES[c] & XDIGIT;
      break;
    case 122: // z (deprecated)
      flags = c === 0 ? 1 : 0;
      break;
    default:
      return cl === c;
  }
  // An upper-case class letter is the complement.
  return (cl >= 65 && cl <= 90) ? flags === 0 : flags !== 0;
}

/** `classend`: the index just past the single-character class starting at `p`. */
function classEnd(ms: MatchState, p: number): number {
  const pat = ms.p;
  const c = pat[p++];
  if (c === L_ESC) {
    if (p >= ms.pEnd) raise(ms.L!, "malformed pattern (ends with '%')");
    return p + 1;
  }
  if (c === 91) { // '['
    if (pat[p] === 94) p++; // '^'
    do {
      if (p >= ms.pEnd) raise(ms.L!, "malformed pattern (missing ']')");
      if (pat[p++] === L_ESC && p < ms.pEnd) p++; // skip escapes (e.g. '%]')
    } while (pat[p] !== 93);
    return p + 1;
  }
  return p;
}

/** `matchbracketclass`: does `c` match the set `[...]` at `p`, whose `]` is at `ec`? */
function matchBracketClass(ms: MatchState, c: number, p: number, ec: number): boolean {
  const pat = ms.p;
  let sig = true;
  if (pat[p + 1] === 94) { // '^'
    sig = false;
    p++;
  }
  while (++p < ec) {
    if (pat[p] === L_ESC) {
      p++;
      if (matchClass(c, pat[p])) return sig;
    } else if (pat[p + 1] === 45 && p + 2 < ec) { // a range 'x-y'
      p += 2;
      if (pat[p - 2] <= c && c <= pat[p]) return sig;
    } else if (pat[p] === c) return sig;
  }
  return !sig;
}

/** `singlematch`: does the subject byte at `s` match the class at `p` (ending at `ep`)? */
function singleMatch(ms: MatchState, s: number, p: number, ep: number): boolean {
  if (s >= ms.srcEnd) return false;
  const c = ms.src[s];
  const pc = ms.p[p];
  switch (pc) {
    case 46: // '.'
      return true;
    case L_ESC:
      return matchClass(c, ms.p[p + 1]);
    case 91: // '['
      return matchBracketClass(ms, c, p, ep - 1);
    default:
      return pc === c;
  }
}

function matchBalance(ms: MatchState, s: number, p: number): number {
  if (p >= ms.pEnd - 1) raise(ms.L!, "malformed pattern (missing arguments to '%b'");
  const src = ms.src;
  if (s >= ms.srcEnd || src[s] !== ms.p[p]) return -1;
  const b = ms.p[p];
  const e = ms.p[p + 1];
  let cont = 1;
  while (++s < ms.srcEnd) {
    const c = src[s];
    if (c === e) {
      if (--cont === 0) return s + 1;
    } else if (c === b) cont++;
  }
  return -1;
}

function maxExpand(ms: MatchState, s: number, p: number, ep: number): number {
  let i = 0;
  while (singleMatch(ms, s + i, p, ep)) i++;
  // Tries to match the rest with the most repetitions first.
  while (i >= 0) {
    const res = doMatch(ms, s + i, ep + 1);
    if (res !== -1) return res;
    i--;
  }
  return -1;
}

function minExpand(ms: MatchState, s: number, p: number, ep: number): number {
  for (;;) {
    const res = doMatch(ms, s, ep + 1);
    if (res !== -1) return res;
    if (singleMatch(ms, s, p, ep)) s++;
    else return -1;
  }
}

function startCapture(ms: MatchState, s: number, p: number, what: number): number {
  const level = ms.level;
  if (level >= MAX_CAPTURES) raise(ms.L!, "too many captures");
  ms.captureStart[level] = s;
  ms.captureLength[level] = what;
  ms.level = level + 1;
  const res = doMatch(ms, s, p);
  if (res === -1) ms.level--; // undo the capture
  return res;
}

function endCapture(ms: MatchState, s: number, p: number): number {
  const l = captureToClose(ms);
  ms.captureLength[l] = s - ms.captureStart[l];
  const res = doMatch(ms, s, p);
  if (res === -1) ms.captureLength[l] = CAP_UNFINISHED; // undo the capture
  return res;
}

function captureToClose(ms: MatchState): number {
  for (let level = ms.level - 1; level >= 0; level--) {
    if (ms.captureLength[level] === CAP_UNFINISHED) return level;
  }
  return raise(ms.L!, "invalid pattern capture");
}

/** `check_capture`: the capture a back-reference digit byte `l` names, checked. */
function checkCapture(ms: MatchState, l: number): number {
  l -= 49; // '1'
  if (l < 0 || l >= ms.level || ms.captureLength[l] === CAP_UNFINISHED) {
    return raise(ms.L!, `invalid capture index %${l + 1}`);
  }
  return l;
}

function matchCapture(ms: MatchState, s: number, digit: number): number {
  const l = checkCapture(ms, digit);
  const len = ms.captureLength[l];
  const src = ms.src;
  // A position capture (negative length) never matches, as in C Lua, where the length compares as size_t.
  // fengari's port matched it and moved back by two bytes, which loops forever in gsub and gmatch.
  if (len < 0 || ms.srcEnd - s < len) return -1;
  const start = ms.captureStart[l];
  for (let i = 0; i < len; i++) if (src[start + i] !== src[s + i]) return -1;
  return s + len;
}

/**
 * `match`: matches the pattern from `p` against the subject from `s`; the end of the match, or -1. Captures
 * are left in `ms` (set `ms.level = 0` before each attempt).
 */
export function doMatch(ms: MatchState, s: number, p: number): number {
  if (ms.matchDepth-- === 0) raise(ms.L!, "pattern too complex");
  const pat = ms.p;
  const pEnd = ms.pEnd;
  for (;;) {
    if (p === pEnd) break; // end of pattern: a match
    let useDefault = false;
    switch (pat[p]) {
      case 40: // '(': start a capture
        if (pat[p + 1] === 41) s = startCapture(ms, s, p + 2, CAP_POSITION);
        else s = startCapture(ms, s, p + 1, CAP_UNFINISHED);
        break;
      case 41: // ')': end a capture
        s = endCapture(ms, s, p + 1);
        break;
      case 36: // '$'
        if (p + 1 !== pEnd) {
          useDefault = true; // not the last byte of the pattern: a literal '$'
          break;
        }
        if (s !== ms.srcEnd) s = -1;
        break;
      case L_ESC: {
        const next = pat[p + 1];
        if (next === 98) { // '%b'
          s = matchBalance(ms, s, p + 2);
          if (s !== -1) {
            p += 4;
            continue;
          }
        } else if (next === 102) { // '%f': frontier
          p += 2;
          if (pat[p] !== 91) raise(ms.L!, "missing '[' after '%f' in pattern");
          const ep = classEnd(ms, p);
          const previous = s === 0 ? 0 : ms.src[s - 1];
          const current = s === ms.srcEnd ? 0 : ms.src[s];
          if (!matchBracketClass(ms, previous, p, ep - 1) && matchBracketClass(ms, current, p, ep - 1)) {
            p = ep;
            continue;
          }
          s = -1;
        } else if (next >= 48 && next <= 57) { // '%0'-'%9': back-reference
          s = matchCapture(ms, s, next);
          if (s !== -1) {
            p += 2;
            continue;
          }
        } else {
          useDefault = true;
        }
        break;
      }
      default:
        useDefault = true;
    }
    if (!useDefault) break;
    // A single-character class with an optional repetition suffix.
    const ep = classEnd(ms, p);
    const suffix = pat[ep];
    if (!singleMatch(ms, s, p, ep)) {
      if (suffix === 42 || suffix === 63 || suffix === 45) { // '*', '?', '-': may match nothing
        p = ep + 1;
        continue;
      }
      s = -1; // '+' or no suffix
      break;
    }
    if (suffix === 63) { // '?'
      const res = doMatch(ms, s + 1, ep + 1);
      if (res !== -1) {
        s = res;
        break;
      }
      p = ep + 1;
      continue;
    }
    if (suffix === 43) { // '+'
      s = maxExpand(ms, s + 1, p, ep);
      break;
    }
    if (suffix === 42) { // '*'
      s = maxExpand(ms, s, p, ep);
      break;
    }
    if (suffix === 45) { // '-'
      s = minExpand(ms, s, p, ep);
      break;
    }
    s++;
    p = ep;
  }
  ms.matchDepth++;
  return s;
}

/** Bytes that make a pattern more than plain text (`nospecials`). */
const SPECIALS = new Uint8Array(256);
for (const c of "^$*+?.([%-") SPECIALS[c.charCodeAt(0)] = 1;

/** Whether `p` has no pattern special characters, so `find` may search for it as plain bytes. */
export function isPlain(p: Uint8Array): boolean {
  for (let i = 0; i < p.length; i++) if (SPECIALS[p[i]] === 1) return false;
  return true;
}

/** The first index `>= from` where `needle` occurs in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const n = needle.length;
  if (n === 0) return from <= haystack.length ? from : -1;
  const first = needle[0];
  const last = haystack.length - n;
  outer: for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let k = 1; k < n; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/**
 * The index just past a `[...]` set that starts the pattern `p`, or -1 when it is malformed (`classEnd`
 * without raising: the matcher raises for it, with its message, when it runs).
 */
function setEnd(p: Uint8Array): number {
  const length = p.length;
  let q = 1;
  if (p[q] === 94) q++; // '^'
  do {
    if (q >= length) return -1;
    if (p[q++] === L_ESC && q < length) q++;
  } while (p[q] !== 93);
  return q + 1;
}

const singleClasses = new WeakMap<Uint8Array, Uint8Array | null>();
const scratch = new MatchState();

/**
 * When the whole pattern `p` is one single-character class without a repetition suffix (`x`, `.`, `%a`,
 * `[%c"\\]`, …; no anchor, capture or `%b`/`%f`/back-reference), the bytes it matches as a 256-entry table
 * (1 = matches); null otherwise. Every match of such a pattern is one byte long, so `gsub` can test bytes
 * against the table instead of running the matcher at each position. Cached per pattern string (a
 * pattern is most often a constant, the same bytes object on every call).
 */
export function singleClassMembers(p: Uint8Array): Uint8Array | null {
  if (p === lastPattern) return lastMembers;
  let members = singleClasses.get(p);
  if (members === undefined) {
    members = compileSingleClass(p);
    singleClasses.set(p, members);
  }
  lastPattern = p;
  lastMembers = members;
  return members;
}

/**
 * The last pattern asked about and its answer, in front of `singleClasses`: a script's `gsub` calls mostly
 * repeat one pattern, and comparing one reference costs less than a `WeakMap` lookup. A Lua string's bytes
 * never change, so the answer stays right; it keeps one pattern's bytes alive.
 */
let lastPattern: Uint8Array | null = null;
let lastMembers: Uint8Array | null = null;

function compileSingleClass(p: Uint8Array): Uint8Array | null {
  const length = p.length;
  if (length === 0) return null;
  const first = p[0];
  let test: (c: number) => boolean;
  if (first === L_ESC) {
    if (length !== 2) return null;
    const cl = p[1];
    if ((cl >= 48 && cl <= 57) || cl === 98 || cl === 102) return null; // back-reference, %b, %f
    test = (c) => matchClass(c, cl);
  } else if (first === 91) { // '['
    const end = setEnd(p);
    if (end !== length) return null;
    test = (c) => {
      scratch.p = p;
      scratch.pEnd = length;
      return matchBracketClass(scratch, c, 0, end - 1);
    };
  } else {
    // '^' anchors, '(' and ')' are captures, a lone '$' matches the end: the matcher's business.
    if (length !== 1 || first === 94 || first === 40 || first === 41 || first === 36) return null;
    test = first === 46 ? () => true : (c) => c === first;
  }
  const members = new Uint8Array(256);
  for (let c = 0; c < 256; c++) members[c] = test(c) ? 1 : 0;
  scratch.p = EMPTY;
  return members;
}

/**
 * The Huffman code of HPACK string literals (RFC 7541 §5.2, Appendix B): the encoder for request header
 * blocks, and the decoder that every response header block goes through. The decoder is a byte-at-a-time
 * state machine whose table is built once at module load from `_huffman_table.ts`: one lookup per input byte,
 * no allocation per string. `HpackError` lives here, not in `hpack.ts`, because this is the lowest module that
 * throws it; `hpack.ts` re-exports it, so callers import it from there.
 */
import { HUFFMAN_EOS, HUFFMAN_TABLE } from "./_huffman_table.ts";

/**
 * A malformed header block: HTTP/2's COMPRESSION_ERROR (RFC 9113 §4.3), a connection error, since the two
 * sides' dynamic tables can no longer be trusted to agree. The message is one line saying what was wrong.
 *
 * @example Telling a compression error from other failures
 * ```ts
 * import { HpackError } from "./huffman.ts";
 *
 * const error: unknown = new HpackError("indexed field with index 0");
 * console.log(error instanceof HpackError, (error as Error).message); // true "indexed field with index 0"
 * ```
 */
export class HpackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HpackError";
  }
}

const SYMBOLS = HUFFMAN_TABLE.length; // 257, with EOS
/** Each symbol's code, right-aligned. */
const CODES = new Int32Array(SYMBOLS);
/** Each symbol's code length in bits (5 to 30). */
const BITS = new Uint8Array(SYMBOLS);
for (let symbol = 0; symbol < SYMBOLS; symbol++) {
  CODES[symbol] = HUFFMAN_TABLE[symbol][0];
  BITS[symbol] = HUFFMAN_TABLE[symbol][1];
}

/**
 * The decoding tree: 256 internal nodes (a complete prefix code over 257 symbols has one fewer internal node
 * than leaves), node 0 the root. `CHILD[2 * node + bit]` is the next internal node, or `-1 - symbol` for a leaf.
 */
const NODES = SYMBOLS - 1;
const CHILD = new Int16Array(2 * NODES);
/** Bits read from the root to reach each node, and whether they were all ones: what decides valid padding. */
const DEPTH = new Uint8Array(NODES);
const ALL_ONES = new Uint8Array(NODES);

/**
 * The state machine: entry `(state << 8) | byte` holds, for a byte read in `state` (a tree node), the symbols
 * it completes in bits 0-7 and 8-15 (a byte completes at most two: codes are at least 5 bits long), the next
 * state in bits 16-23, and in bits 24-25 how many symbols it completed, or `FAILED` when it completed EOS.
 */
const TRANSITIONS = new Int32Array(NODES << 8);
const FAILED = 3;
/** `ACCEPTING[state]`: the string may end in this state (at most 7 bits of padding, all ones; RFC 7541 §5.2). */
const ACCEPTING = new Uint8Array(NODES);

buildDecoder();

function buildDecoder(): void {
  ALL_ONES[0] = 1;
  let nodes = 1;
  for (let symbol = 0; symbol < SYMBOLS; symbol++) {
    let node = 0;
    for (let bit = BITS[symbol] - 1; bit >= 0; bit--) {
      const one = (CODES[symbol] >>> bit) & 1;
      const slot = 2 * node + one;
      if (bit === 0) {
        CHILD[slot] = -1 - symbol;
      } else {
        if (CHILD[slot] === 0) {
          CHILD[slot] = nodes;
          DEPTH[nodes] = DEPTH[node] + 1;
          ALL_ONES[nodes] = ALL_ONES[node] & one;
          nodes++;
        }
        node = CHILD[slot];
      }
    }
  }
  if (nodes !== NODES) throw new Error(`Huffman table: ${nodes} internal nodes, expected ${NODES}`);
  // A nibble completes at most one symbol (codes are at least 5 bits): walk each state's 16 nibbles through the
  // tree, then compose two nibble steps into each byte's entry. This runs at module load in every worker that
  // imports this file; walking all 8 bits of every byte would take 8 times the steps.
  const nibbles = new Int32Array(NODES << 4);
  for (let state = 0; state < NODES; state++) {
    ACCEPTING[state] = DEPTH[state] <= 7 && ALL_ONES[state] === 1 ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let entry = 0;
      for (let bit = 3; bit >= 0; bit--) {
        const next = CHILD[2 * node + ((nibble >>> bit) & 1)];
        if (next >= 0) {
          node = next;
          continue;
        }
        const symbol = -1 - next;
        entry = symbol === HUFFMAN_EOS ? FAILED << 24 : (1 << 24) | symbol;
        node = 0;
      }
      nibbles[(state << 4) | nibble] = entry | (node << 16);
    }
  }
  for (let state = 0; state < NODES; state++) {
    for (let byte = 0; byte < 256; byte++) {
      const high = nibbles[(state << 4) | (byte >>> 4)];
      const low = nibbles[(((high >>> 16) & 0xff) << 4) | (byte & 0x0f)];
      const highCount = high >>> 24;
      const lowCount = low >>> 24;
      let entry: number;
      if (highCount === FAILED || lowCount === FAILED) entry = FAILED << 24;
      else if (highCount === 0) entry = low;
      else if (lowCount === 0) entry = (low & 0xff0000) | (1 << 24) | (high & 0xff);
      else entry = (low & 0xff0000) | (2 << 24) | ((low & 0xff) << 8) | (high & 0xff);
      TRANSITIONS[(state << 8) | byte] = entry;
    }
  }
}

/**
 * The length in bytes of `bytes` Huffman-encoded, padding included: what decides whether a string is sent
 * encoded (only when shorter).
 *
 * @example "www.example.com" takes 12 bytes encoded (RFC 7541 C.4.1)
 * ```ts
 * import { huffmanEncodedLength } from "./huffman.ts";
 *
 * console.log(huffmanEncodedLength(new TextEncoder().encode("www.example.com"))); // 12
 * ```
 */
export function huffmanEncodedLength(bytes: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) bits += BITS[bytes[i]];
  return (bits + 7) >>> 3;
}

/**
 * Writes `bytes` Huffman-encoded into `out` from `offset`, padded with the most significant bits of EOS (ones),
 * and returns the end offset. `out` must have `huffmanEncodedLength(bytes)` bytes free from `offset`.
 *
 * @example Encoding "no-cache" (RFC 7541 C.4.2)
 * ```ts
 * import { huffmanEncode } from "./huffman.ts";
 *
 * const out = new Uint8Array(16);
 * const end = huffmanEncode(new TextEncoder().encode("no-cache"), out, 0);
 * console.log(Array.from(out.subarray(0, end), (b) => b.toString(16)).join(" ")); // "a8 eb 10 64 9c bf"
 * ```
 */
export function huffmanEncode(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  // `pending` holds the `pendingBits` (< 8) bits not yet written, right-aligned.
  let pending = 0;
  let pendingBits = 0;
  let at = offset;
  for (let i = 0; i < bytes.length; i++) {
    let code = CODES[bytes[i]];
    let bits = BITS[bytes[i]];
    while (pendingBits + bits >= 8) {
      const take = 8 - pendingBits;
      bits -= take;
      out[at++] = ((pending << take) | (code >>> bits)) & 0xff;
      code &= (1 << bits) - 1;
      pending = 0;
      pendingBits = 0;
    }
    pending = (pending << bits) | code;
    pendingBits += bits;
  }
  if (pendingBits > 0) out[at++] = ((pending << (8 - pendingBits)) | (0xff >>> pendingBits)) & 0xff;
  return at;
}

/**
 * The most bytes `encodedLength` Huffman-encoded bytes can decode to (every code is at least 5 bits): the room
 * `huffmanDecode` needs in its output.
 *
 * @example 12 encoded bytes decode to at most 19
 * ```ts
 * import { huffmanDecodedMaxLength } from "./huffman.ts";
 *
 * console.log(huffmanDecodedMaxLength(12)); // 19
 * ```
 */
export function huffmanDecodedMaxLength(encodedLength: number): number {
  return Math.floor((encodedLength * 8) / 5);
}

/**
 * Decodes the Huffman-encoded `src[start, end)` into `out` from `outOffset` and returns the end offset in
 * `out`, which must have `huffmanDecodedMaxLength(end - start)` bytes free from `outOffset`. Throws
 * `HpackError` when the string holds EOS or ends in padding longer than 7 bits or not all ones (RFC 7541 §5.2).
 *
 * @example Decoding "www.example.com" (RFC 7541 C.4.1)
 * ```ts
 * import { huffmanDecode } from "./huffman.ts";
 *
 * const encoded = Uint8Array.of(0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff);
 * const out = new Uint8Array(32);
 * const end = huffmanDecode(encoded, 0, encoded.length, out, 0);
 * console.log(new TextDecoder().decode(out.subarray(0, end))); // "www.example.com"
 * ```
 */
export function huffmanDecode(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  outOffset: number,
): number {
  let state = 0;
  let at = outOffset;
  for (let i = start; i < end; i++) {
    const entry = TRANSITIONS[(state << 8) | src[i]];
    const count = entry >>> 24;
    if (count !== 0) {
      if (count === FAILED) throw new HpackError("Huffman-encoded string contains EOS");
      out[at++] = entry & 0xff;
      if (count === 2) out[at++] = (entry >>> 8) & 0xff;
    }
    state = (entry >>> 16) & 0xff;
  }
  if (ACCEPTING[state] === 0) {
    throw new HpackError(
      ALL_ONES[state] === 0
        ? "Huffman-encoded string ends inside a code (padding not all ones)"
        : `Huffman padding of ${DEPTH[state]} bits (at most 7 allowed)`,
    );
  }
  return at;
}

/**
 * HPACK (RFC 7541), the header compression of HTTP/2, for the client side: a decoder for response header
 * blocks with its dynamic table, a reusable list the decoded fields land in as bytes (the shape of
 * `ResponseView` in `lib/net/request_source.ts`, so a script's `response()` gets them without another copy),
 * and an encoder for request header blocks that never touches the dynamic table, so that a request's block is
 * encoded once and sent as is on every connection. Written here rather than taken from a package: the decoder
 * runs on every response, so it decodes straight into the list's bytes, keeps its table in one ring buffer
 * and allocates nothing per field.
 */
import {
  HpackError,
  huffmanDecode,
  huffmanDecodedMaxLength,
  huffmanEncode,
  huffmanEncodedLength,
} from "./huffman.ts";

export { HpackError };

/**
 * The static table (RFC 7541 Appendix A): `STATIC_TABLE[i - 1]` is `[name, value]` of index `i`, 1 to 61.
 * Dynamic table entries follow it in the index space, from 62.
 *
 * @example Index 2 is `:method: GET`
 * ```ts
 * import { STATIC_TABLE } from "./hpack.ts";
 *
 * console.log(STATIC_TABLE.length, STATIC_TABLE[2 - 1]); // 61 [ ":method", "GET" ]
 * ```
 */
export const STATIC_TABLE: readonly (readonly [name: string, value: string])[] = [
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];

const STATIC_ENTRIES = STATIC_TABLE.length;
/** Every entry's size adds 32 bytes to its name and value lengths (RFC 7541 §4.1). */
const ENTRY_OVERHEAD_BYTES = 32;
/** Integers are at most 2^31 - 1 here: indexes, lengths and sizes never come close (RFC 7541 §5.1, §7.4). */
const MAX_INTEGER = 0x7fffffff;
/** 2^31 - 1 takes 5 bytes after a prefix: a sixth is an overlong or oversized integer. */
const MAX_INTEGER_CONTINUATION_BYTES = 5;
/** Strings at most this long are copied byte by byte; longer ones with `set` (which costs a view). */
const SHORT_COPY_BYTES = 32;
/** The largest header block the decoder keeps to replay (a typical response's is 30-200 bytes). */
const MAX_REPLAY_BLOCK_BYTES = 512;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** The static table's names and values as bytes, one after the other, for copying into a `HeaderList`. */
const STATIC_BYTES = textEncoder.encode(STATIC_TABLE.map(([name, value]) => name + value).join(""));
/** Entry `i` (1-based)'s name is `STATIC_BYTES[STATIC_NAME_START[i], STATIC_VALUE_START[i])`, its value up to `STATIC_VALUE_END[i]`. */
const STATIC_NAME_START = new Int32Array(STATIC_ENTRIES + 1);
const STATIC_VALUE_START = new Int32Array(STATIC_ENTRIES + 1);
const STATIC_VALUE_END = new Int32Array(STATIC_ENTRIES + 1);
/** name → the first static index with that name; name → value → static index. For the encoder. */
const STATIC_NAME_INDEX = new Map<string, number>();
const STATIC_FIELD_INDEX = new Map<string, Map<string, number>>();
{
  let at = 0;
  for (let index = 1; index <= STATIC_ENTRIES; index++) {
    const [name, value] = STATIC_TABLE[index - 1];
    STATIC_NAME_START[index] = at;
    STATIC_VALUE_START[index] = at + name.length;
    STATIC_VALUE_END[index] = at + name.length + value.length;
    at = STATIC_VALUE_END[index];
    if (!STATIC_NAME_INDEX.has(name)) STATIC_NAME_INDEX.set(name, index);
    const values = STATIC_FIELD_INDEX.get(name) ?? new Map<string, number>();
    values.set(value, index);
    STATIC_FIELD_INDEX.set(name, values);
  }
}

function copyBytes(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): void {
  if (to - from > SHORT_COPY_BYTES) {
    dst.set(src.subarray(from, to), at);
    return;
  }
  while (from < to) dst[at++] = src[from++];
}

/**
 * A reusable list of header fields stored as bytes: field `i`'s name is `bytes[nameStart[i], nameEnd[i])` and
 * its value `bytes[valueStart[i], valueEnd[i])`, for `i < count`. Names are kept as received (HTTP/2 names are
 * lower-case). The buffers grow when needed and are kept across `reset()`, so a list reused for every response
 * stops allocating once it has seen the largest; `bytes` and the offset arrays may be replaced by larger ones
 * on growth, so read them after decoding, not before.
 *
 * @example A list filled by hand, then read back
 * ```ts
 * import { HeaderList } from "./hpack.ts";
 *
 * const field = new TextEncoder().encode("content-type" + "text/html");
 * const list = new HeaderList();
 * list.add(field, 0, 12, field, 12, field.length);
 * console.log(list.count, list.toPairs()); // 1 [ [ "content-type", "text/html" ] ]
 * list.reset();
 * console.log(list.count, list.byteLength); // 0 0
 * ```
 */
export class HeaderList {
  /** Fields in the list. */
  count = 0;
  /** Bytes of `bytes` in use (names and values, in field order). */
  byteLength = 0;
  bytes: Uint8Array;
  nameStart: Int32Array;
  nameEnd: Int32Array;
  valueStart: Int32Array;
  valueEnd: Int32Array;

  constructor(initialBytes = 4096, initialFields = 64) {
    this.bytes = new Uint8Array(Math.max(1, initialBytes));
    const fields = Math.max(1, initialFields);
    this.nameStart = new Int32Array(fields);
    this.nameEnd = new Int32Array(fields);
    this.valueStart = new Int32Array(fields);
    this.valueEnd = new Int32Array(fields);
  }

  /** Empties the list, keeping its buffers. */
  reset(): void {
    this.count = 0;
    this.byteLength = 0;
  }

  /** Appends a field whose name is `nameSrc[nameStart, nameEnd)` and value `valueSrc[valueStart, valueEnd)`, copying both. */
  add(
    nameSrc: Uint8Array,
    nameStart: number,
    nameEnd: number,
    valueSrc: Uint8Array,
    valueStart: number,
    valueEnd: number,
  ): void {
    const bytes = reserveBytes(this, nameEnd - nameStart + valueEnd - valueStart);
    const fieldNameStart = this.byteLength;
    copyBytes(nameSrc, nameStart, nameEnd, bytes, fieldNameStart);
    const fieldValueStart = fieldNameStart + nameEnd - nameStart;
    copyBytes(valueSrc, valueStart, valueEnd, bytes, fieldValueStart);
    this.byteLength = fieldValueStart + valueEnd - valueStart;
    pushField(this, fieldNameStart, fieldValueStart, fieldValueStart, this.byteLength);
  }

  /** The fields as strings (UTF-8), for tests and diagnostics: this allocates. */
  toPairs(): [string, string][] {
    const pairs: [string, string][] = [];
    for (let i = 0; i < this.count; i++) {
      pairs.push([
        textDecoder.decode(this.bytes.subarray(this.nameStart[i], this.nameEnd[i])),
        textDecoder.decode(this.bytes.subarray(this.valueStart[i], this.valueEnd[i])),
      ]);
    }
    return pairs;
  }
}

/** Makes room for `extra` more bytes in `list.bytes` and returns it (maybe a new, larger buffer). */
function reserveBytes(list: HeaderList, extra: number): Uint8Array {
  const needed = list.byteLength + extra;
  if (needed <= list.bytes.length) return list.bytes;
  const grown = new Uint8Array(Math.max(needed, 2 * list.bytes.length));
  grown.set(list.bytes.subarray(0, list.byteLength));
  list.bytes = grown;
  return grown;
}

/** Records a field whose bytes are already in `list.bytes`. */
function pushField(
  list: HeaderList,
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
): void {
  const i = list.count;
  if (i === list.nameStart.length) {
    list.nameStart = growInt32(list.nameStart);
    list.nameEnd = growInt32(list.nameEnd);
    list.valueStart = growInt32(list.valueStart);
    list.valueEnd = growInt32(list.valueEnd);
  }
  list.nameStart[i] = nameStart;
  list.nameEnd[i] = nameEnd;
  list.valueStart[i] = valueStart;
  list.valueEnd[i] = valueEnd;
  list.count = i + 1;
}

/** `old`'s values in an array twice as long. */
function growInt32(old: Int32Array): Int32Array {
  const grown = new Int32Array(2 * old.length);
  grown.set(old);
  return grown;
}

/** A read position in a header block, advanced by the readers below. */
class Cursor {
  position = 0;
}

/**
 * Reads an integer with an N-bit prefix (RFC 7541 §5.1) at `cursor.position` (which must be `< end`) and
 * advances past it. Throws `HpackError` when it is truncated, above 2^31 - 1, or longer than 5 continuation
 * bytes.
 */
function readInteger(src: Uint8Array, end: number, prefixBits: number, cursor: Cursor): number {
  const mask = (1 << prefixBits) - 1;
  let value = src[cursor.position++] & mask;
  if (value < mask) return value;
  let factor = 1;
  for (let i = 0; i < MAX_INTEGER_CONTINUATION_BYTES; i++) {
    if (cursor.position >= end) throw new HpackError("truncated integer");
    const byte = src[cursor.position++];
    value += (byte & 0x7f) * factor;
    if (value > MAX_INTEGER) throw new HpackError("integer larger than 2^31 - 1");
    if ((byte & 0x80) === 0) return value;
    factor *= 128;
  }
  throw new HpackError(`integer longer than ${MAX_INTEGER_CONTINUATION_BYTES} continuation bytes`);
}

/**
 * Decodes the integer with a `prefixBits`-bit prefix (RFC 7541 §5.1) that starts at `src[start]` (the bits
 * above the prefix are ignored), returning it and the offset after it. Throws `HpackError` when it is
 * truncated, above 2^31 - 1, or longer than 5 continuation bytes.
 *
 * @example 1337 with a 5-bit prefix (RFC 7541 C.1.2)
 * ```ts
 * import { decodeInteger } from "./hpack.ts";
 *
 * console.log(decodeInteger(Uint8Array.of(0x1f, 0x9a, 0x0a), 0, 3, 5)); // { value: 1337, end: 3 }
 * ```
 */
export function decodeInteger(
  src: Uint8Array,
  start: number,
  end: number,
  prefixBits: number,
): { value: number; end: number } {
  if (start >= end) throw new HpackError("truncated integer");
  const cursor = new Cursor();
  cursor.position = start;
  const value = readInteger(src, end, prefixBits, cursor);
  return { value, end: cursor.position };
}

/**
 * Writes `value` as an integer with a `prefixBits`-bit prefix (RFC 7541 §5.1) into `out` at `offset`, the
 * first byte's bits above the prefix set to `flags`, and returns the end offset. `out` needs 6 bytes free for
 * any value up to 2^31 - 1.
 *
 * @example 1337 with a 5-bit prefix (RFC 7541 C.1.2)
 * ```ts
 * import { encodeInteger } from "./hpack.ts";
 *
 * const out = new Uint8Array(6);
 * const end = encodeInteger(1337, 5, 0, out, 0);
 * console.log(Array.from(out.subarray(0, end))); // [ 31, 154, 10 ]
 * ```
 */
export function encodeInteger(
  value: number,
  prefixBits: number,
  flags: number,
  out: Uint8Array,
  offset: number,
): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INTEGER) {
    throw new RangeError(`HPACK integer out of range: ${value}`);
  }
  const mask = (1 << prefixBits) - 1;
  let at = offset;
  if (value < mask) {
    out[at++] = flags | value;
    return at;
  }
  out[at++] = flags | mask;
  let rest = value - mask;
  while (rest >= 128) {
    out[at++] = (rest & 0x7f) | 0x80;
    rest = rest >>> 7;
  }
  out[at++] = rest;
  return at;
}

/**
 * Decodes response header blocks on one connection, keeping the dynamic table (RFC 7541 §2.3.2, §4) in step
 * with the server's encoder. One decoder per connection, fed every header block in the order received, even
 * those of streams nobody waits for any more: skipping one would leave the tables apart.
 *
 * The table is a ring of entries over a ring of bytes, both sized once for `maxTableBytes` (the
 * SETTINGS_HEADER_TABLE_SIZE we advertise): entries are at least 32 bytes, so at most `maxTableBytes / 32`
 * fit, and their names and values together never exceed `maxTableBytes`.
 *
 * Servers send the same block again and again (nginx: `:status`, `server`, `date`, `content-type` and
 * `content-length` as literals with incremental indexing, the same bytes for a second at a time). The last
 * block that read nothing from the dynamic table is kept with its fields: a block equal to it decodes to the
 * same fields whatever the table holds, so they are copied instead of decoded, and its insertions replayed,
 * which keeps the table exactly as a full decode would.
 *
 * @example The first request of RFC 7541 C.3.1, decoded
 * ```ts
 * import { HeaderList, HpackDecoder } from "./hpack.ts";
 *
 * const block = Uint8Array.of(0x82, 0x86, 0x84, 0x41, 0x0f, ...new TextEncoder().encode("www.example.com"));
 * const decoder = new HpackDecoder();
 * const list = new HeaderList();
 * decoder.decode(block, 0, block.length, list);
 * console.log(list.toPairs().map(([name, value]) => `${name}: ${value}`));
 * // [ ":method: GET", ":scheme: http", ":path: /", ":authority: www.example.com" ]
 * console.log(decoder.tableSize, decoder.tableEntry(1)); // 57 [ ":authority", "www.example.com" ]
 * ```
 */
export class HpackDecoder {
  /** The largest table size an encoder may choose (what we advertise in SETTINGS_HEADER_TABLE_SIZE). */
  readonly maxTableBytes: number;
  /**
   * The most a decoded list may hold, counted as RFC 9113 §6.5.2 counts SETTINGS_MAX_HEADER_LIST_SIZE (name
   * and value bytes plus 32 per field): a bound on what a small block can expand to through the table (RFC
   * 7541 §7.3). 80 KiB by default, as the HTTP/1.1 parser's bound on a response head
   * (`lib/net/http1/response_parser.ts`).
   */
  readonly maxListBytes: number;

  readonly #cursor = new Cursor();
  /** The table's current maximum size, set by size updates (RFC 7541 §4.2, §6.3). */
  #limit: number;
  /** The table's size by RFC 7541 §4.1. */
  #size = 0;
  /** Entries' names and values, oldest from `#ringHead`, `#ringUsed` bytes in all, wrapping around. */
  readonly #ring: Uint8Array;
  #ringHead = 0;
  #ringUsed = 0;
  /** Entries by slot: the oldest in slot `#first`, `#count` of them, wrapping around. */
  readonly #entryStart: Int32Array;
  readonly #entryNameBytes: Int32Array;
  readonly #entryValueBytes: Int32Array;
  #first = 0;
  #count = 0;
  /** Set by a decode that read a dynamic table entry or resized the table: its block cannot be replayed. */
  #usedTable = false;
  /** The last block that can be replayed (`#replayBytes` of `#replayBlock`; -1: none), its fields in order. */
  #replayBlock = new Uint8Array(MAX_REPLAY_BLOCK_BYTES);
  #replayBytes = -1;
  readonly #replayList = new HeaderList(2 * MAX_REPLAY_BLOCK_BYTES, 16);
  /** Which of `#replayList`'s fields the block inserted into the table, in order (`#replayInserts` of them). */
  #replayInsert: Int32Array = new Int32Array(16);
  /** The same for the block being decoded; swapped with `#replayInsert` when that block is kept. */
  #inserted: Int32Array = new Int32Array(16);
  #replayInserts = 0;

  constructor(maxTableBytes = 4096, maxListBytes = 80 * 1024) {
    if (!Number.isInteger(maxTableBytes) || maxTableBytes < 0 || maxTableBytes > MAX_INTEGER) {
      throw new RangeError(`HPACK table size out of range: ${maxTableBytes}`);
    }
    this.maxTableBytes = maxTableBytes;
    this.maxListBytes = maxListBytes;
    this.#limit = maxTableBytes;
    this.#ring = new Uint8Array(maxTableBytes);
    const slots = Math.floor(maxTableBytes / ENTRY_OVERHEAD_BYTES) + 1;
    this.#entryStart = new Int32Array(slots);
    this.#entryNameBytes = new Int32Array(slots);
    this.#entryValueBytes = new Int32Array(slots);
  }

  /** The dynamic table's size (RFC 7541 §4.1: names and values plus 32 bytes per entry). */
  get tableSize(): number {
    return this.#size;
  }

  /** Entries in the dynamic table. */
  get tableLength(): number {
    return this.#count;
  }

  /** The dynamic table's current maximum size (`maxTableBytes` until the encoder sends a size update). */
  get tableLimit(): number {
    return this.#limit;
  }

  /** Dynamic table entry `index` (1 is the newest; its HPACK index is `61 + index`) as strings, for tests. */
  tableEntry(index: number): [name: string, value: string] {
    if (!Number.isInteger(index) || index < 1 || index > this.#count) {
      throw new RangeError(`no dynamic table entry ${index} (${this.#count} entries)`);
    }
    const slot = this.#slot(index);
    const list = new HeaderList(this.#entryNameBytes[slot] + this.#entryValueBytes[slot], 1);
    this.#appendEntry(slot, list);
    return list.toPairs()[0];
  }

  /** Empties the table and restores its maximum size: the state of a new connection. */
  reset(): void {
    this.#evictTo(0);
    this.#limit = this.maxTableBytes;
    this.#ringHead = 0;
    this.#first = 0;
    this.#replayBytes = -1;
  }

  /**
   * Decodes the complete header block `block[start, end)` (HEADERS and CONTINUATION fragments already joined)
   * and appends its fields to `out` (reset it first to start a new list). Throws `HpackError` on anything
   * malformed; the connection must then end, as the table may be out of step.
   */
  decode(block: Uint8Array, start: number, end: number, out: HeaderList): void {
    if (end - start === this.#replayBytes && this.#isReplay(block, start)) {
      this.#replay(out);
      return;
    }
    const firstField = out.count;
    let inserts = 0;
    this.#usedTable = false;
    const cursor = this.#cursor;
    cursor.position = start;
    let listBytes = 0;
    let fields = false;
    while (cursor.position < end) {
      const first = block[cursor.position];
      const fieldStart = out.byteLength;
      if (first >= 0x80) {
        // Indexed header field (§6.1).
        const index = readInteger(block, end, 7, cursor);
        if (index === 0) throw new HpackError("indexed field with index 0");
        const bytes = reserveBytes(out, this.#entryBytes(index));
        const nameStart = out.byteLength;
        if (index <= STATIC_ENTRIES) {
          copyBytes(STATIC_BYTES, STATIC_NAME_START[index], STATIC_VALUE_START[index], bytes, nameStart);
          const valueStart = nameStart + STATIC_VALUE_START[index] - STATIC_NAME_START[index];
          copyBytes(STATIC_BYTES, STATIC_VALUE_START[index], STATIC_VALUE_END[index], bytes, valueStart);
          out.byteLength = valueStart + STATIC_VALUE_END[index] - STATIC_VALUE_START[index];
          pushField(out, nameStart, valueStart, valueStart, out.byteLength);
        } else {
          this.#usedTable = true;
          this.#appendEntry(this.#slot(index - STATIC_ENTRIES), out);
        }
      } else if (first >= 0x40) {
        // Literal with incremental indexing (§6.2.1): then added to the table.
        this.#literal(block, end, 6, out);
        const i = out.count - 1;
        this.#insert(out.bytes, out.nameStart[i], out.nameEnd[i], out.valueEnd[i]);
        if (inserts === this.#inserted.length) this.#inserted = growInt32(this.#inserted);
        this.#inserted[inserts++] = i - firstField;
      } else if (first >= 0x20) {
        // Dynamic table size update (§6.3): only before the block's first field (§4.2).
        if (fields) throw new HpackError("dynamic table size update after a header field");
        const size = readInteger(block, end, 5, cursor);
        if (size > this.maxTableBytes) {
          throw new HpackError(`dynamic table size update to ${size} bytes, above our ${this.maxTableBytes}`);
        }
        this.#usedTable = true;
        this.#limit = size;
        this.#evictTo(size);
        continue;
      } else {
        // Literal without indexing (§6.2.2) or never indexed (§6.2.3): both a 4-bit prefix, not added.
        this.#literal(block, end, 4, out);
      }
      fields = true;
      listBytes += out.byteLength - fieldStart + ENTRY_OVERHEAD_BYTES;
      if (listBytes > this.maxListBytes) {
        throw new HpackError(`header list larger than ${this.maxListBytes} bytes`);
      }
    }
    if (!this.#usedTable && end - start <= MAX_REPLAY_BLOCK_BYTES) {
      this.#keep(block, start, end, out, firstField, inserts);
    }
  }

  /** Keeps `block[start, end)`, whose fields are `out`'s from `firstField`, for `#replay`. */
  #keep(
    block: Uint8Array,
    start: number,
    end: number,
    out: HeaderList,
    firstField: number,
    inserts: number,
  ): void {
    this.#replayBlock.set(block.subarray(start, end));
    this.#replayBytes = end - start;
    const list = this.#replayList;
    list.reset();
    for (let i = firstField; i < out.count; i++) {
      list.add(out.bytes, out.nameStart[i], out.nameEnd[i], out.bytes, out.valueStart[i], out.valueEnd[i]);
    }
    // The block's insert list becomes the kept one; the old kept list is the scratch of the next decode.
    const kept = this.#inserted;
    this.#inserted = this.#replayInsert;
    this.#replayInsert = kept;
    this.#replayInserts = inserts;
  }

  /** Whether `block` from `start` holds the kept block's bytes (its length already compared). */
  #isReplay(block: Uint8Array, start: number): boolean {
    const kept = this.#replayBlock;
    const length = this.#replayBytes;
    for (let i = 0; i < length; i++) if (block[start + i] !== kept[i]) return false;
    return true;
  }

  /** Appends the kept block's fields to `out` and inserts into the table what decoding it inserted. */
  #replay(out: HeaderList): void {
    const list = this.#replayList;
    const bytes = list.bytes;
    // The kept fields' bytes are contiguous: one copy, then their offsets moved to where they landed.
    const base = out.byteLength;
    copyBytes(bytes, 0, list.byteLength, reserveBytes(out, list.byteLength), base);
    out.byteLength = base + list.byteLength;
    for (let i = 0; i < list.count; i++) {
      pushField(
        out,
        base + list.nameStart[i],
        base + list.nameEnd[i],
        base + list.valueStart[i],
        base + list.valueEnd[i],
      );
    }
    for (let j = 0; j < this.#replayInserts; j++) {
      const i = this.#replayInsert[j];
      this.#insert(bytes, list.nameStart[i], list.nameEnd[i], list.valueEnd[i]);
    }
  }

  /** A literal field (§6.2) whose name index has a `prefixBits`-bit prefix: appended to `out`. */
  #literal(block: Uint8Array, end: number, prefixBits: number, out: HeaderList): void {
    const cursor = this.#cursor;
    const nameIndex = readInteger(block, end, prefixBits, cursor);
    const nameStart = out.byteLength;
    if (nameIndex === 0) {
      this.#string(block, end, out);
    } else if (nameIndex <= STATIC_ENTRIES) {
      const bytes = reserveBytes(out, STATIC_VALUE_START[nameIndex] - STATIC_NAME_START[nameIndex]);
      copyBytes(STATIC_BYTES, STATIC_NAME_START[nameIndex], STATIC_VALUE_START[nameIndex], bytes, nameStart);
      out.byteLength = nameStart + STATIC_VALUE_START[nameIndex] - STATIC_NAME_START[nameIndex];
    } else {
      this.#entryBytes(nameIndex);
      this.#usedTable = true;
      const slot = this.#slot(nameIndex - STATIC_ENTRIES);
      const nameBytes = this.#entryNameBytes[slot];
      this.#copyFromRing(this.#entryStart[slot], nameBytes, reserveBytes(out, nameBytes), nameStart);
      out.byteLength = nameStart + nameBytes;
    }
    const valueStart = out.byteLength;
    this.#string(block, end, out);
    pushField(out, nameStart, valueStart, valueStart, out.byteLength);
  }

  /** A string literal (§5.2) at the cursor: its bytes, Huffman-decoded if flagged, appended to `out.bytes`. */
  #string(block: Uint8Array, end: number, out: HeaderList): void {
    const cursor = this.#cursor;
    if (cursor.position >= end) throw new HpackError("truncated block: string literal missing");
    const huffman = block[cursor.position] >= 0x80;
    const length = readInteger(block, end, 7, cursor);
    const start = cursor.position;
    if (length > end - start) {
      throw new HpackError(
        `string literal of ${length} bytes, longer than the ${end - start} left in the block`,
      );
    }
    cursor.position = start + length;
    if (huffman) {
      const bytes = reserveBytes(out, huffmanDecodedMaxLength(length));
      out.byteLength = huffmanDecode(block, start, start + length, bytes, out.byteLength);
    } else {
      copyBytes(block, start, start + length, reserveBytes(out, length), out.byteLength);
      out.byteLength += length;
    }
  }

  /** The name and value bytes of entry `index` (static or dynamic); throws when there is no such entry. */
  #entryBytes(index: number): number {
    if (index <= STATIC_ENTRIES) return STATIC_VALUE_END[index] - STATIC_NAME_START[index];
    if (index > STATIC_ENTRIES + this.#count) {
      throw new HpackError(
        `index ${index} past the table (${STATIC_ENTRIES} static, ${this.#count} dynamic)`,
      );
    }
    const slot = this.#slot(index - STATIC_ENTRIES);
    return this.#entryNameBytes[slot] + this.#entryValueBytes[slot];
  }

  /** The slot of dynamic entry `index` (1 is the newest), which must exist. */
  #slot(index: number): number {
    return (this.#first + this.#count - index) % this.#entryStart.length;
  }

  /** Appends the entry in `slot` to `out` as a field. */
  #appendEntry(slot: number, out: HeaderList): void {
    const nameBytes = this.#entryNameBytes[slot];
    const valueBytes = this.#entryValueBytes[slot];
    const bytes = reserveBytes(out, nameBytes + valueBytes);
    const nameStart = out.byteLength;
    this.#copyFromRing(this.#entryStart[slot], nameBytes + valueBytes, bytes, nameStart);
    out.byteLength = nameStart + nameBytes + valueBytes;
    pushField(out, nameStart, nameStart + nameBytes, nameStart + nameBytes, out.byteLength);
  }

  #copyFromRing(from: number, length: number, dst: Uint8Array, at: number): void {
    const ring = this.#ring;
    const head = Math.min(length, ring.length - from);
    copyBytes(ring, from, from + head, dst, at);
    if (head < length) copyBytes(ring, 0, length - head, dst, at + head);
  }

  /** Adds the field `src[nameStart, nameEnd)`: `src[nameEnd, valueEnd)` as the newest entry (RFC 7541 §4.4). */
  #insert(src: Uint8Array, nameStart: number, nameEnd: number, valueEnd: number): void {
    const bytes = valueEnd - nameStart;
    const size = bytes + ENTRY_OVERHEAD_BYTES;
    if (size > this.#limit) {
      // Larger than the whole table: the table empties and the field is not added.
      this.#evictTo(0);
      return;
    }
    this.#evictTo(this.#limit - size);
    const ring = this.#ring;
    let at = this.#ringHead + this.#ringUsed;
    if (at >= ring.length) at -= ring.length;
    const head = Math.min(bytes, ring.length - at);
    copyBytes(src, nameStart, nameStart + head, ring, at);
    if (head < bytes) copyBytes(src, nameStart + head, valueEnd, ring, 0);
    const slots = this.#entryStart.length;
    let slot = this.#first + this.#count;
    if (slot >= slots) slot -= slots;
    this.#entryStart[slot] = at;
    this.#entryNameBytes[slot] = nameEnd - nameStart;
    this.#entryValueBytes[slot] = valueEnd - nameEnd;
    this.#count++;
    this.#ringUsed += bytes;
    this.#size += size;
  }

  /** Evicts the oldest entries until the table's size is at most `size` (RFC 7541 §4.3). */
  #evictTo(size: number): void {
    const ring = this.#ring.length;
    const slots = this.#entryStart.length;
    while (this.#size > size) {
      const slot = this.#first;
      const bytes = this.#entryNameBytes[slot] + this.#entryValueBytes[slot];
      this.#ringHead += bytes;
      if (this.#ringHead >= ring) this.#ringHead -= ring;
      this.#ringUsed -= bytes;
      this.#size -= bytes + ENTRY_OVERHEAD_BYTES;
      this.#first = slot + 1 === slots ? 0 : slot + 1;
      this.#count--;
    }
  }
}

/**
 * Encodes request header lists for HTTP/2 without ever adding to the dynamic table (RFC 7541 §6.1, §6.2.2),
 * so a block depends on nothing the connection remembers: encoded once, it can be sent any number of times on
 * any connection. A field equal to a static table entry is one indexed byte; any other is a literal without
 * indexing, naming the static table entry when its name is there; strings are Huffman-encoded when that is
 * shorter.
 *
 * @example The first request of RFC 7541 C.4.1, without adding `:authority` to the table
 * ```ts
 * import { HpackEncoder } from "./hpack.ts";
 *
 * const block = new HpackEncoder().encodeHeaderBlock([
 *   [":method", "GET"],
 *   [":scheme", "http"],
 *   [":path", "/"],
 *   [":authority", "www.example.com"],
 * ]);
 * console.log(Array.from(block, (b) => b.toString(16).padStart(2, "0")).join(""));
 * // "828684018cf1e3c2e5f23a6ba0ab90f4ff"
 * ```
 */
export class HpackEncoder {
  /**
   * The header block of `headers`, in order. Names must already be lower-case and pseudo-header fields come
   * first (RFC 9113 §8.2.1, §8.3); names and values are sent as their UTF-8 bytes.
   */
  encodeHeaderBlock(headers: readonly (readonly [string, string])[]): Uint8Array {
    const names: (Uint8Array | null)[] = [];
    const values: (Uint8Array | null)[] = [];
    const indexes: number[] = [];
    // Each field: a prefixed integer (6 bytes at most), then at most two strings, each with its length.
    let bound = 0;
    for (const [name, value] of headers) {
      const fieldIndex = STATIC_FIELD_INDEX.get(name)?.get(value);
      if (fieldIndex !== undefined) {
        indexes.push(fieldIndex);
        names.push(null);
        values.push(null);
        bound += 6;
        continue;
      }
      const nameIndex = STATIC_NAME_INDEX.get(name) ?? 0;
      const nameBytes = nameIndex === 0 ? textEncoder.encode(name) : null;
      const valueBytes = textEncoder.encode(value);
      indexes.push(nameIndex);
      names.push(nameBytes);
      values.push(valueBytes);
      bound += 6 + (nameBytes === null ? 0 : 6 + nameBytes.length) + 6 + valueBytes.length;
    }
    const out = new Uint8Array(bound);
    let at = 0;
    for (let i = 0; i < indexes.length; i++) {
      const valueBytes = values[i];
      if (valueBytes === null) {
        at = encodeInteger(indexes[i], 7, 0x80, out, at);
        continue;
      }
      at = encodeInteger(indexes[i], 4, 0x00, out, at);
      const nameBytes = names[i];
      if (nameBytes !== null) at = writeString(nameBytes, out, at);
      at = writeString(valueBytes, out, at);
    }
    return out.slice(0, at);
  }

  /**
   * A dynamic table size update (RFC 7541 §6.3) to `maxTableBytes`: what must open the first header block
   * after the server lowers SETTINGS_HEADER_TABLE_SIZE below what the encoder last announced (§4.2). Sent
   * before a block from `encodeHeaderBlock`, in the same HEADERS frame.
   *
   * @example Announcing a table of 0 bytes
   * ```ts
   * import { HpackEncoder } from "./hpack.ts";
   *
   * console.log(Array.from(new HpackEncoder().tableSizeUpdate(0))); // [ 32 ]
   * ```
   */
  tableSizeUpdate(maxTableBytes: number): Uint8Array {
    const out = new Uint8Array(6);
    return out.slice(0, encodeInteger(maxTableBytes, 5, 0x20, out, 0));
  }
}

/** Writes a string literal (§5.2) at `at`: Huffman-encoded when that is shorter. */
function writeString(bytes: Uint8Array, out: Uint8Array, at: number): number {
  const huffmanLength = huffmanEncodedLength(bytes);
  if (huffmanLength < bytes.length) {
    return huffmanEncode(bytes, out, encodeInteger(huffmanLength, 7, 0x80, out, at));
  }
  const start = encodeInteger(bytes.length, 7, 0x00, out, at);
  out.set(bytes, start);
  return start + bytes.length;
}

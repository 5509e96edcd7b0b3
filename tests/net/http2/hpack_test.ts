/**
 * HPACK (RFC 7541): every example of Appendix C (integers, field representations, requests and responses with
 * and without Huffman coding, the dynamic table checked after each block), malformed blocks, the encoder's
 * blocks read back by a fresh decoder, and the reusable header list.
 */
import { assertEquals, assertThrows } from "@std/assert";
import {
  decodeInteger,
  encodeInteger,
  HeaderList,
  HpackDecoder,
  HpackEncoder,
  HpackError,
  STATIC_TABLE,
} from "../../../lib/net/http2/hpack.ts";

const encoder = new TextEncoder();

/** Bytes from hex as RFC 7541 prints it (groups of digits, any white space). */
function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(
    { length: digits.length / 2 },
    (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16),
  );
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function decodeBlock(decoder: HpackDecoder, block: Uint8Array, list = new HeaderList()): [string, string][] {
  list.reset();
  decoder.decode(block, 0, block.length, list);
  return list.toPairs();
}

function tableOf(decoder: HpackDecoder): [string, string][] {
  return Array.from({ length: decoder.tableLength }, (_, i) => decoder.tableEntry(i + 1));
}

interface Step {
  /** RFC 7541's hex dump of the block. */
  block: string;
  /** The decoded header list. */
  list: [string, string][];
  /** The dynamic table after decoding, newest first. */
  table: [string, string][];
  /** The table's size after decoding. */
  size: number;
}

/** Decodes each step's block in turn with one decoder (and one reused list), checking list and table. */
function runSteps(decoder: HpackDecoder, steps: Step[]): void {
  const list = new HeaderList(16, 2);
  for (const [i, step] of steps.entries()) {
    assertEquals(decodeBlock(decoder, hex(step.block), list), step.list, `block ${i + 1}: list`);
    assertEquals(tableOf(decoder), step.table, `block ${i + 1}: table`);
    assertEquals(decoder.tableSize, step.size, `block ${i + 1}: table size`);
  }
}

const REQUEST_1: [string, string][] = [
  [":method", "GET"],
  [":scheme", "http"],
  [":path", "/"],
  [":authority", "www.example.com"],
];
const REQUEST_2: [string, string][] = [...REQUEST_1, ["cache-control", "no-cache"]];
const REQUEST_3: [string, string][] = [
  [":method", "GET"],
  [":scheme", "https"],
  [":path", "/index.html"],
  [":authority", "www.example.com"],
  ["custom-key", "custom-value"],
];
const REQUEST_TABLES: Omit<Step, "block">[] = [
  { list: REQUEST_1, table: [[":authority", "www.example.com"]], size: 57 },
  {
    list: REQUEST_2,
    table: [["cache-control", "no-cache"], [":authority", "www.example.com"]],
    size: 110,
  },
  {
    list: REQUEST_3,
    table: [["custom-key", "custom-value"], ["cache-control", "no-cache"], [":authority", "www.example.com"]],
    size: 164,
  },
];

const DATE_1 = "Mon, 21 Oct 2013 20:13:21 GMT";
const DATE_2 = "Mon, 21 Oct 2013 20:13:22 GMT";
const LOCATION = "https://www.example.com";
const COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";
const RESPONSE_1: [string, string][] = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", DATE_1],
  ["location", LOCATION],
];
const RESPONSE_2: [string, string][] = [[":status", "307"], ...RESPONSE_1.slice(1)];
const RESPONSE_3: [string, string][] = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", DATE_2],
  ["location", LOCATION],
  ["content-encoding", "gzip"],
  ["set-cookie", COOKIE],
];
const RESPONSE_TABLES: Omit<Step, "block">[] = [
  {
    list: RESPONSE_1,
    table: [["location", LOCATION], ["date", DATE_1], ["cache-control", "private"], [":status", "302"]],
    size: 222,
  },
  {
    list: RESPONSE_2,
    table: [[":status", "307"], ["location", LOCATION], ["date", DATE_1], ["cache-control", "private"]],
    size: 222,
  },
  {
    list: RESPONSE_3,
    table: [["set-cookie", COOKIE], ["content-encoding", "gzip"], ["date", DATE_2]],
    size: 215,
  },
];

// C.1: integer representation.

Deno.test("C.1.1: 10 with a 5-bit prefix is one byte, whatever the 3 bits above it", () => {
  const out = new Uint8Array(6);
  assertEquals(toHex(out.subarray(0, encodeInteger(10, 5, 0, out, 0))), "0a");
  assertEquals(toHex(out.subarray(0, encodeInteger(10, 5, 0xe0, out, 0))), "ea");
  assertEquals(decodeInteger(hex("0a"), 0, 1, 5), { value: 10, end: 1 });
  assertEquals(decodeInteger(hex("ea"), 0, 1, 5), { value: 10, end: 1 });
});

Deno.test("C.1.2: 1337 with a 5-bit prefix is 1f 9a 0a", () => {
  const out = new Uint8Array(6);
  assertEquals(toHex(out.subarray(0, encodeInteger(1337, 5, 0, out, 0))), "1f9a0a");
  assertEquals(decodeInteger(hex("ff 1f9a0a 00"), 1, 5, 5), { value: 1337, end: 4 });
});

Deno.test("C.1.3: 42 starting at an octet boundary (8-bit prefix) is 2a", () => {
  const out = new Uint8Array(6);
  assertEquals(toHex(out.subarray(0, encodeInteger(42, 8, 0, out, 0))), "2a");
  assertEquals(decodeInteger(hex("2a"), 0, 1, 8), { value: 42, end: 1 });
});

Deno.test("integers round trip with every prefix size up to 2^31 - 1, the prefix's own maximum included", () => {
  const out = new Uint8Array(6);
  for (let prefixBits = 1; prefixBits <= 8; prefixBits++) {
    const max = (1 << prefixBits) - 1;
    for (const value of [0, 1, max - 1, max, max + 1, max + 127, max + 128, 16383, 2 ** 21, 2 ** 31 - 1]) {
      const end = encodeInteger(value, prefixBits, 0, out, 0);
      assertEquals(decodeInteger(out, 0, end, prefixBits), { value, end }, `${value} in ${prefixBits} bits`);
    }
  }
});

Deno.test("a truncated integer throws HpackError", () => {
  assertThrows(() => decodeInteger(hex("1f"), 0, 1, 5), HpackError, "truncated integer");
  assertThrows(() => decodeInteger(hex("1f 9a"), 0, 2, 5), HpackError, "truncated integer");
  assertThrows(() => decodeInteger(hex(""), 0, 0, 5), HpackError, "truncated integer");
});

Deno.test("an integer above 2^31 - 1 or with more than 5 continuation bytes throws HpackError", () => {
  const out = new Uint8Array(6);
  const end = encodeInteger(2 ** 31 - 1, 5, 0, out, 0);
  out[end - 1]++; // 2^31 - 1 + 2^28
  assertThrows(() => decodeInteger(out, 0, end, 5), HpackError, "larger than 2^31 - 1");
  // 1f ff ff ff ff 0f: 31 + 127 + 127·2^7 + 127·2^14 + 127·2^21 + 15·2^28 > 2^31 - 1
  assertThrows(() => decodeInteger(hex("1f ff ff ff ff 0f"), 0, 6, 5), HpackError, "larger than 2^31 - 1");
  // Zeros padded out with continuation bits: a small value, but 6 continuation bytes.
  assertThrows(() => decodeInteger(hex("1f 80 80 80 80 80 00"), 0, 7, 5), HpackError, "continuation bytes");
});

// C.2: header field representations, each with a fresh decoder.

Deno.test("C.2.1: a literal with indexing adds custom-key: custom-header to the table", () => {
  const decoder = new HpackDecoder();
  const block = hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572");
  assertEquals(decodeBlock(decoder, block), [["custom-key", "custom-header"]]);
  assertEquals(tableOf(decoder), [["custom-key", "custom-header"]]);
  assertEquals(decoder.tableSize, 55);
});

Deno.test("C.2.2: a literal without indexing leaves the table empty", () => {
  const decoder = new HpackDecoder();
  assertEquals(decodeBlock(decoder, hex("040c 2f73 616d 706c 652f 7061 7468")), [[":path", "/sample/path"]]);
  assertEquals(decoder.tableLength, 0);
  assertEquals(decoder.tableSize, 0);
});

Deno.test("C.2.3: a literal never indexed leaves the table empty", () => {
  const decoder = new HpackDecoder();
  assertEquals(decodeBlock(decoder, hex("1008 7061 7373 776f 7264 0673 6563 7265 74")), [[
    "password",
    "secret",
  ]]);
  assertEquals(decoder.tableLength, 0);
  assertEquals(decoder.tableSize, 0);
});

Deno.test("C.2.4: an indexed field from the static table leaves the table empty", () => {
  const decoder = new HpackDecoder();
  assertEquals(decodeBlock(decoder, hex("82")), [[":method", "GET"]]);
  assertEquals(decoder.tableLength, 0);
  assertEquals(decoder.tableSize, 0);
});

// C.3 to C.6: consecutive blocks on one connection.

Deno.test("C.3: three requests without Huffman coding share one dynamic table", () => {
  runSteps(new HpackDecoder(), [
    { block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", ...REQUEST_TABLES[0] },
    { block: "8286 84be 5808 6e6f 2d63 6163 6865", ...REQUEST_TABLES[1] },
    {
      block: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
      ...REQUEST_TABLES[2],
    },
  ]);
});

Deno.test("C.4: the same three requests with Huffman coding", () => {
  runSteps(new HpackDecoder(), [
    { block: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff", ...REQUEST_TABLES[0] },
    { block: "8286 84be 5886 a8eb 1064 9cbf", ...REQUEST_TABLES[1] },
    { block: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf", ...REQUEST_TABLES[2] },
  ]);
});

Deno.test("C.5: three responses without Huffman coding in a 256-byte table, with evictions", () => {
  runSteps(new HpackDecoder(256), [
    {
      block: `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
              2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
              6c65 2e63 6f6d`,
      ...RESPONSE_TABLES[0],
    },
    { block: "4803 3330 37c1 c0bf", ...RESPONSE_TABLES[1] },
    {
      block: `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
              54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
              5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
              3d31`,
      ...RESPONSE_TABLES[2],
    },
  ]);
});

Deno.test("C.6: the same three responses with Huffman coding, with the same evictions", () => {
  runSteps(new HpackDecoder(256), [
    {
      block: `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
              2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
      ...RESPONSE_TABLES[0],
    },
    { block: "4883 640e ffc1 c0bf", ...RESPONSE_TABLES[1] },
    {
      block: `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
              77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
              9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
      ...RESPONSE_TABLES[2],
    },
  ]);
});

// Beyond Appendix C.

Deno.test("a block with incremental indexing fed twice decodes the same list both times", () => {
  const decoder = new HpackDecoder();
  const block = hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d");
  assertEquals(decodeBlock(decoder, block), REQUEST_1);
  assertEquals(decodeBlock(decoder, block), REQUEST_1);
  assertEquals(tableOf(decoder), [[":authority", "www.example.com"], [":authority", "www.example.com"]]);
  assertEquals(decoder.tableSize, 114);
});

Deno.test("a block repeated in a small table evicts its own older copies as the ring wraps around", () => {
  const decoder = new HpackDecoder(256);
  const block = hex(`4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                     2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                     6c65 2e63 6f6d`);
  // 94 bytes of names and values a time in a 256-byte ring: the entries wrap around its end.
  for (let round = 0; round < 20; round++) {
    assertEquals(decodeBlock(decoder, block), RESPONSE_1, `round ${round}`);
    assertEquals(tableOf(decoder), RESPONSE_TABLES[0].table, `round ${round}`);
    assertEquals(decoder.tableSize, 222);
    // The entries decode back as indexed fields (62 to 65), wherever they sit in the ring.
    assertEquals(decodeBlock(decoder, hex("c1 c0 bf be")), RESPONSE_1);
  }
});

Deno.test("a literal may take its name from the dynamic table, and never-indexed literals are decoded too", () => {
  const decoder = new HpackDecoder();
  decodeBlock(decoder, hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
  // 7e: with indexing, name 62 (:authority); 14: never indexed, name 4 (:path); 0f 2f: without indexing,
  // name 15 + 47 = 62, now the :authority just added.
  const block = hex("7e 03 616263 14 01 2f 0f 2f 01 78");
  assertEquals(decodeBlock(decoder, block), [[":authority", "abc"], [":path", "/"], [":authority", "x"]]);
  assertEquals(tableOf(decoder), [[":authority", "abc"], [":authority", "www.example.com"]]);
});

Deno.test("a field larger than the whole table empties it and is not added", () => {
  const decoder = new HpackDecoder(64);
  decodeBlock(decoder, hex("41 03 616263")); // :authority: abc, 45 bytes
  assertEquals(decoder.tableSize, 45);
  const value = "x".repeat(30); // 10 + 30 + 32 = 72 > 64
  const block = Uint8Array.of(0x41, value.length, ...encoder.encode(value));
  assertEquals(decodeBlock(decoder, block), [[":authority", value]]);
  assertEquals(decoder.tableLength, 0);
  assertEquals(decoder.tableSize, 0);
});

Deno.test("size updates at the start of a block shrink the table (evicting) and may raise it back", () => {
  const decoder = new HpackDecoder();
  runSteps(decoder, [
    { block: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d", ...REQUEST_TABLES[0] },
    { block: "8286 84be 5808 6e6f 2d63 6163 6865", ...REQUEST_TABLES[1] },
  ]);
  // 3f 22: a limit of 31 + 34 = 65 keeps only the newest entry (53).
  assertEquals(decodeBlock(decoder, hex("3f 22 82")), [[":method", "GET"]]);
  assertEquals(tableOf(decoder), [["cache-control", "no-cache"]]);
  assertEquals(decoder.tableLimit, 65);
  // 20 then 3f e1 1f: down to 0 (the table empties), then back up to 4096, in one block.
  assertEquals(decodeBlock(decoder, hex("20 3f e1 1f 41 01 61")), [[":authority", "a"]]);
  assertEquals(decoder.tableLimit, 4096);
  assertEquals(tableOf(decoder), [[":authority", "a"]]);
  decoder.reset();
  assertEquals([decoder.tableLength, decoder.tableSize, decoder.tableLimit], [0, 0, 4096]);
});

Deno.test("a size update above the limit we advertise throws HpackError", () => {
  const out = new Uint8Array(6);
  const block = out.subarray(0, encodeInteger(4097, 5, 0x20, out, 0));
  assertThrows(() => decodeBlock(new HpackDecoder(), block), HpackError, "above our 4096");
  assertThrows(() => decodeBlock(new HpackDecoder(256), hex("3f e2 01")), HpackError, "above our 256");
});

Deno.test("a size update after a header field throws HpackError", () => {
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("82 20")), HpackError, "after a header field");
});

Deno.test("index 0 throws HpackError", () => {
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("80")), HpackError, "index 0");
});

Deno.test("an index past the static and dynamic tables throws HpackError, as field or as name", () => {
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("be")), HpackError, "index 62 past the table");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("7e 01 61")), HpackError, "index 62 past the table");
  assertThrows(
    () => decodeBlock(new HpackDecoder(), hex("0f 30 01 61")),
    HpackError,
    "index 63 past the table",
  );
  const decoder = new HpackDecoder();
  decodeBlock(decoder, hex("41 01 61"));
  assertEquals(decodeBlock(decoder, hex("be")), [[":authority", "a"]]);
  assertThrows(() => decodeBlock(decoder, hex("bf")), HpackError, "index 63 past the table");
});

Deno.test("a truncated block throws HpackError: in an index, before a string, or inside one", () => {
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("ff")), HpackError, "truncated integer");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("ff 80")), HpackError, "truncated integer");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04")), HpackError, "string literal missing");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("40 01 61")), HpackError, "string literal missing");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04 7f")), HpackError, "truncated integer");
});

Deno.test("a string longer than the rest of the block throws HpackError", () => {
  assertThrows(
    () => decodeBlock(new HpackDecoder(), hex("04 05 6162")),
    HpackError,
    "string literal of 5 bytes, longer than the 2 left in the block",
  );
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04 85 ffff")), HpackError, "longer than");
});

Deno.test("bad Huffman padding or EOS in a field throws HpackError", () => {
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04 81 18")), HpackError, "not all ones");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04 82 1fff")), HpackError, "padding of 11 bits");
  assertThrows(() => decodeBlock(new HpackDecoder(), hex("04 84 ffffffff")), HpackError, "EOS");
});

Deno.test("a decoded list above maxListBytes throws HpackError, however small the block", () => {
  const decoder = new HpackDecoder(4096, 1000);
  const value = "v".repeat(200);
  const literal = Uint8Array.of(0x40, 0x01, 0x6b, 0x7f, value.length - 127, ...encoder.encode(value)); // k: v…
  assertEquals(decodeBlock(decoder, literal), [["k", value]]);
  // Each byte "be" repeats the 233-byte entry: 4 fit in 1000, 5 do not.
  assertEquals(decodeBlock(decoder, hex("be be be be")).length, 4);
  assertThrows(() => decodeBlock(decoder, hex("be be be be be")), HpackError, "header list larger than 1000");
});

Deno.test("the encoder's block decodes back to the same list with a fresh decoder and leaves its table empty", () => {
  const headers: [string, string][] = [
    [":method", "GET"],
    [":scheme", "https"],
    [":path", "/search?q=h2&page=2"],
    [":authority", "example.com:8443"],
    ["user-agent", "wrk-deno/0.1.0"],
    ["accept", "*/*"],
    ["accept-encoding", "gzip, deflate"],
    ["x-request-id", "0123456789abcdef"],
    ["x-empty", ""],
    ["x-unicode", "café ☕"],
    ["x-binary", "\u0000\u0001\u007f"],
    ["cookie", "a=1; ".repeat(60)],
  ];
  const block = new HpackEncoder().encodeHeaderBlock(headers);
  const decoder = new HpackDecoder();
  assertEquals(decodeBlock(decoder, block), headers);
  assertEquals([decoder.tableLength, decoder.tableSize], [0, 0]);
  assertEquals(block[0], 0x82); // :method: GET is static entry 2
  assertEquals(block[1], 0x87); // :scheme: https is static entry 7
  // Read again by the same decoder: nothing from the first time is needed or used.
  assertEquals(decodeBlock(decoder, block), headers);
  assertEquals(decoder.tableLength, 0);
});

Deno.test("the encoder uses static indexes, static names, and Huffman only when it is shorter", () => {
  const encode = (headers: [string, string][]) => toHex(new HpackEncoder().encodeHeaderBlock(headers));
  assertEquals(encode([[":method", "GET"], [":path", "/"], ["accept-encoding", "gzip, deflate"]]), "828490");
  // :authority has static name 1: literal without indexing (0000 0001), then C.4.1's Huffman value.
  assertEquals(encode([[":authority", "www.example.com"]]), "018cf1e3c2e5f23a6ba0ab90f4ff");
  // user-agent is static name 58: 15 in the 4-bit prefix, then 43.
  assertEquals(encode([["user-agent", "a"]]), "0f2b0161");
  // A new name: 00, then the name and value strings (C.4.3's Huffman custom-key and custom-value).
  assertEquals(
    encode([["custom-key", "custom-value"]]),
    "00" + "8825a849e95ba97d7f" + "8925a849e95bb8e8b4bf",
  );
  // Bytes with long codes stay raw: \u0000 alone would take 13 bits.
  assertEquals(encode([["x", "\u0000"]]), "00" + "01" + "78" + "01" + "00");
});

Deno.test("the encoder's table size update opens a block that the decoder accepts", () => {
  const encoder = new HpackEncoder();
  assertEquals(toHex(encoder.tableSizeUpdate(0)), "20");
  assertEquals(toHex(encoder.tableSizeUpdate(4096)), "3fe11f");
  const block = encoder.encodeHeaderBlock(REQUEST_1);
  const decoder = new HpackDecoder();
  assertEquals(decodeBlock(decoder, Uint8Array.of(...encoder.tableSizeUpdate(0), ...block)), REQUEST_1);
  assertEquals(decoder.tableLimit, 0);
});

Deno.test("the static table has RFC 7541 Appendix A's 61 entries, each decodable as an indexed field", () => {
  assertEquals(STATIC_TABLE.length, 61);
  assertEquals(STATIC_TABLE[0], [":authority", ""]);
  assertEquals(STATIC_TABLE[15], ["accept-encoding", "gzip, deflate"]);
  assertEquals(STATIC_TABLE[60], ["www-authenticate", ""]);
  const decoder = new HpackDecoder();
  const block = Uint8Array.from(STATIC_TABLE, (_, i) => 0x80 | (i + 1));
  assertEquals(decodeBlock(decoder, block), STATIC_TABLE.map(([name, value]) => [name, value]));
});

Deno.test("a reused header list grows past its first buffers and keeps earlier fields intact", () => {
  const list = new HeaderList(8, 1);
  const decoder = new HpackDecoder();
  const long = "y".repeat(5000);
  const headers: [string, string][] = [[":status", "200"], ["x-long", long]];
  for (let i = 0; i < 100; i++) headers.push([`x-${i}`, `${i}`]);
  const block = new HpackEncoder().encodeHeaderBlock(headers);
  assertEquals(decodeBlock(decoder, block, list), headers);
  const [bytes, nameStart] = [list.bytes, list.nameStart];
  assertEquals(decodeBlock(decoder, block, list), headers);
  assertEquals([list.bytes === bytes, list.nameStart === nameStart], [true, true]);
  list.add(encoder.encode("server"), 0, 6, encoder.encode(" nginx "), 1, 6);
  assertEquals(list.toPairs().at(-1), ["server", "nginx"]);
});

// A server's repeated block (nginx sends its literals with incremental indexing on every response): replayed
// from the decoder's copy instead of decoded, the table must end exactly as full decodes leave it.
const NGINX_RESPONSE = hex(
  "887689aa6355e580ae212e1f6196dd6d5f4a01c52f948a080271408ae01eb8db2a62d1bf5f87497ca58ae819aa5c0135",
);
const NGINX_FIELDS: [string, string][] = [
  [":status", "200"],
  ["server", "nginx/1.22.1"],
  ["date", "Sun, 06 Dec 2026 12:06:09 GMT"],
  ["content-type", "text/plain"],
  ["content-length", "5"],
];

Deno.test("a repeated block decodes to the same fields and leaves the table as decoding it again would", () => {
  const decoder = new HpackDecoder();
  const list = new HeaderList(16, 2);
  const fields = decodeBlock(decoder, NGINX_RESPONSE, list);
  assertEquals(fields.map(([name]) => name), NGINX_FIELDS.map(([name]) => name));
  // The block inside a larger buffer, at an offset, and appended after other fields: the same result.
  const framed = Uint8Array.of(0xff, 0xff, ...NGINX_RESPONSE, 0xff);
  for (let i = 0; i < 200; i++) {
    list.reset();
    list.add(encoder.encode("x-first"), 0, 7, encoder.encode("1"), 0, 1);
    decoder.decode(framed, 2, framed.length - 1, list);
    assertEquals(list.toPairs(), [["x-first", "1"], ...fields]);
  }
  // 201 blocks of 4 insertions: the table is full of the newest copies, in order, and reads back through
  // dynamic indexes (62 is the newest) as a block that refers to it.
  const entries = fields.slice(1).reverse();
  const size = entries.reduce((sum, [name, value]) => sum + name.length + value.length + 32, 0);
  const copies = Math.floor(4096 / size);
  const partial: [string, string][] = [];
  let left = 4096 - copies * size;
  for (const entry of entries) {
    if (entry[0].length + entry[1].length + 32 > left) break;
    partial.push(entry);
    left -= entry[0].length + entry[1].length + 32;
  }
  const table = [...Array.from({ length: copies }, () => entries).flat(), ...partial];
  assertEquals(tableOf(decoder), table);
  const references = new Uint8Array(2 * table.length);
  let end = 0;
  for (let i = 0; i < table.length; i++) end = encodeInteger(62 + i, 7, 0x80, references, end);
  assertEquals(decodeBlock(decoder, references.subarray(0, end)), table);
});

Deno.test("a block that reads the dynamic table is decoded every time, never replayed", () => {
  const decoder = new HpackDecoder();
  // `x: 1` inserted, then a block of one indexed field 62 (the newest entry): `x: 1`.
  decodeBlock(decoder, hex("40 0178 0131"));
  const newest = Uint8Array.of(0x80 | 62);
  assertEquals(decodeBlock(decoder, newest), [["x", "1"]]);
  decodeBlock(decoder, hex("40 0178 0132"));
  assertEquals(decodeBlock(decoder, newest), [["x", "2"]]);
  // A literal naming a dynamic entry (62) reads the table too.
  const named = hex("0f 2f 0133");
  assertEquals(decodeBlock(decoder, named), [["x", "3"]]);
  decodeBlock(decoder, hex("40 0179 0131"));
  assertEquals(decodeBlock(decoder, named), [["y", "3"]]);
});

Deno.test("a size update empties the table even in a block seen before", () => {
  const decoder = new HpackDecoder();
  decodeBlock(decoder, NGINX_RESPONSE);
  const resize = Uint8Array.of(0x20, ...NGINX_RESPONSE);
  decodeBlock(decoder, resize);
  assertEquals([decoder.tableLength, decoder.tableLimit], [0, 0]);
  decodeBlock(decoder, Uint8Array.of(0x3f, 0xe1, 0x1f)); // back to 4096
  decodeBlock(decoder, NGINX_RESPONSE);
  assertEquals(decoder.tableLength, 4);
  decodeBlock(decoder, resize);
  assertEquals([decoder.tableLength, decoder.tableLimit], [0, 0]);
});

/** A literal field with the given first byte (0x40: with incremental indexing, 0x00: without), raw strings. */
function literal(prefix: number, name: string, value: string): number[] {
  const te = new TextEncoder();
  return [prefix, name.length, ...te.encode(name), value.length, ...te.encode(value)];
}

Deno.test("a block that reads the table, decoded between two repeats of a kept block, does not change what the repeat inserts", () => {
  // X reads nothing from the table and inserts x-status (kept); Y inserts y and reads a dynamic entry (not
  // kept, and its insertions must not become X's); X again (replayed); Z reads the newest entry.
  const x = new Uint8Array([...literal(0x00, "x-a", "1"), ...literal(0x40, "x-status", "200")]);
  const y = new Uint8Array([...literal(0x40, "y", "2"), 0x80 | 62]);
  const z = new Uint8Array([0x80 | 62]);
  const decoder = new HpackDecoder();
  let last: [string, string][] = [];
  for (const block of [x, y, x, z]) {
    const list = new HeaderList();
    decoder.decode(block, 0, block.length, list);
    last = list.toPairs();
  }
  assertEquals(last, [["x-status", "200"]]);
});

/** The fields `block` decodes to, and the error's message ("" when none). */
function decodeOrError(decoder: HpackDecoder, block: Uint8Array): [[string, string][], string] {
  const list = new HeaderList();
  try {
    decoder.decode(block, 0, block.length, list);
    return [list.toPairs(), ""];
  } catch (error) {
    return [list.toPairs(), (error as Error).message];
  }
}

Deno.test("replaying repeated blocks leaves every decode as a decoder that never replays would: 3000 random blocks", () => {
  // A small PRNG (mulberry32) so that a failure can be replayed. Half the blocks repeat one of the last three,
  // as a server repeats its blocks, so that the kept block comes back after others that read the table.
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (n: number) => Math.floor(random() * n);
  const names = ["a", "server", "x-long-header-name", "date", "content-length"];
  const blocks: Uint8Array[] = [];
  // A table of 256 bytes: entries are evicted often.
  const replaying = new HpackDecoder(256);
  const reference = new HpackDecoder(256);
  // Entries are at most 32 + 18 + 39 bytes, so once one was inserted the newest (index 62) always exists.
  let inserted = false;
  for (let n = 0; n < 3000; n++) {
    let block: Uint8Array;
    if (blocks.length > 0 && random() < 0.5) {
      block = blocks[Math.max(0, blocks.length - 1 - pick(3))];
    } else {
      const parts: number[] = [];
      for (let f = 1 + pick(4); f > 0; f--) {
        const kind = pick(4);
        if (kind === 3 && inserted) {
          parts.push(0x80 | 62);
        } else {
          parts.push(...literal(kind === 0 ? 0x00 : 0x40, names[pick(names.length)], "v".repeat(pick(40))));
          if (kind !== 0) inserted = true;
        }
      }
      block = new Uint8Array(parts);
      blocks.push(block);
    }
    // The reference never replays: a table size update to the same size first makes every block "read the
    // table" (§6.3), so none is kept.
    const referenceBlock = new Uint8Array([0x3f, 0xe1, 0x01, ...block]); // size update to 256
    const [expected, expectedError] = decodeOrError(reference, referenceBlock);
    const [actual, actualError] = decodeOrError(replaying, block);
    assertEquals([actualError, actual], [expectedError, expected], `block ${n}`);
    assertEquals(expectedError, "", `block ${n}`);
  }
});

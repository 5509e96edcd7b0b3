/**
 * The HPACK Huffman code (RFC 7541 §5.2, Appendix B): the table is the RFC's complete canonical code, every
 * byte value survives a round trip, the RFC's Appendix C strings decode, and bad padding or EOS throw.
 */
import { assertEquals, assertThrows } from "@std/assert";
import { HUFFMAN_EOS, HUFFMAN_TABLE } from "../../../lib/net/http2/_huffman_table.ts";
import {
  HpackError,
  huffmanDecode,
  huffmanDecodedMaxLength,
  huffmanEncode,
  huffmanEncodedLength,
} from "../../../lib/net/http2/huffman.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function hex(text: string): Uint8Array {
  const digits = text.replace(/\s+/g, "");
  return Uint8Array.from(
    { length: digits.length / 2 },
    (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16),
  );
}

function encode(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(bytes));
  assertEquals(huffmanEncode(bytes, out, 0), out.length);
  return out;
}

function decode(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanDecodedMaxLength(encoded.length));
  return out.slice(0, huffmanDecode(encoded, 0, encoded.length, out, 0));
}

Deno.test("the table is a complete canonical prefix code of 257 symbols with EOS as 30 one bits", () => {
  assertEquals(HUFFMAN_TABLE.length, 257);
  assertEquals(HUFFMAN_TABLE[HUFFMAN_EOS], [0x3fffffff, 30]);
  // Kraft's sum is exactly 1 (counted in units of 2^-30): no code is missing and none overlaps.
  assertEquals(HUFFMAN_TABLE.reduce((sum, [, bits]) => sum + 2 ** (30 - bits), 0), 2 ** 30);
  // Canonical: ordered by length then symbol, each code is the previous one plus one, shifted to its length.
  const order = [...HUFFMAN_TABLE.keys()].sort((a, b) => HUFFMAN_TABLE[a][1] - HUFFMAN_TABLE[b][1] || a - b);
  let code = -1;
  let bits = HUFFMAN_TABLE[order[0]][1];
  for (const symbol of order) {
    code = (code + 1) * 2 ** (HUFFMAN_TABLE[symbol][1] - bits);
    bits = HUFFMAN_TABLE[symbol][1];
    assertEquals(HUFFMAN_TABLE[symbol][0], code, `symbol ${symbol}`);
  }
});

Deno.test("every byte value survives a round trip alone, and all 256 together in one string", () => {
  for (let byte = 0; byte < 256; byte++) {
    const bytes = Uint8Array.of(byte);
    assertEquals(decode(encode(bytes)), bytes, `byte ${byte}`);
  }
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assertEquals(decode(encode(all)), all);
  const reversed = all.slice().reverse();
  assertEquals(decode(encode(reversed)), reversed);
});

Deno.test("random strings of 0 to 300 bytes survive a round trip at any offset", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let round = 0; round < 500; round++) {
    const bytes = Uint8Array.from({ length: random() % 301 }, () => random() & 0xff);
    const offset = random() % 7;
    const encoded = new Uint8Array(offset + huffmanEncodedLength(bytes) + 3).fill(0xaa);
    const end = huffmanEncode(bytes, encoded, offset);
    assertEquals(end, offset + huffmanEncodedLength(bytes));
    const out = new Uint8Array(5 + huffmanDecodedMaxLength(end - offset));
    const outEnd = huffmanDecode(encoded, offset, end, out, 5);
    assertEquals(out.subarray(5, outEnd), bytes);
  }
});

Deno.test("the encoded length counts each symbol's bits and rounds up to whole bytes", () => {
  assertEquals(huffmanEncodedLength(new Uint8Array(0)), 0);
  assertEquals(huffmanEncodedLength(encoder.encode("a")), 1); // 5 bits
  assertEquals(huffmanEncodedLength(Uint8Array.of(0)), 2); // 13 bits
  assertEquals(huffmanEncodedLength(Uint8Array.of(10)), 4); // 30 bits
  assertEquals(huffmanEncodedLength(encoder.encode("00000000")), 5); // 8 × 5 = 40 bits
});

Deno.test("the Huffman strings of RFC 7541 Appendix C encode and decode as printed", () => {
  const strings: [string, string][] = [
    ["www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff"],
    ["no-cache", "a8eb 1064 9cbf"],
    ["custom-key", "25a8 49e9 5ba9 7d7f"],
    ["custom-value", "25a8 49e9 5bb8 e8b4 bf"],
    ["302", "6402"],
    ["private", "aec3 771a 4b"],
    ["Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"],
    ["https://www.example.com", "9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"],
    ["307", "640e ff"],
    ["Mon, 21 Oct 2013 20:13:22 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff"],
    ["gzip", "9bd9 ab"],
    [
      "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
      "94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ],
  ];
  for (const [text, encoded] of strings) {
    assertEquals(encode(encoder.encode(text)), hex(encoded), text);
    assertEquals(decoder.decode(decode(hex(encoded))), text);
  }
});

Deno.test("an empty string decodes to nothing", () => {
  assertEquals(huffmanDecode(new Uint8Array(4), 2, 2, new Uint8Array(0), 0), 0);
});

Deno.test("padding of more than 7 bits throws HpackError, even when all ones", () => {
  // "a" is 00011: 3 bits of padding make 0x1f; one more 0xff byte makes it 11.
  assertEquals(decoder.decode(decode(Uint8Array.of(0x1f))), "a");
  assertThrows(() => decode(Uint8Array.of(0x1f, 0xff)), HpackError, "padding of 11 bits");
  assertThrows(() => decode(Uint8Array.of(0xff)), HpackError, "padding of 8 bits");
});

Deno.test("padding that is not all ones throws HpackError", () => {
  assertThrows(() => decode(Uint8Array.of(0x18)), HpackError, "not all ones"); // "a" then 000
  assertThrows(() => decode(Uint8Array.of(0x1e)), HpackError, "not all ones"); // "a" then 110
  // Symbol 0 (1111111111000) then 000.
  assertThrows(() => decode(Uint8Array.of(0xff, 0xc0)), HpackError, "not all ones");
});

Deno.test("EOS inside a string throws HpackError, at its start or after other symbols", () => {
  assertThrows(() => decode(Uint8Array.of(0xff, 0xff, 0xff, 0xff)), HpackError, "EOS");
  // "a" (00011) then EOS (30 ones) then 5 bits of padding: 35 + 5 = 40 bits.
  assertThrows(() => decode(Uint8Array.of(0x1f, 0xff, 0xff, 0xff, 0xff)), HpackError, "EOS");
});

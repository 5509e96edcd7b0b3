/**
 * Pipelined responses, many to a read (lib/net/http1/response_parser.ts, connection.ts): the heads parsed in
 * place and scanned four bytes at a time (`ResponseParser.wordScannedHeads` is that fast path's probe) give the
 * same responses, counts and bytes as any other split of the same stream, at every byte boundary and every
 * alignment of the lines against the scan's words.
 */
import { assertEquals } from "@std/assert";
import { PARSE_ERROR, ResponseParser } from "../../../lib/net/http1/response_parser.ts";
import { forgetRepeatedHead } from "../../../lib/net/http1/_repeated_head.ts";
import type { ResponseSink, ResponseView } from "../../../lib/net/request_source.ts";
import { connectedCycle } from "../../helpers/memory_cycle.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * 16 responses as nginx sends them to 16 pipelined GETs, with a padding header of 0 to 15 bytes so that line
 * ends fall at every offset within a word, and a few other shapes (chunked, 204, a 404 with a longer body).
 */
function pipelinedResponses(): string {
  let text = "";
  for (let i = 0; i < 16; i++) {
    const pad = `X-Pad: ${"p".repeat(i)}\r\n`;
    const head = `HTTP/1.1 ${i === 5 ? 404 : 200} OK\r\nServer: nginx/1.22.1\r\n` +
      `Date: Sun, 06 Dec 2026 10:13:17 GMT\r\nContent-Type: text/plain\r\n${pad}`;
    if (i === 7) text += `${head}Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n0\r\n\r\n`;
    else if (i === 11) text += head.replace("200 OK", "204 No Content") + "\r\n";
    else {
      const body = i === 5 ? "Not found, sorry.\n" : "Hello, World!\n";
      text += `${head}Content-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`;
    }
  }
  return text;
}

const STREAM = encoder.encode(pipelinedResponses());

interface Parsed {
  status: number;
  keepAlive: boolean;
  headers: string[];
  body: string;
}

/** What a `response()` hook would see of `view`: status, headers as `name=value`, body. */
function describe(view: ResponseView, keepAlive: boolean): Parsed {
  const headers: string[] = [];
  for (let i = 0; i < view.headerCount; i++) {
    const name = decoder.decode(view.head.subarray(view.nameStart[i], view.nameEnd[i]));
    headers.push(`${name}=${decoder.decode(view.head.subarray(view.valueStart[i], view.valueEnd[i]))}`);
  }
  return {
    status: view.status,
    keepAlive,
    headers,
    body: decoder.decode(view.body.subarray(0, view.bodyLength)),
  };
}

/**
 * Feeds `reads` (pieces of one stream) to one parser through `buffer`, reused for every read as a connection
 * does; returns the responses, or null when the parser failed.
 */
function parseReads(reads: Uint8Array[], buffer: Uint8Array, collect: boolean) {
  const parser = new ResponseParser(collect);
  parser.reset(false);
  const responses: Parsed[] = [];
  for (const read of reads) {
    buffer.fill(0x58);
    buffer.set(read);
    let pos = 0;
    while (pos < read.length) {
      pos = parser.execute(buffer, pos, read.length);
      if (pos === PARSE_ERROR) return { responses: null, parser };
      if (!parser.done) break;
      responses.push(describe(parser, parser.keepAlive));
      parser.reset(false);
    }
  }
  return { responses, parser };
}

/** An 8 KiB buffer on a 4-byte boundary (a connection's read buffer), or one byte past it. */
function readBuffer(aligned: boolean): Uint8Array {
  return aligned ? new Uint8Array(8192) : new Uint8Array(8193).subarray(1);
}

Deno.test("16 pipelined responses split in two reads at every byte parse as they do in one read", () => {
  for (const collect of [true, false]) {
    const whole = parseReads([STREAM], readBuffer(true), collect);
    assertEquals(whole.responses?.length, 16);
    assertEquals(whole.responses![5].status, 404);
    assertEquals(whole.responses![7].body, collect ? "Hello" : "");
    for (let split = 1; split < STREAM.length; split++) {
      const reads = [STREAM.subarray(0, split), STREAM.subarray(split)];
      for (const aligned of [true, false]) {
        const { responses } = parseReads(reads, readBuffer(aligned), collect);
        assertEquals(responses, whole.responses, `collect ${collect}, split at ${split}, aligned ${aligned}`);
      }
    }
  }
});

Deno.test("16 pipelined responses in reads of every size parse as they do in one read", () => {
  const whole = parseReads([STREAM], readBuffer(true), true).responses;
  for (let size = 1; size <= 300; size++) {
    const reads: Uint8Array[] = [];
    for (let at = 0; at < STREAM.length; at += size) reads.push(STREAM.subarray(at, at + size));
    for (const collect of [true, false]) {
      const { responses } = parseReads(reads, readBuffer(size % 2 === 0), collect);
      const expected = collect ? whole : whole!.map((r) => ({ ...r, headers: [], body: "" }));
      assertEquals(responses, expected, `reads of ${size}, collect ${collect}`);
    }
  }
});

Deno.test("heads in an aligned read buffer are scanned four bytes at a time, elsewhere byte by byte, alike", () => {
  for (const collect of [true, false]) {
    // No head is recognised as the last one parsed (tests/net/http1/repeated_head_test.ts): each is scanned.
    forgetRepeatedHead();
    const aligned = parseReads([STREAM], readBuffer(true), collect);
    const unaligned = parseReads([STREAM], readBuffer(false), collect);
    assertEquals(aligned.parser.wordScannedHeads, 16);
    assertEquals(unaligned.parser.wordScannedHeads, 0);
    assertEquals(unaligned.responses, aligned.responses);
  }
});

Deno.test("header lines of every length parse alike from every offset against the scan's words", () => {
  for (let nameLength = 1; nameLength <= 9; nameLength++) {
    for (let valueLength = 0; valueLength <= 9; valueLength++) {
      const name = "N".repeat(nameLength);
      const value = "v".repeat(valueLength);
      const text = `HTTP/1.1 200 OK\r\n${name}: ${value}\r\n${name}:${value}\nContent-Length: 0\r\n\r\n`;
      for (let offset = 0; offset < 8; offset++) {
        const buffer = new Uint8Array(256);
        buffer.set(encoder.encode(text), offset);
        const parser = new ResponseParser(true);
        parser.reset(false);
        // Scanned, not recognised as the head of the offset before.
        forgetRepeatedHead();
        const end = offset + text.length;
        assertEquals(parser.execute(buffer, offset, end), end, `${name}: ${value} at ${offset}`);
        assertEquals(parser.wordScannedHeads, 1);
        assertEquals(describe(parser, parser.keepAlive).headers, [
          `${name}=${value}`,
          `${name}=${value}`,
          "Content-Length=0",
        ]);
        // Without its colon the line is not a header, at any offset.
        const broken = encoder.encode(`HTTP/1.1 200 OK\r\n${name}${value}\r\n\r\n`);
        buffer.set(broken, offset);
        parser.reset(false);
        assertEquals(parser.execute(buffer, offset, offset + broken.length), PARSE_ERROR);
      }
    }
  }
});

Deno.test("a connection counts 16 pipelined responses alike in one read or split at any byte", async () => {
  const seen: Parsed[] = [];
  const sink: ResponseSink = { onResponse: (view) => seen.push(describe(view, true)) };
  for (const withSink of [false, true]) {
    const { socket, counters, connection } = await connectedCycle(16, withSink ? sink : null);
    socket.push(STREAM);
    const once = seen.splice(0);
    assertEquals(counters.requests, 16);
    assertEquals(socket.writes, 2);
    for (let split = 1; split < STREAM.length; split++) {
      socket.push(STREAM.subarray(0, split));
      socket.push(STREAM.subarray(split));
      assertEquals(seen.splice(0), once, `split at ${split}`);
    }
    const batches = STREAM.length;
    assertEquals(counters.requests, 16 * batches);
    assertEquals(socket.writes, batches + 1);
    assertEquals(counters.bytesRead, STREAM.length * batches);
    assertEquals(counters.statusCodes[200], 14 * batches);
    assertEquals(counters.statusCodes[404], batches);
    assertEquals(counters.statusCodes[204], batches);
    assertEquals(counters.errors.status, batches);
    assertEquals(counters.errors.read, 0);
    assertEquals(once.length, withSink ? 16 : 0);
    connection.close();
  }
});

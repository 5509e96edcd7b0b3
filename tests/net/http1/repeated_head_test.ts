/**
 * Heads equal to the last one parsed are not parsed again (lib/net/http1/_repeated_head.ts;
 * `ResponseParser.repeatedHeads` is that fast path's probe): the responses, their framing and the counts must
 * be what a full parse gives, for heads that differ from the last in one byte only (another length, chunked,
 * Connection: close, a HEAD request's answer), at every split of the stream, and through a real socket from a
 * server that splits its responses at every byte and closes in the middle of a pipelined batch.
 */
import { assert, assertEquals } from "@std/assert";
import { PARSE_ERROR, ResponseParser } from "../../../lib/net/http1/response_parser.ts";
import { forgetRepeatedHead } from "../../../lib/net/http1/_repeated_head.ts";
import { Connection } from "../../../lib/net/http1/connection.ts";
import { openLibc } from "../../../lib/net/_libc.ts";
import { createTransport, usesEpoll } from "../../../lib/net/transport.ts";
import { acceptLoop } from "../../helpers/accept_loop.ts";
import { closedLoopContext } from "../../helpers/memory_cycle.ts";
import { nginxAnswer } from "../../helpers/nginx_answer.ts";

const encoder = new TextEncoder();

/** The same head chunked, or saying Connection: close: one header differs from `nginxAnswer()`'s. */
const CHUNKED = `HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 06 Dec 2026 10:13:17 GMT\r\n` +
  `Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n` +
  `e\r\nHello, World!\n\r\n0\r\n\r\n`;
const CLOSING = nginxAnswer().replace("Connection: keep-alive", "Connection: close     ");

/**
 * One response as a caller sees it: status, persistence, where in the stream it ended, and for a `response()`
 * hook (a collecting parser) its headers as the hook is given them and its body.
 */
interface Seen {
  status: number;
  keepAlive: boolean;
  end: number;
  headers?: string[];
  body?: string;
}

/** The headers `parser` collected for the response it just parsed, as `name: value` lines. */
function collectedHeaders(parser: ResponseParser): string[] {
  const text = (start: number, end: number) => new TextDecoder().decode(parser.head.subarray(start, end));
  return Array.from(
    { length: parser.headerCount },
    (_, i) =>
      `${text(parser.nameStart[i], parser.nameEnd[i])}: ${text(parser.valueStart[i], parser.valueEnd[i])}`,
  );
}

/**
 * Parses `reads` (pieces of one stream, in order) with one parser, each read copied into `buffer` at offset 0
 * as a connection's reads are; `headFlags[i]` says response i answers a HEAD request. `full`: no head is
 * recognised (the kept head is forgotten before each step), every one is parsed: the reference.
 */
function parseReads(
  reads: Uint8Array[],
  buffer: Uint8Array,
  collect: boolean,
  headFlags: boolean[] = [],
  full = false,
) {
  const parser = new ResponseParser(collect);
  parser.reset(headFlags[0] ?? false);
  const seen: Seen[] = [];
  /** Each response's `headVersion`, in order. */
  const versions: number[] = [];
  let offset = 0;
  for (const read of reads) {
    buffer.set(read);
    let pos = 0;
    while (pos < read.length) {
      if (full) forgetRepeatedHead();
      pos = parser.execute(buffer, pos, read.length);
      if (pos === PARSE_ERROR) return { seen: null, parser, versions };
      if (!parser.done) break;
      versions.push(parser.headVersion);
      seen.push(
        collect
          ? {
            status: parser.status,
            keepAlive: parser.keepAlive,
            end: offset + pos,
            headers: collectedHeaders(parser),
            body: new TextDecoder().decode(parser.body.subarray(0, parser.bodyLength)),
          }
          : { status: parser.status, keepAlive: parser.keepAlive, end: offset + pos },
      );
      parser.reset(headFlags[seen.length] ?? false);
    }
    offset += read.length;
  }
  return { seen, parser, versions };
}

Deno.test("16 equal heads in one read: the first is parsed, the other 15 are recognised, with a response hook too", () => {
  const stream = encoder.encode(nginxAnswer().repeat(16));
  forgetRepeatedHead();
  const fast = parseReads([stream], new Uint8Array(8192), false);
  assertEquals(fast.parser.repeatedHeads, 15);
  assertEquals(fast.parser.wordScannedHeads, 1);
  const full = parseReads([stream], new Uint8Array(8192), false, [], true);
  assertEquals(full.parser.repeatedHeads, 0);
  assertEquals(full.parser.wordScannedHeads, 16);
  assertEquals(fast.seen, full.seen);
  assertEquals(fast.seen!.length, 16);
  assertEquals(fast.seen![15], { status: 200, keepAlive: true, end: stream.length });
  // For a response() hook the head is kept with its header offsets, which the recognised heads take, and each
  // recognised head gives the version of the parsed one (the response sink's header table then stands).
  forgetRepeatedHead();
  const collecting = parseReads([stream], new Uint8Array(8192), true);
  const collectingFull = parseReads([stream], new Uint8Array(8192), true, [], true);
  assertEquals(collecting.parser.repeatedHeads, 15);
  assertEquals(collectingFull.parser.repeatedHeads, 0);
  assertEquals(collecting.seen, collectingFull.seen);
  assertEquals(collecting.seen![15].headers, [
    "Server: nginx/1.22.1",
    "Date: Sun, 06 Dec 2026 10:13:17 GMT",
    "Content-Type: text/plain",
    "Content-Length: 14",
    "Connection: keep-alive",
  ]);
  assertEquals(collecting.seen![15].body, "Hello, World!\n");
  // One version for all 16 (the first kept, the others recognised); the reference keeps each anew.
  assertEquals(new Set(collecting.versions).size, 1);
  assert(collecting.versions[0] > 0);
  assertEquals(new Set(collectingFull.versions).size, 16);
});

Deno.test("a head kept without header offsets is not taken for a response hook, and is replaced by one with them", () => {
  const stream = encoder.encode(nginxAnswer().repeat(4));
  forgetRepeatedHead();
  parseReads([stream], new Uint8Array(8192), false);
  // The kept head has no offsets: the first two heads are parsed (the second miss replaces it), then taken.
  const collecting = parseReads([stream], new Uint8Array(8192), true);
  assertEquals(collecting.parser.repeatedHeads, 2);
  assertEquals(collecting.seen, parseReads([stream], new Uint8Array(8192), true, [], true).seen);
});

Deno.test("heads one byte off the last (length, chunked, close, 404, HEAD) parse as a full parse does, at every split", () => {
  // Each differs from the one before it in one header, or in its request (a HEAD's answer has no body).
  const texts = [
    nginxAnswer(),
    nginxAnswer(),
    nginxAnswer("Hello, World!!\n"),
    nginxAnswer("Hello\n"),
    nginxAnswer("Hello\n"),
    CHUNKED,
    CHUNKED,
    nginxAnswer(),
    nginxAnswer().replace("200 OK", "404 OK"),
    nginxAnswer().replace("200 OK", "204 OK").replace(/Content-Length: 14\r\n/, "").replace(
      /\r\n\r\n.*$/s,
      "\r\n\r\n",
    ),
    nginxAnswer(),
    nginxAnswer().replace(/\r\n\r\n.*$/s, "\r\n\r\n"), // the answer to a HEAD request
    nginxAnswer(),
    CLOSING,
  ];
  const headFlags = texts.map((_, i) => i === 11);
  const stream = encoder.encode(texts.join(""));
  const full = parseReads([stream], new Uint8Array(8192), false, headFlags, true).seen!;
  assertEquals(full.length, texts.length);
  assertEquals(full.map((r) => r.status), [
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    200,
    404,
    204,
    200,
    200,
    200,
    200,
  ]);
  assertEquals(full[13].keepAlive, false);
  forgetRepeatedHead();
  const whole = parseReads([stream], new Uint8Array(8192), false, headFlags);
  assertEquals(whole.seen, full);
  // Recognised: 1 and 4 (the kept head is replaced at the second head in a row that differs from it, so 6 is
  // not: 5 did not replace it), and 12, whose head 10 left kept: 11 has the same bytes, but answers a HEAD
  // request, so it is parsed in full (and takes no body).
  assertEquals(whole.parser.repeatedHeads, 3);
  let repeated = 0;
  for (let split = 1; split < stream.length; split++) {
    for (const offset of [0, 1, 2, 3]) {
      // The reads land at every alignment against the comparison's four-byte reads.
      const buffer = new Uint8Array(8192 + 4).subarray(offset);
      const reads = [stream.subarray(0, split), stream.subarray(split)];
      const { seen, parser } = parseReads(reads, buffer, false, headFlags);
      assertEquals(seen, full, `split at ${split}, offset ${offset}`);
      repeated += parser.repeatedHeads;
    }
  }
  assert(repeated > 0);
  // The same for a response() hook: headers and bodies too.
  const fullCollected = parseReads([stream], new Uint8Array(8192), true, headFlags, true).seen!;
  let repeatedCollected = 0;
  for (let split = 1; split < stream.length; split++) {
    forgetRepeatedHead();
    const buffer = new Uint8Array(8192 + 4).subarray(split & 3);
    const reads = [stream.subarray(0, split), stream.subarray(split)];
    const { seen, parser } = parseReads(reads, buffer, true, headFlags);
    assertEquals(seen, fullCollected, `split at ${split}, collecting`);
    repeatedCollected += parser.repeatedHeads;
  }
  assert(repeatedCollected > 0);
});

Deno.test("a head split at every byte is parsed, and the next equal head in place is recognised", () => {
  const one = encoder.encode(nginxAnswer());
  const stream = encoder.encode(nginxAnswer().repeat(3));
  const full = parseReads([stream], new Uint8Array(8192), false, [], true).seen;
  for (let at = 0; at < one.length; at++) {
    forgetRepeatedHead();
    // The first response one byte per read up to `at`, then the rest in one read.
    const reads = [...Array.from({ length: at }, (_, i) => stream.subarray(i, i + 1)), stream.subarray(at)];
    const { seen, parser } = parseReads(reads, new Uint8Array(8192), false);
    assertEquals(seen, full, `bytes one by one up to ${at}`);
    // A head copied from several reads is not kept; the second head in place is, and the third repeats it.
    assertEquals(parser.repeatedHeads, at === 0 ? 2 : 1);
  }
});

Deno.test("heads that never repeat pause the keeping, and heads that repeat again are recognised again", () => {
  // A request id per response: no head ever matches the kept one.
  const unique = Array.from(
    { length: 1000 },
    (_, i) => nginxAnswer("ok", { extra: `X-Request-Id: ${i}\r\n` }),
  );
  const reads = [...unique, ...Array(3000).fill(nginxAnswer())].map((text) => encoder.encode(text));
  const full = parseReads(reads, new Uint8Array(8192), true, [], true).seen;
  forgetRepeatedHead();
  const { seen, parser, versions } = parseReads(reads, new Uint8Array(8192), true);
  assertEquals(seen, full);
  // Without the pause every second head would be kept (~500 copies); with it, a few before the first pause
  // and one after each (64, 128, 256, 512 heads).
  const kept = versions.slice(0, 1000).filter((version) => version !== 0).length;
  assert(kept >= 4 && kept <= 10, `${kept} heads kept`);
  // The equal heads are recognised once the pause in course ends (at most 1024 heads here).
  assert(parser.repeatedHeads >= 3000 - 1024 - 2, `${parser.repeatedHeads} recognised`);
});

/**
 * A server that answers each batch of 16 pipelined GETs with `answers[batch]` (its 16 responses' text), in one
 * write, or a byte per write for the batches in `byteByByte`; after an answer holding Connection: close it
 * closes the connection. Batches past the plan get no answer.
 */
function plannedServer(answers: string[], byteByByte: Set<number>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let batch = 0;
  const { promise: answered, resolve } = Promise.withResolvers<void>();
  const connections = acceptLoop(listener, async (conn) => {
    conn.setNoDelay(true);
    const buffer = new Uint8Array(4096);
    let ends = 0;
    for (;;) {
      const n = await conn.read(buffer);
      if (n === null) return;
      // Requests end with a blank line; 16 of them make a batch.
      for (let i = 3; i < n; i++) if (buffer[i] === 10 && buffer[i - 2] === 10) ends++;
      while (ends >= 16 && batch < answers.length) {
        ends -= 16;
        const index = batch++;
        const bytes = encoder.encode(answers[index]);
        if (byteByByte.has(index)) {
          for (let i = 0; i < bytes.length; i++) await conn.write(bytes.subarray(i, i + 1));
        } else {
          await conn.write(bytes);
        }
        if (batch === answers.length) resolve();
        // The accept loop closes the connection when this returns.
        if (answers[index].includes("Connection: close")) return;
      }
    }
  });
  return { port: listener.addr.port, answered, close: () => connections.close() };
}

Deno.test("through the epoll loop: equal heads recognised, a byte per write, mixed lengths, chunked, a close mid-batch", async () => {
  if (openLibc() === null) return; // no epoll loop here
  const same = nginxAnswer().repeat(16);
  const mixed = [nginxAnswer(), nginxAnswer("Hi\n"), CHUNKED, nginxAnswer("Hello, World!!\n")]
    .map((text) => text.repeat(2)).join("").repeat(2);
  const closing = nginxAnswer().repeat(7) + CLOSING;
  // Batch 3 ends with its 8th response (a close): 8 counted; the 8 lost with the connection are no error (wrk).
  const answers = [same, same, mixed, closing, same, mixed, same];
  const server = plannedServer(answers, new Set([1, 5]));
  const transport = createTransport({ address: "127.0.0.1", port: server.port, family: 4 }, null, true);
  assert(usesEpoll(transport));
  const { context, counters } = closedLoopContext(transport, 16);
  const connection = new Connection(context);
  forgetRepeatedHead();
  try {
    connection.start();
    await server.answered;
    const expected = 16 * (answers.length - 1) + 8;
    while (counters.requests < expected) await new Promise((resolve) => setTimeout(resolve, 5));
    assertEquals(counters.requests, expected);
    assertEquals(counters.statusCodes[200], expected);
    assertEquals(counters.errors, { connect: 0, read: 0, write: 0, timeout: 0, status: 0 });
    const bytes = answers.reduce((sum, text) => sum + encoder.encode(text).length, 0);
    assertEquals(counters.bytesRead, bytes);
    // The probe, read through the connection's parser: equal heads were recognised in the real reads.
    assert(connection.parser.repeatedHeads > 0);
  } finally {
    connection.close();
    transport.close?.();
    await server.close();
  }
});

import { assert, assertEquals, assertNotStrictEquals } from "@std/assert";
import { PARSE_ERROR, ResponseParser } from "../../../lib/net/http1/response_parser.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Parsed {
  status: number;
  keepAlive: boolean;
  headers: [string, string][];
  body: string;
}

/** Feeds `text` split into pieces of `step` bytes (or of each size in turn); returns the responses completed and whether it failed. */
function parseAll(
  text: string,
  step: number | number[],
  options: { collect?: boolean; head?: boolean; eof?: boolean } = {},
) {
  const parser = new ResponseParser(options.collect ?? true);
  parser.reset(options.head ?? false);
  const bytes = encoder.encode(text);
  const responses: Parsed[] = [];
  const take = () => {
    const headers: [string, string][] = [];
    for (let i = 0; i < parser.headerCount; i++) {
      headers.push([
        decoder.decode(parser.head.subarray(parser.nameStart[i], parser.nameEnd[i])),
        decoder.decode(parser.head.subarray(parser.valueStart[i], parser.valueEnd[i])),
      ]);
    }
    responses.push({
      status: parser.status,
      keepAlive: parser.keepAlive,
      headers,
      body: decoder.decode(parser.body.subarray(0, parser.bodyLength)),
    });
    parser.reset(options.head ?? false);
  };
  // One buffer reused for every read, as a connection does: the parser must not keep pointing into it.
  const buffer = new Uint8Array(bytes.length);
  let start = 0;
  for (let read = 0; start < bytes.length; read++) {
    const end = Math.min(
      bytes.length,
      start + (typeof step === "number" ? step : step[read] ?? bytes.length),
    );
    buffer.fill(0x58);
    buffer.set(bytes.subarray(start, end));
    const chunk = buffer;
    const length = end - start;
    let pos = 0;
    while (pos < length) {
      const from = pos;
      pos = parser.execute(chunk, pos, length);
      // Until a response is done, every call consumes bytes: one that does not would loop forever.
      assert(pos === PARSE_ERROR || pos > from || parser.done, `no progress at ${start + from}`);
      if (pos === PARSE_ERROR) return { responses, failed: true, parser };
      if (parser.done) take();
    }
    start = end;
  }
  if (options.eof && parser.finishAtEof()) take();
  return { responses, failed: false, parser };
}

const STEPS = [1, 2, 3, 7, 64, 100_000];

Deno.test("ResponseParser parses Content-Length bodies split at any byte", () => {
  const text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(text + text, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.length, 2, `step ${step}`);
    assertEquals(responses[0], {
      status: 200,
      keepAlive: true,
      headers: [["Content-Length", "5"], ["X-A", "b"]],
      body: "hello",
    });
  }
});

Deno.test("ResponseParser keeps a response's headers while its body arrives in later reads", () => {
  const text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello" +
    "HTTP/1.1 201 OK\r\nTransfer-Encoding: chunked\r\nX-B: c\r\n\r\n2\r\nab\r\n0\r\n\r\n";
  for (let step = 1; step <= text.length; step++) {
    const { responses, failed } = parseAll(text, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.map((r) => [r.status, r.headers, r.body]), [
      [200, [["Content-Length", "5"], ["X-A", "b"]], "hello"],
      [201, [["Transfer-Encoding", "chunked"], ["X-B", "c"]], "ab"],
    ], `step ${step}`);
  }
});

Deno.test("ResponseParser skips lines of CRs before the status line, whatever the split (no endless loop)", () => {
  const texts = [
    "\r\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "HTTP/1.1 100 Continue\r\n\r\n\r\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
  ];
  for (const text of texts) {
    for (let step = 1; step <= text.length; step++) {
      for (const collect of [true, false]) {
        const { responses, failed } = parseAll(text, step, { collect });
        assertEquals(failed, false, `${JSON.stringify(text)} step ${step}`);
        assertEquals(responses.map((r) => r.status), [200], `${JSON.stringify(text)} step ${step}`);
      }
    }
  }
  // After the status line a line of two CRs is not blank: it is a header line without a colon.
  assertEquals(parseAll("HTTP/1.1 200 OK\r\n\r\r\n\r\n", 5).failed, true);
});

Deno.test("ResponseParser copies a split head, not the body after it", () => {
  const head = "HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n";
  const bytes = encoder.encode(head + "b".repeat(4000));
  const parser = new ResponseParser(true);
  parser.reset(false);
  const split = head.length - 5;
  assertEquals(parser.execute(bytes.slice(0, split), 0, split), split);
  const rest = bytes.slice(split);
  let pos = parser.execute(rest, 0, rest.length);
  while (pos < rest.length && !parser.done) pos = parser.execute(rest, pos, rest.length);
  assertEquals(parser.done, true);
  assertEquals(parser.bodyLength, 4000);
  // The head was copied (it spans two reads); the copy holds the head only, so it kept its first 1 KiB.
  assertNotStrictEquals(parser.head, rest);
  assertEquals(parser.head.length, 1024);
});

Deno.test("ResponseParser de-chunks chunked bodies with extensions and trailers", () => {
  const text = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5;ext=1\r\nhello\r\n1A\r\n" + "x".repeat(26) + "\r\n0\r\nTrailer: t\r\n\r\n";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(text + text, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.length, 2);
    assertEquals(responses[1].body, "hello" + "x".repeat(26));
    // The trailer's field joins the head's, as wrk's header callbacks add it to response()'s headers.
    for (const response of responses) {
      assertEquals(response.headers, [["Transfer-Encoding", "chunked"], ["Trailer", "t"]], `step ${step}`);
    }
  }
});

Deno.test("ResponseParser adds trailer fields after the head's, whatever the split, and the next head has none", () => {
  const chunked = "HTTP/1.1 200 OK\r\nX-Sp: padded   \r\nTransfer-Encoding: chunked\r\n\r\n" +
    "5\r\nhello\r\n0\r\nX-Trailer: t\r\nX-Sum:  abc \r\n\r\n";
  const plain = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(chunked + plain + chunked, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.map((r) => r.headers), [
      [["X-Sp", "padded"], ["Transfer-Encoding", "chunked"], ["X-Trailer", "t"], ["X-Sum", "abc"]],
      [["Content-Length", "2"]],
      [["X-Sp", "padded"], ["Transfer-Encoding", "chunked"], ["X-Trailer", "t"], ["X-Sum", "abc"]],
    ], `step ${step}`);
    assertEquals(responses.map((r) => r.body), ["hello", "ok", "hello"]);
  }
  // Without a response() hook nothing is kept.
  assertEquals(parseAll(chunked, 5, { collect: false }).responses[0].headers, []);
});

Deno.test("ResponseParser keeps a head of any length after a trailer of odd length made its copy odd-sized", () => {
  // Head and trailer of 1057 bytes: the copy they went into must still grow, for a longer head kept later.
  const trailer = "X-T: " + "t".repeat(1001) + "\r\n\r\n";
  const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n" + trailer;
  const long = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-P: " + "p".repeat(1500) + "\r\n\r\nhello";
  // The long head whole in a read, its body in the next: the head is copied out of the read buffer.
  const reads = [[chunked.length, long.length - 5], [700, chunked.length - 700 + long.length - 5], 97];
  for (const step of reads) {
    const { responses, failed } = parseAll(chunked + long, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.map((r) => r.headers.at(-1)![1].length), [1001, 1500], `step ${step}`);
  }
});

Deno.test("ResponseParser takes chunk sizes with leading zeros, and refuses one of 2^48 bytes or more", () => {
  const padded = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    "0000000000000005\r\nhello\r\n0000000000000000\r\n\r\n";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(padded, step);
    assertEquals([failed, responses.map((r) => r.body)], [false, ["hello"]], `step ${step}`);
  }
  const huge = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000\r\n";
  assertEquals(parseAll(huge, huge.length).failed, true);
});

Deno.test("ResponseParser ends a close-delimited body at EOF and marks it not keep-alive", () => {
  const { responses } = parseAll("HTTP/1.1 200 OK\r\n\r\nuntil close", 4, { eof: true });
  assertEquals(responses.length, 1);
  assertEquals(responses[0].body, "until close");
  assertEquals(responses[0].keepAlive, false);
});

Deno.test("ResponseParser reads no body for HEAD, 204 and 304 responses", () => {
  const head = parseAll("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 3, { head: true });
  assertEquals(head.responses.length, 1);
  for (const status of [204, 304]) {
    const text = `HTTP/1.1 ${status} X\r\nContent-Length: 10\r\n\r\n`;
    assertEquals(parseAll(text + text, 5).responses.length, 2);
  }
});

Deno.test("ResponseParser skips 100 Continue before the final response, whatever the split", () => {
  const text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok";
  for (let step = 1; step <= text.length; step++) {
    const { responses, failed } = parseAll(text, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(
      responses.map((r) => [r.status, r.headers, r.body]),
      [[201, [["Content-Length", "2"], ["X-A", "b"]], "ok"]],
      `step ${step}`,
    );
  }
});

Deno.test("ResponseParser honours Connection: close and HTTP/1.0 keep-alive rules", () => {
  const cases: [string, boolean][] = [
    ["HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false],
    ["HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Upgrade\r\nContent-Length: 0\r\n\r\n", true],
    ["HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false],
    ["HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true],
  ];
  for (const [text, keepAlive] of cases) {
    assertEquals(parseAll(text, 1).responses[0].keepAlive, keepAlive, text);
  }
});

Deno.test("ResponseParser rejects bytes that are not HTTP and broken framing", () => {
  const bad = [
    "SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "HTTP/1.1 2x0 OK\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n",
    "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
    // Whitespace between a field's name and its colon (RFC 9112 §5.1), and a fold before any field.
    "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nContent-Length\t: 5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\n folded: first\r\n\r\n",
    "HTTP/1.1 099 Low\r\n\r\n",
  ];
  for (const text of bad) assertEquals(parseAll(text, 1).failed, true, JSON.stringify(text));
});

Deno.test("ResponseParser rejects a head larger than 80 KiB, saying so", () => {
  const text = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(90 * 1024)}\r\n\r\n`;
  const { failed, parser } = parseAll(text, 4096);
  assertEquals(failed, true);
  assertEquals(parser.limitReached, "response head over 80 KiB");
  assertEquals(parseAll("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", 7).parser.limitReached, null);
});

Deno.test("ResponseParser takes status codes up to 999, as wrk's parser does", () => {
  for (const step of STEPS) {
    const { responses, failed } = parseAll(
      "HTTP/1.1 999 Request denied\r\nContent-Length: 2\r\n\r\nnoHTTP/1.1 600 X\r\nContent-Length: 0\r\n\r\n",
      step,
    );
    assertEquals(failed, false);
    assertEquals(responses.map((r) => [r.status, r.body]), [[999, "no"], [600, ""]]);
  }
});

Deno.test("ResponseParser reads a folded field (obs-fold) as one, its line breaks as spaces, whatever the split", () => {
  const text =
    "HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\n\tc  \r\nX-Empty:\r\n later\r\nContent-Length: 5\r\n\r\nhello";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(text, step);
    assertEquals(failed, false, `step ${step}`);
    assertEquals(responses.length, 1);
    const [name, value] = responses[0].headers[0];
    assertEquals([name, value.replace(/ +/g, " ")], ["X-Folded", "a b c"], `step ${step}`);
    assertEquals(responses[0].headers[1], ["X-Empty", "later"], `step ${step}`);
    assertEquals(responses[0].headers[2], ["Content-Length", "5"]);
    assertEquals(responses[0].body, "hello");
  }
  // Without a response() hook nothing is kept, and the fold is still no error.
  assertEquals(parseAll(text, 3, { collect: false }).failed, false);
});

Deno.test("ResponseParser keeps any number of header fields for response()", () => {
  const fields = Array.from({ length: 700 }, (_, i) => `X-${i}: ${i}\r\n`).join("");
  const { responses, failed } = parseAll(`HTTP/1.1 200 OK\r\n${fields}Content-Length: 0\r\n\r\n`, 4096);
  assertEquals(failed, false);
  assertEquals(responses[0].headers.length, 701);
  assertEquals(responses[0].headers[699], ["X-699", "699"]);
});

Deno.test("ResponseParser keeps no headers or body when not collecting", () => {
  const { responses } = parseAll("HTTP/1.1 503 X\r\nContent-Length: 3\r\nA: b\r\n\r\nabc", 2, {
    collect: false,
  });
  assertEquals(responses[0].status, 503);
  assertEquals(responses[0].headers, []);
  assertEquals(responses[0].body, "");
});

Deno.test("ResponseParser reports a response in progress only after its first byte", () => {
  const parser = new ResponseParser(false);
  parser.reset(false);
  assertEquals(parser.inProgress, false);
  const bytes = encoder.encode("HTTP/1.1 200");
  parser.execute(bytes, 0, bytes.length);
  assertEquals(parser.inProgress, true);
});

Deno.test("ResponseParser parses heads in place without a response hook, whatever the split", () => {
  const text =
    "\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\nConnection: close\r\n\r\nnopHTTP/1.1 200 OK\r\n" +
    "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  for (const step of STEPS) {
    const { responses, failed } = parseAll(text, step, { collect: false });
    assertEquals(failed, false, `step ${step}`);
    assertEquals(
      responses.map((r) => [r.status, r.keepAlive]),
      [[404, false], [200, true]],
      `step ${step}`,
    );
  }
  assertEquals(parseAll("HTTP/1.1 200 OK\r\nbroken\r\n\r\n", 1000, { collect: false }).failed, true);
});

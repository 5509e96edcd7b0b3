/**
 * A response as the client hands it to a script's `response()` (a `ResponseView`), built from its parts: for the
 * script tests and for benches of the response path (bench/response_sink_bench.ts), which need no socket.
 */
import type { ResponseView } from "../../lib/net/request_source.ts";

const encoder = new TextEncoder();

/** A `ResponseView` over a response built from parts, laid out as the HTTP/1.1 parser leaves its buffers. */
export function responseView(status: number, headers: [string, string][], body = ""): ResponseView {
  const parts: Uint8Array[] = [encoder.encode(`HTTP/1.1 ${status} X\r\n`)];
  let offset = parts[0].length;
  const nameStart: number[] = [];
  const nameEnd: number[] = [];
  const valueStart: number[] = [];
  const valueEnd: number[] = [];
  for (const [name, value] of headers) {
    const nameBytes = encoder.encode(name);
    const valueBytes = encoder.encode(value);
    nameStart.push(offset);
    nameEnd.push(offset + nameBytes.length);
    valueStart.push(offset + nameBytes.length + 2);
    valueEnd.push(offset + nameBytes.length + 2 + valueBytes.length);
    parts.push(nameBytes, encoder.encode(": "), valueBytes, encoder.encode("\r\n"));
    offset += nameBytes.length + 2 + valueBytes.length + 2;
  }
  parts.push(encoder.encode("\r\n"));
  const head = new Uint8Array(offset + 2);
  let at = 0;
  for (const part of parts) {
    head.set(part, at);
    at += part.length;
  }
  const bodyBytes = encoder.encode(body);
  // Like the parser's reused buffers: longer than the content.
  const bodyBuffer = new Uint8Array(bodyBytes.length + 16);
  bodyBuffer.set(bodyBytes);
  return {
    status,
    headerCount: headers.length,
    head,
    nameStart: Int32Array.from(nameStart),
    nameEnd: Int32Array.from(nameEnd),
    valueStart: Int32Array.from(valueStart),
    valueEnd: Int32Array.from(valueEnd),
    headVersion: 0,
    body: bodyBuffer,
    bodyLength: bodyBytes.length,
  };
}

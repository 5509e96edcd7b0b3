/**
 * nginx's answer to a benchmark's GET as it arrives on the socket: the head the parser and the `response()`
 * tests feed as a real server's (tests/net/http1/repeated_head_test.ts, tests/script/hook_fast_paths_test.ts).
 */

/** The date of {@linkcode nginxAnswer} when none is given. */
const DATE = "Sun, 06 Dec 2026 10:13:17 GMT";

/**
 * nginx 1.22's answer to `return 200 "<body>"`: its headers in its order, `extra` header lines (each ending in
 * CRLF) after them.
 */
export function nginxAnswer(body = "Hello, World!\n", { date = DATE, extra = "" } = {}): string {
  return `HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: ${date}\r\nContent-Type: text/plain\r\n` +
    `Content-Length: ${body.length}\r\nConnection: keep-alive\r\n${extra}\r\n${body}`;
}

/** Writes all of `bytes` to stdout (`writeSync` may write less than asked), for the CLI and Lua's print. */
export function writeStdout(bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
}

/** Writes all of `bytes` to stderr: Lua's print when stdout carries the JSON result (`--json -`). */
export function writeStderr(bytes: Uint8Array): void {
  let written = 0;
  while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
}

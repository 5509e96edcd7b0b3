/**
 * Writing to the process's standard streams, for the command line and Lua's `print`. A reader that went away
 * (`wrk-deno … | head -1`, `2>&1 | head -1`) closes the pipe: wrk dies of SIGPIPE there, quietly; here the writes that follow
 * are dropped, quietly too, and the run goes on to write its result files and exit with its own code.
 *
 * @module
 */

/** Whether this isolate's standard output found its pipe closed (later writes are dropped). */
let stdoutClosed = false;

/**
 * Writes all of `bytes` to stdout (`writeSync` may write less than asked), nothing once the reader closed the
 * pipe. Any other failure (a full disk) is thrown.
 */
export function writeStdout(bytes: Uint8Array): void {
  if (stdoutClosed) return;
  let written = 0;
  try {
    while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    stdoutClosed = true;
  }
}

/** Whether this isolate's standard error found its pipe closed (later writes are dropped). */
let stderrClosed = false;

/**
 * Writes all of `bytes` to stderr (the command line's messages; Lua's print when stdout carries the JSON
 * result, `--json -`), nothing once the reader closed the pipe (`wrk-deno … 2>&1 | head -1`).
 */
export function writeStderr(bytes: Uint8Array): void {
  if (stderrClosed) return;
  let written = 0;
  try {
    while (written < bytes.length) written += Deno.stderr.writeSync(bytes.subarray(written));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    stderrClosed = true;
  }
}

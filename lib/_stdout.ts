/**
 * Writing to the process's standard streams, for the command line and Lua's `print`. A reader that went away
 * (`wrk-deno … | head -1`, `2>&1 | head -1`) closes the pipe: wrk dies of SIGPIPE there, quietly; here the
 * writes that follow are dropped, quietly too, and the run goes on to write its result files and exit with its
 * own code.
 *
 * @module
 */

/**
 * A writer of all of the bytes it is given to `stream` (`writeSync` may write less than asked), which drops
 * them once the reader closed the pipe; any other failure (a full disk) is thrown, unless `dropOnAnyFailure`:
 * then it too ends the writes quietly. One per stream and isolate.
 */
function streamWriter(
  stream: { writeSync(bytes: Uint8Array): number },
  dropOnAnyFailure: boolean,
): (bytes: Uint8Array) => void {
  let closed = false;
  return (bytes) => {
    if (closed) return;
    let written = 0;
    try {
      while (written < bytes.length) written += stream.writeSync(bytes.subarray(written));
    } catch (error) {
      if (!dropOnAnyFailure && !(error instanceof Deno.errors.BrokenPipe)) throw error;
      closed = true;
    }
  };
}

/** Writes all of `bytes` to stdout: the command line's report, Lua's print. */
export const writeStdout: (bytes: Uint8Array) => void = streamWriter(Deno.stdout, false);

/**
 * Writes all of `bytes` to stderr: the command line's messages, Lua's print when stdout carries the JSON result
 * (`--json -`). A stderr that cannot be written (a full disk) is the last place to say anything: its writes
 * are dropped, and the run goes on to its results, as when its reader went away.
 */
export const writeStderr: (bytes: Uint8Array) => void = streamWriter(Deno.stderr, true);

/** The writer of standard output or standard error, by name (a thread's script output names its stream). */
export function writerOf(stream: "stdout" | "stderr"): (bytes: Uint8Array) => void {
  return stream === "stdout" ? writeStdout : writeStderr;
}

/**
 * Terminal control shared by the CLI's live progress line (lib/report/progress_line.ts) and the threads that
 * erase it before their script's first output (lib/worker/worker_main.ts). Its own module: a worker needs the
 * sequence, not the formatters around the progress line.
 *
 * @module
 */

/** Erases the terminal line the cursor is on and returns to its start (carriage return, ANSI "erase line"). */
export const ERASE_LINE = "\r\x1b[2K";

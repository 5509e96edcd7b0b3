/**
 * The live progress line the CLI rewrites on a terminal during a run: elapsed and total time, the current
 * request rate, requests and socket errors so far. Pure: the caller owns the clock and the terminal.
 *
 * @module
 */

import { formatMetric } from "./units.ts";
import { ERASE_LINE } from "../_terminal.ts";

/** What one progress line shows. */
export interface ProgressFigures {
  /** Since the run started. */
  elapsedMs: number;
  /** The duration asked for (`-d`). */
  durationMs: number;
  /** Requests per second over the last few hundred milliseconds; null before there are two samples. */
  currentRps: number | null;
  /** Responses so far. */
  requests: number;
  /** Socket errors so far. */
  errors: number;
  /** Before the run, waiting for `--start-at`: the time left (then the line says so); 0 once the run runs. */
  startsInMs?: number;
}

/**
 * One progress line, without a newline: the caller writes {@linkcode ERASE_LINE} before it, so each line
 * replaces the last.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatProgressLine } from "./progress_line.ts";
 *
 * assertEquals(
 *   formatProgressLine({ elapsedMs: 3_200, durationMs: 10_000, currentRps: 12_345, requests: 40_000, errors: 2 }),
 *   "  3.2s / 10.0s   12.35k req/s   40.00k requests   2 errors",
 * );
 * ```
 */
export function formatProgressLine(figures: ProgressFigures): string {
  if ((figures.startsInMs ?? 0) > 0) {
    return `  starting in ${(figures.startsInMs! / 1000).toFixed(1)}s (--start-at)`;
  }
  const elapsed = Math.min(figures.elapsedMs, figures.durationMs) / 1000;
  const rate = figures.currentRps === null ? "-" : formatMetric(figures.currentRps);
  const errors = `${figures.errors} error${figures.errors === 1 ? "" : "s"}`;
  return `  ${elapsed.toFixed(1)}s / ${(figures.durationMs / 1000).toFixed(1)}s   ${rate} req/s   ` +
    `${figures.requests < 1000 ? figures.requests : formatMetric(figures.requests)} requests   ${errors}`;
}

/** How often the line is redrawn at most: five times a second, which reads as live and costs nothing. */
const REDRAW_EVERY_MS = 200;

/** The window the current rate is measured over: long enough to smooth the threads' staggered reports. */
const RATE_WINDOW_MS = 1_000;

/**
 * Turns the run's progress reports (several threads, several times a second each) into a line redrawn at most
 * every 200 ms with the rate over the last second, written through `write`; `clear()` erases it before the
 * report is printed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { ProgressMeter } from "./progress_line.ts";
 *
 * const written: string[] = [];
 * const meter = new ProgressMeter((text) => written.push(text));
 * meter.update({ elapsedMs: 200, durationMs: 1_000, requests: 100, errors: 0 }, 200);
 * meter.update({ elapsedMs: 400, durationMs: 1_000, requests: 300, errors: 0 }, 400);
 * meter.clear();
 * assertEquals(written.length, 3);
 * assertEquals(written[1], "\r\x1b[2K  0.4s / 1.0s   1.00k req/s   300 requests   0 errors");
 * assertEquals(written[2], "\r\x1b[2K");
 * ```
 */
export class ProgressMeter {
  readonly #write: (text: string) => void;
  readonly #columns: number;
  readonly #samples: { atMs: number; requests: number }[] = [];
  #lastDrawMs = -Infinity;
  #shown = false;

  /**
   * `columns`: the terminal's width. The line is cut to fit one row: a line that wraps leaves a row behind at
   * each redraw, as the erase reaches the last row only.
   */
  constructor(write: (text: string) => void, columns = Infinity) {
    this.#write = write;
    this.#columns = columns;
  }

  /** Takes the run's totals at `nowMs` (any monotonic clock) and redraws the line if it is time to. */
  update(
    progress: { elapsedMs: number; durationMs: number; requests: number; errors: number },
    nowMs: number,
  ) {
    if (nowMs - this.#lastDrawMs < REDRAW_EVERY_MS) return;
    this.#lastDrawMs = nowMs;
    this.#samples.push({ atMs: nowMs, requests: progress.requests });
    while (this.#samples.length > 2 && nowMs - this.#samples[1].atMs >= RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    const spanMs = nowMs - first.atMs;
    const currentRps = spanMs > 0 ? (progress.requests - first.requests) * 1000 / spanMs : null;
    const line = formatProgressLine({ ...progress, currentRps });
    this.#write(
      ERASE_LINE + (line.length < this.#columns ? line : line.slice(0, Math.max(0, this.#columns - 1))),
    );
    this.#shown = true;
  }

  /** Erases the line, if one is shown; later updates are ignored. */
  clear(): void {
    if (this.#shown) this.#write(ERASE_LINE);
    this.giveWay();
  }

  /**
   * Draws no more, without erasing: the line was erased by whoever writes to the terminal now (a script's first
   * output), and an erase from here could take that output's unfinished line with it.
   */
  giveWay(): void {
    this.#shown = false;
    this.#lastDrawMs = Infinity;
  }
}

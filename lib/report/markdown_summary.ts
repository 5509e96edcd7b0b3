/**
 * `--summary FILE`: a run as GitHub-flavoured Markdown, for GitHub Actions' job summary
 * (`$GITHUB_STEP_SUMMARY`) or any Markdown viewer. A pure function of the same {@linkcode RunResult} as the
 * text report, with the same figures.
 *
 * @module
 */

import type { Config } from "../config/config.ts";
import type { RunResult } from "../run_result.ts";
import { reportedFigures } from "../stats/reported_figures.ts";
import { allErrors } from "../stats/error_counts.ts";
import type { Stats } from "../stats/stats.ts";
import type { ThresholdVerdict } from "../thresholds/verdict.ts";
import { integer, requestsPerSecond, unfinishedThreadsLine } from "./_lines.ts";
import { formatFixed } from "./_printf.ts";
import { formatVerdictValue, missingValueReason } from "./_verdict_text.ts";
import { rateShortfallLine } from "./rate_report.ts";
import { formatBinary, formatTimeUs } from "./units.ts";
import { statusCodeEntries } from "../stats/status_codes.ts";

/** The latency table's rows: wrk's four percentiles, then the tail wrk2 prints. */
const PERCENTILES = [50, 75, 90, 99, 99.9, 99.99, 99.999] as const;

/** The program name the command line is shown with. */
const PROGRAM = "wrk-deno";

/** Arguments a POSIX shell takes as they are; anything else is shown single-quoted, so it pastes back. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** What the summary says besides the run's figures. */
export interface MarkdownContext {
  /** The arguments as given, without the program name (`Deno.args`), shown as a command to repeat the run. */
  command: string[];
  /** The parsed command line: the URL, threads and connections of a run that failed to start. */
  config: Config;
  /** The verdicts of the `--threshold` conditions; null when none were given. */
  thresholds: ThresholdVerdict[] | null;
  /**
   * The one-line message of a run that failed (before it started, or during it: a script error in
   * `response()`), with a null result; null for a run that ran to its end.
   */
  error: string | null;
  /**
   * With `error`: when the run had started (`RunResult.startedAt`, ISO 8601) before it failed; absent or null
   * when it failed before it started. The summary says which.
   */
  startedAt?: string | null;
  /** Lines the caller has the summary say, each after a ⚠️ (a partial merge's missing shards). */
  notes?: readonly string[];
  /**
   * Figures that cover less than the whole test (a thread that did not finish, a run stopped before its `-d`)
   * were accepted (`merge --allow-partial`): they do not mark the run failed. Absent: they do, as they fail the
   * program.
   */
  allowPartial?: boolean;
}

/**
 * The run as GitHub-flavoured Markdown, ending in a newline, to append to `$GITHUB_STEP_SUMMARY`: a heading
 * with the URL (marked ✅ when every threshold held, ❌ when one failed, the run failed, or its figures are
 * incomplete: a thread that did not finish, a stop before `-d`, unless `allowPartial`), the command
 * in a code block, then tables: the key figures (requests, run time, bytes read, requests/s, transfer/s,
 * errors; the rate asked with `-R`), the latency percentiles (50 to 99.999 and max; with `-R` also the
 * uncorrected latency), the socket errors by reason, the responses by status code, and the threshold
 * verdicts.
 *
 * The figures are the printed report's: wrk's for a closed-loop run, wrk2's for a `-R` run
 * (lib/stats/reported_figures.ts), through the same unit formatters. For a run that failed (a null result and
 * `context.error`), the error and the thresholds, all failed: "did not start", or with `context.startedAt`
 * "failed after it started" (a script error in `response()`, a thread that died). Text from the run (URL,
 * command, error reasons) is escaped, so it cannot break a table or start Markdown of its own.
 *
 * @throws {TypeError} when both or neither of `result` and `context.error` are given.
 *
 * @example A run that failed to start
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatMarkdownSummary } from "./markdown_summary.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 *
 * const command = ["-c2", "-d1s", "http://127.0.0.1:1/"];
 * const markdown = formatMarkdownSummary(null, {
 *   command,
 *   config: parseArgs(command),
 *   thresholds: null,
 *   error: "unable to connect to 127.0.0.1:1 Connection refused",
 * });
 * assertEquals(markdown.split("\n")[0], "### ❌ wrk-deno `http://127.0.0.1:1/`");
 * assertEquals(
 *   markdown.split("\n").at(-2),
 *   "**The run did not start:** `unable to connect to 127.0.0.1:1 Connection refused`",
 * );
 * ```
 *
 * @example A run that failed after it started
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { formatMarkdownSummary } from "./markdown_summary.ts";
 * import { parseArgs } from "../config/parse_args.ts";
 *
 * const command = ["-c2", "-d1s", "-s", "check.lua", "http://127.0.0.1:8080/"];
 * const markdown = formatMarkdownSummary(null, {
 *   command,
 *   config: parseArgs(command),
 *   thresholds: null,
 *   error: "check.lua:1: in response(): x",
 *   startedAt: "2026-12-04T12:00:00.000Z",
 * });
 * assertEquals(
 *   markdown.split("\n").at(-2),
 *   "**The run failed after it started:** `check.lua:1: in response(): x`",
 * );
 * ```
 */
export function formatMarkdownSummary(result: RunResult | null, context: MarkdownContext): string {
  if ((result === null) === (context.error === null)) {
    throw new TypeError(
      "formatMarkdownSummary: give either a result or the error of a run that did not start",
    );
  }
  const { config, thresholds } = context;
  const incomplete = result !== null && context.allowPartial !== true &&
    (result.unfinishedThreads.length > 0 || result.stoppedEarly === true);
  const failed = context.error !== null || incomplete ||
    (thresholds ?? []).some((verdict) => !verdict.passed);
  const mark = failed ? "❌ " : thresholds !== null && thresholds.length > 0 ? "✅ " : "";
  const blocks: string[] = [
    `### ${mark}${PROGRAM} ${codeSpan(result?.url ?? config.target.url)}`,
    codeBlock([PROGRAM, ...context.command].map(shellWord).join(" "), "sh"),
  ];
  const threads = result?.threads ?? config.threads;
  const connections = result?.connections ?? config.connections;
  const startedAt = result?.startedAt ?? context.startedAt ?? null;
  const started = startedAt === null ? "" : `, started ${escapeText(startedAt)}`;
  blocks.push(`${integer(threads)} threads and ${integer(connections)} connections${started}`);
  if (result === null) {
    const what = startedAt === null ? "The run did not start" : "The run failed after it started";
    blocks.push(`**${what}:** ${codeSpan(context.error ?? "")}`);
  } else {
    blocks.push(keyFigures(result));
    for (const note of context.notes ?? []) blocks.push(`⚠️ ${escapeText(note)}`);
    // The time run is in the figures above (a merge's spans its shards, so "after … of …" could mislead).
    if (result.stoppedEarly === true) {
      blocks.push(
        "⚠️ Stopped before its `-d` (a signal, or its caller): the figures cover less time than asked",
      );
    }
    const unfinished = unfinishedThreadsLine(result.unfinishedThreads);
    if (unfinished !== null) blocks.push(`⚠️ ${unfinished.trim()}`);
    // With -R, the report's `Rate:` line: the rate asked was not achieved, and why.
    const shortfall = rateShortfallLine(result, config.http2);
    // The errors and the unfinished threads are elsewhere here than in the report: no "see above" or "below".
    if (shortfall !== null) {
      blocks.push(`⚠️ ${escapeText(shortfall.trim().replace(/ \(see (above|below)\)/, ""))}`);
    }
    blocks.push(latencyTable(result));
    const errors = errorTable(result);
    if (errors !== null) blocks.push(errors);
    const codes = statusTable(result);
    if (codes !== null) blocks.push(codes);
  }
  if (thresholds !== null && thresholds.length > 0) blocks.push(thresholdTable(thresholds, result !== null));
  return blocks.join("\n\n") + "\n";
}

/** One row of figures: what the report's last lines say, plus the error total and the rate asked. */
function keyFigures(result: RunResult): string {
  const seconds = result.runtimeUs / 1e6;
  const header = ["Requests", "Duration", "Read", "Requests/sec", "Transfer/sec", "Errors"];
  const row = [
    integer(result.requests),
    formatTimeUs(result.runtimeUs),
    `${formatBinary(result.bytesRead)}B`,
    formatFixed(requestsPerSecond(result), 2),
    `${formatBinary(seconds > 0 ? result.bytesRead / seconds : 0)}B`,
    integer(allErrors(result.errors)),
  ];
  if (result.rate !== null) {
    const planned = result.rate.plannedPerSec;
    header.push("Asked/sec");
    row.push(Number.isInteger(planned) ? String(planned) : formatFixed(planned, 2));
  }
  return table(header, header.map(() => "right"), [row]);
}

/** The percentiles and max by the report's rule; with `-R`, a column for the latency from each write. */
function latencyTable(result: RunResult): string {
  const rateMode = result.rate !== null;
  const columns: Stats[] = [result.latency];
  const header = ["Percentile", "Latency"];
  if (result.uncorrectedLatency !== null) {
    columns.push(result.uncorrectedLatency);
    header.push("Uncorrected");
  }
  if (columns.every((stats) => stats.count === 0)) return "No latency samples.";
  const figures = columns.map((stats) => reportedFigures(stats, rateMode));
  const time = (us: number | null) => us === null ? "—" : formatTimeUs(us);
  const rows = PERCENTILES.map((p) => [`${p}%`, ...figures.map((f) => time(f.percentile(p)))]);
  // The top of the distribution, as the percentiles above it are read: wrk's max, wrk2's `100.000%` line. wrk2's
  // `Max` column (the top bucket's lowest value) can sit below its own 99.99 % line, which would read as a bug.
  rows.push(["Max", ...figures.map((f) => time(f.percentile(100)))]);
  return table(header, header.map(() => "right"), rows);
}

/**
 * Socket errors by reason (a counter's remainder that no reason accounts for as `other`), then the
 * non-2xx/3xx responses; null for a run without errors.
 */
function errorTable(result: RunResult): string | null {
  const rows: string[][] = [];
  for (const category of ["connect", "read", "write", "timeout"] as const) {
    const count = result.errors[category];
    if (count === 0) continue;
    let explained = 0;
    for (const reason of result.errorReasons) {
      if (reason.category !== category) continue;
      rows.push([`${category} ${escapeText(reason.reason)}`, integer(reason.count)]);
      explained += reason.count;
    }
    if (explained < count) rows.push([`${category} other`, integer(count - explained)]);
  }
  if (result.errors.status > 0) rows.push(["non-2xx or 3xx responses", integer(result.errors.status)]);
  if (rows.length === 0) return null;
  return table(["Error", "Count"], ["left", "right"], rows);
}

/** Every status code received, in numeric order; null when none was counted. */
function statusTable(result: RunResult): string | null {
  const codes = statusCodeEntries(result.statusCodes);
  if (codes.length === 0) return null;
  const rows = codes.map(([code, count]) => [escapeText(code), integer(count)]);
  return table(["Status", "Responses"], ["right", "right"], rows);
}

/** ✅/❌, the expression as given, the actual value or why there is none (`—`: the run did not start). */
function thresholdTable(verdicts: readonly ThresholdVerdict[], ran: boolean): string {
  const rows = verdicts.map((verdict) => [
    verdict.passed ? "✅" : "❌",
    codeSpan(verdict.expression.trim()),
    verdict.actual !== null
      ? formatVerdictValue(verdict.actual, verdict.unit, verdict.limit)
      : ran
      ? `_${missingValueReason(verdict.unit)}_`
      : "—",
  ]);
  return table(["", "Threshold", "Actual"], ["center", "left", "right"], rows);
}

/** A GFM table; `|` in a cell is escaped (GFM splits cells on it even inside a code span). */
function table(header: string[], align: ("left" | "right" | "center")[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  const rule = align.map((a) => a === "right" ? "---:" : a === "center" ? ":---:" : ":---");
  return [line(header), `| ${rule.join(" | ")} |`, ...rows.map(line)].join("\n");
}

/**
 * `text` as an inline code span: delimited by one more backtick than its longest run of backticks, and
 * padded with a space when it starts or ends with a backtick (CommonMark strips one space from each side).
 * Line breaks become spaces, as they would in the rendered span.
 */
function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, " ");
  const fence = "`".repeat(longestRun(flat, "`") + 1);
  const pad = /^`|`$/.test(flat) || (/^ .*[^ ].* $/.test(flat)) ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** `text` in a fenced code block, the fence longer than any run of backticks inside. */
function codeBlock(text: string, language: string): string {
  const fence = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Plain text with Markdown's inline punctuation escaped: `*`, `_`, `` ` ``, `<` and `[` show as typed. */
function escapeText(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/[\\`*_[\]<>#~]/g, (char) => `\\${char}`);
}

/** A command-line word as a POSIX shell reads it back: as is when safe, else single-quoted. */
function shellWord(word: string): string {
  return SHELL_SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

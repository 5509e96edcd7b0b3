/** A `RunResult` fixture for report and threshold tests, built from the figures a test cares about. */
import type { RunResult } from "../../lib/run_result.ts";
import { Stats } from "../../lib/stats/stats.ts";

/**
 * A closed-loop run of 2 threads and 10 connections for 2 s against http://127.0.0.1:8080/, started at
 * 2026-12-04T12:00:00Z, without responses, errors or samples; `fields` replace any of its figures.
 */
export function runResultWith(fields: Partial<RunResult>): RunResult {
  const run = { url: "http://127.0.0.1:8080/", threads: 2, connections: 10, durationMs: 2000, rate: null };
  const timing = { startedAt: "2026-12-04T12:00:00.000Z", runtimeUs: 2_000_000, unfinishedThreads: [] };
  const counts = { requests: 0, bytesRead: 0, statusCodes: {}, errorReasons: [] };
  const errors = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
  const samples = { latency: new Stats(), uncorrectedLatency: null, requestRate: new Stats() };
  return { ...run, ...timing, ...counts, errors, ...samples, ...fields };
}

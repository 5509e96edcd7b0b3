/**
 * The standard HdrHistogram compressed encoding (base64), through npm hdr-histogram-js, for exchanging
 * latency histograms with other tools and other machines (merging runs from several load generators). Kept out
 * of the CLI's load path: the package is CommonJS and costs every thread that loads it memory and start-up
 * time (docs/benchmarks.md#measurements-behind-the-code).
 */
import * as hdr from "npm:hdr-histogram-js@3.0.1";
import { lowestValueOf } from "./recorder.ts";
import { Stats } from "./stats.ts";

/**
 * Encodes `stats` as an HdrHistogram (3 significant digits, 64-bit counts) in the compressed base64 form that
 * HdrHistogram libraries in every language read.
 *
 * @example Round trip
 * ```ts
 * import { decodeStats, encodeStats } from "./hdr_codec.ts";
 * import { Stats } from "./stats.ts";
 * import { assertEquals } from "@std/assert";
 * const stats = new Stats();
 * stats.record(250);
 * assertEquals(decodeStats(encodeStats(stats)).percentile(50), 250);
 * ```
 */
export function encodeStats(stats: Stats): string {
  const histogram = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  const counts = stats.bucketCounts();
  for (let index = 0; index < counts.length; index++) {
    if (counts[index] > 0) histogram.recordValueWithCount(lowestValueOf(index), counts[index]);
  }
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * Decodes a compressed base64 HdrHistogram (from `encodeStats` or any HdrHistogram library) into `Stats`.
 *
 * @throws {SyntaxError} when `text` is not an encoded histogram.
 */
export function decodeStats(text: string): Stats {
  let histogram: hdr.JsHistogram;
  try {
    histogram = hdr.decodeFromCompressedBase64(text, 64, false) as hdr.JsHistogram;
  } catch (error) {
    throw new SyntaxError(`Cannot decode stats: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const stats = new Stats();
  for (let index = 0; index < histogram.countsArrayLength; index++) {
    const count = histogram.getCountAtIndex(index);
    if (count > 0) stats.recordCount(histogram.valueFromIndex(index), count);
  }
  return stats;
}

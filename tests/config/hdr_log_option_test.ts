/** `--hdr-log FILE` on the command line: parsed into `Config.hdrLogPath`, in both long forms, never empty. */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { UsageError } from "../../lib/config/errors.ts";
import { OPTION_SPECS } from "../../lib/config/options.ts";
import { parseArgs } from "../../lib/config/parse_args.ts";

const URL_TEXT = "http://localhost:8080/";

Deno.test("--hdr-log takes a file, as '--hdr-log FILE' or '--hdr-log=FILE', and defaults to none", () => {
  assertEquals(parseArgs([URL_TEXT]).hdrLogPath, null);
  assertEquals(parseArgs(["--hdr-log", "run.hlog", URL_TEXT]).hdrLogPath, "run.hlog");
  assertEquals(parseArgs([URL_TEXT, "--hdr-log=/tmp/a b.hlog"]).hdrLogPath, "/tmp/a b.hlog");
});

Deno.test("--hdr-log without a value is a usage error naming the option", () => {
  for (const argv of [["--hdr-log=", URL_TEXT], [URL_TEXT, "--hdr-log"]]) {
    const error = assertThrows(() => parseArgs(argv));
    assert(error instanceof UsageError);
    assertEquals(error.message, "option '--hdr-log' needs a value");
  }
});

Deno.test("--hdr-log - or a standard stream is refused: they carry the report (a file named '-' was written)", () => {
  for (const path of ["-", "/dev/stdout", "/dev/stderr"]) {
    const error = assertThrows(() => parseArgs(["--hdr-log", path, URL_TEXT]));
    assert(error instanceof UsageError);
    assertEquals(error.message, "option '--hdr-log' needs a file: the standard streams carry the report");
  }
});

Deno.test("--summary - is standard output, which --json - has to itself: refused beside it", () => {
  assertEquals(parseArgs(["--summary", "-", URL_TEXT]).summaryPath, "/dev/stdout");
  for (const path of ["-", "/dev/stdout"]) {
    const error = assertThrows(() => parseArgs(["--json", "-", "--summary", path, URL_TEXT]));
    assert(error instanceof UsageError);
    assertEquals(
      error.message,
      "option '--summary' cannot be standard output with --json -: stdout carries the JSON document alone " +
        "(give the summary a file, or /dev/stderr)",
    );
  }
  assertEquals(parseArgs(["--json", "-", "--summary", "/dev/stderr", URL_TEXT]).summaryPath, "/dev/stderr");
});

Deno.test("--hdr-log is in the option table as a file, so that shells complete a path for it", () => {
  assertEquals(OPTION_SPECS.find((spec) => spec.name === "hdr-log")?.value, "file");
});

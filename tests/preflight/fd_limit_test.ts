import { assert, assertEquals, assertMatch, assertThrows } from "@std/assert";
import {
  checkOpenFileLimit,
  openableFiles,
  openFilesNeeded,
  parseSoftOpenFileLimit,
} from "../../lib/preflight/fd_limit.ts";

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max open files            1024                 524288               files     
Max locked memory         8388608              8388608              bytes     
`;

Deno.test("parseSoftOpenFileLimit() reads the soft limit of 'Max open files'", () => {
  assertEquals(parseSoftOpenFileLimit(LIMITS), 1024);
});

Deno.test("parseSoftOpenFileLimit() is null for an unlimited or missing limit", () => {
  assertEquals(parseSoftOpenFileLimit(LIMITS.replace("1024    ", "unlimited")), null);
  assertEquals(parseSoftOpenFileLimit("Max cpu time unlimited unlimited seconds\n"), null);
});

Deno.test("openFilesNeeded() counts one file per connection plus the runtime's and each thread's own", () => {
  assertEquals(openFilesNeeded(1000, 2) - openFilesNeeded(0, 2), 1000);
  assert(openFilesNeeded(0, 4) > openFilesNeeded(0, 1));
});

Deno.test("checkOpenFileLimit() accepts a run that fits under the limit", () => {
  checkOpenFileLimit(100, 2, 1024);
  checkOpenFileLimit(1000, 2, openFilesNeeded(1000, 2));
});

Deno.test("checkOpenFileLimit() says how far to raise a limit that is too low", () => {
  const error = assertThrows(() => checkOpenFileLimit(1000, 2, 256), RangeError);
  assertEquals(
    error.message,
    "-c 1000 needs about 1048 open files but the limit is 256; raise it with 'ulimit -n 2048', or lower -c to 208",
  );
  const rounded = assertThrows(() => checkOpenFileLimit(2100, 2, openFilesNeeded(2100, 2) - 1), RangeError);
  assertMatch(rounded.message, /raise it with 'ulimit -n 4096', or lower -c to \d+$/);
  // Where the -c that fits is one the command line refuses (fewer connections than threads): no such advice.
  const tight = assertThrows(() => checkOpenFileLimit(100, 8, 64), RangeError);
  assertMatch(tight.message, /raise it with 'ulimit -n 256', or use fewer threads and connections$/);
  // Past what Linux lets a process open, no ulimit helps: no suggestion of one.
  const huge = assertThrows(() => checkOpenFileLimit(99_999_999_999, 2, 20_000), RangeError);
  assertMatch(
    huge.message,
    /limit is 20000; that is more than a process may open here \(fs\.nr_open\): lower -c to 19952$/,
  );
});

Deno.test("openableFiles() opens as many files as asked when the limit allows, and closes them", () => {
  assertEquals(openableFiles(64), 64);
  // Closed again: the same number can be opened once more.
  assertEquals(openableFiles(64), 64);
});

import assert from "node:assert/strict";
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
  assert.equal(parseSoftOpenFileLimit(LIMITS), 1024);
});

Deno.test("parseSoftOpenFileLimit() is null for an unlimited or missing limit", () => {
  assert.equal(parseSoftOpenFileLimit(LIMITS.replace("1024    ", "unlimited")), null);
  assert.equal(parseSoftOpenFileLimit("Max cpu time unlimited unlimited seconds\n"), null);
});

Deno.test("openFilesNeeded() counts one file per connection plus the runtime's and each thread's own", () => {
  assert.equal(openFilesNeeded(1000, 2) - openFilesNeeded(0, 2), 1000);
  assert.ok(openFilesNeeded(0, 4) > openFilesNeeded(0, 1));
});

Deno.test("checkOpenFileLimit() accepts a run that fits under the limit", () => {
  checkOpenFileLimit(100, 2, 1024);
  checkOpenFileLimit(1000, 2, openFilesNeeded(1000, 2));
});

Deno.test("checkOpenFileLimit() says how far to raise a limit that is too low", () => {
  assert.throws(
    () => checkOpenFileLimit(1000, 2, 256),
    new RangeError(
      "-c 1000 needs about 1048 open files but the limit is 256; raise it with 'ulimit -n 2048'",
    ),
  );
  assert.throws(
    () => checkOpenFileLimit(2100, 2, openFilesNeeded(2100, 2) - 1),
    /raise it with 'ulimit -n 4096'$/,
  );
});

Deno.test("openableFiles() opens as many files as asked when the limit allows, and closes them", () => {
  assert.equal(openableFiles(64), 64);
  // Closed again: the same number can be opened once more.
  assert.equal(openableFiles(64), 64);
});

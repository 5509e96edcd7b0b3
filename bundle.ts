/**
 * The entry of `deno task bundle` (dist/wrk-deno.js): the command line, with the modules it loads on demand
 * put in the file by literal imports (lib/bundled_modules.ts, imported first). Run from its source files, the
 * program is `cli.ts`, which loads them by computed URLs (lib/lazy_modules.ts). In the bundle's threads (the
 * bundle is their worker module: see cli.ts) only `cli.ts`'s import of the thread side runs.
 *
 * @module
 */

import "./lib/bundled_modules.ts";
import { runCommandLine } from "./cli.ts";
import { isWorkerScope } from "./lib/worker/worker_scope.ts";

if (import.meta.main && !isWorkerScope()) await runCommandLine();

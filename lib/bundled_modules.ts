/**
 * For a program bundled into one file (`deno task bundle`'s entry, `bundle.ts`, and a library program built
 * the same way, `RunOptions.workerModule`): the modules of `lib/lazy_modules.ts` by literal imports, which the
 * bundler follows and puts in the file (it turns each into a deferred module initialiser, so they still load
 * only when needed). Import this module before anything of the program runs. A program run from its source
 * files must not import it: `deno run` would prepare every module named here at start
 * (lib/lazy_modules.ts).
 *
 * @module
 */

import { provideModuleLoaders } from "./lazy_modules.ts";

provideModuleLoaders({
  "merge/read_shards.ts": () => import("./merge/read_shards.ts"),
  "merge/merge_shards.ts": () => import("./merge/merge_shards.ts"),
  "merge/done_script.ts": () => import("./merge/done_script.ts"),
  "config/command_tree.ts": () => import("./config/command_tree.ts"),
  "config/parse_args.ts": () => import("./config/parse_args.ts"),
  "output/hdr_log_writer.ts": () => import("./output/hdr_log_writer.ts"),
  "output/output_files.ts": () => import("./output/output_files.ts"),
  "report/json_result.ts": () => import("./report/json_result.ts"),
  "net/_insecure_tls.ts": () => import("./net/_insecure_tls.ts"),
  "net/_presented_certs.ts": () => import("./net/_presented_certs.ts"),
  "net/http2/connection.ts": () => import("./net/http2/connection.ts"),
  "worker/worker_main.ts": () => import("./worker/worker_main.ts"),
  "script/thread_script.ts": () => import("./script/thread_script.ts"),
  "script/main_script.ts": () => import("./script/main_script.ts"),
});

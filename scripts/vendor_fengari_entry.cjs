/**
 * The entry `scripts/vendor_fengari.ts` bundles into `third_party/fengari/fengari.js`: one function per fengari
 * module that `lib/script/fengari/` imports, each requiring its module when called. esbuild (behind
 * `deno bundle`) turns every CommonJS module into a factory that runs on its first `require`, so with an
 * entry that requires nothing when it loads, no fengari module runs before our code asks for it, in the order
 * it asks (docs/dependencies.md#fengari-vendored). Keys are the modules' paths in the package; the
 * generator writes one ES module per key (`third_party/fengari/src/<name>.js`).
 */
"use strict";

exports["src/fengari.js"] = () => require("fengari");
exports["src/defs.js"] = () => require("fengari/src/defs.js");
exports["src/ldebug.js"] = () => require("fengari/src/ldebug.js");
exports["src/ldo.js"] = () => require("fengari/src/ldo.js");
exports["src/lfunc.js"] = () => require("fengari/src/lfunc.js");
exports["src/llimits.js"] = () => require("fengari/src/llimits.js");
exports["src/lobject.js"] = () => require("fengari/src/lobject.js");
exports["src/lopcodes.js"] = () => require("fengari/src/lopcodes.js");
exports["src/lstate.js"] = () => require("fengari/src/lstate.js");
exports["src/lstring.js"] = () => require("fengari/src/lstring.js");
exports["src/ltable.js"] = () => require("fengari/src/ltable.js");
exports["src/ltm.js"] = () => require("fengari/src/ltm.js");
exports["src/luaconf.js"] = () => require("fengari/src/luaconf.js");
exports["src/lvm.js"] = () => require("fengari/src/lvm.js");

/** The types of fengari.js, generated with it by scripts/vendor_fengari.ts: do not edit. */

/** fengari's module at `path` in the package (`"src/defs.js"`), evaluated on the first call. */
export declare function fengariModule(path: string): unknown;

/** The Node modules (and `tmp`) loaded so far through their stand-ins, in order. */
export declare function nodeModulesLoaded(): readonly string[];

/** The bundled CommonJS modules evaluated so far, in order (`fengari/src/defs.js`, `tmp/lib/tmp.js`). */
export declare function modulesEvaluated(): readonly string[];

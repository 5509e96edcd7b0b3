/** The types of fengari.js, generated with it by scripts/vendor_fengari.ts: do not edit. */

/** fengari's module at `path` in the package (`"src/defs.js"`), evaluated on the first call. */
export declare function fengariModule(path: string): unknown;

/** The Node modules (and `tmp`, and `"process"` for Node's `process`) loaded so far through their stand-ins, in order. */
export declare function nodeModulesLoaded(): readonly string[];

/**
 * What fengari's modules read as Node's `process`: the environment through Deno.env, `platform`, the
 * standard streams as stand-ins that read the real stream when one of their properties is first read (its
 * methods bound to it), and any other property the real `process`'s.
 */
export declare const fengariProcess: Record<string, unknown>;

/** The bundled CommonJS modules evaluated so far, in order (`fengari/src/defs.js`, `tmp/lib/tmp.js`). */
export declare function modulesEvaluated(): readonly string[];

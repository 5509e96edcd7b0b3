/**
 * The bash completion script, mended. cliffy's bash generator lists files for a command whose first argument is
 * a file (`merge <shards...:file>`) before it looks at the word being completed, and a file listing ends the
 * completion: `wrk-deno merge --j<TAB>` offered files, never `--json`. Here such a command lists files there
 * only when neither the word being completed nor the one before it is an option: an option word gets the
 * command's options, and an option's value is completed by that option's own case (`--json` lists files once,
 * not twice). After a flag (`merge -L <TAB>`) an empty word gets the options; a started one, the files that
 * match it. zsh's and fish's generators complete both already.
 *
 * @module
 */

/**
 * The lines of a generated command function that list files for its argument, then return for an option word:
 * the indentation, the file-listing function's name, and the `if` that follows.
 */
const FILE_ARGUMENT_FIRST = /^( *)(_\w+_file_dir)\n( *if \[\[ \$\{cur\} == -\* )/gm;

/**
 * `script` (cliffy's bash completions) with files listed for a file argument only when neither the word being
 * completed nor the word before it is an option.
 *
 * @example
 * ```ts
 * import { mendBashCompletions } from "./bash_completions.ts";
 *
 * const mended = mendBashCompletions("    _wrk_deno_file_dir\n    if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then");
 * console.log(mended.split("\n")[0]); // "    [[ ${cur} == -* || ${prev} == -* ]] || _wrk_deno_file_dir"
 * ```
 */
export function mendBashCompletions(script: string): string {
  return script.replace(
    FILE_ARGUMENT_FIRST,
    (_line, indent, listFiles, next) =>
      `${indent}[[ \${cur} == -* || \${prev} == -* ]] || ${listFiles}\n${next}`,
  );
}

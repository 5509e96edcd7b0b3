/**
 * Line templates in C `printf` notation, to check that a report line has the exact shape a `printf` call gives
 * it whatever the numbers: every fixed-width field is exactly as wide as its conversion says and holds the
 * kind of value it should, so a layout test can hold our output and a timed wrk2 run to the same templates.
 *
 * Conversions: `%%`, `%d`, `%<w>d`, `%.<p>f`, `%<w>f`, `%<w>.<p>f` (glibc's `-nan`/`inf` allowed), `%s`,
 * `%<w>s` and `%-<w>s` (each takes the next literal argument), and two of wrk's: `%T` is the text of a `units.c`
 * formatter (`3.00s`, `224.27K`, `-nan`), unpadded, and `%<w>T` the same right-aligned in w columns;
 * `%<w>U` is `print_units(…, w)`: the text right-aligned, then 0–2 spaces of padding, two minus one for each of
 * its last two characters that is a letter.
 */

/** A compiled template: the line's regular expression and a check for each captured fixed-width field. */
export interface LineTemplate {
  readonly name: string;
  readonly format: string;
  matches(line: string): boolean;
}

/** A units.c number and one of its units (`us ms s m h` for time, `K M G T P` binary, `k M G T P` metric). */
const UNITS_TEXT = String.raw`-?(?:\d+(?:\.\d+)?|nan|inf)(?:us|ms|[smhKMGTPk])?`;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Compiles `format` (with the literal arguments of its `%s` conversions) into a template called `name`. */
export function template(name: string, format: string, ...args: string[]): LineTemplate {
  const checks: ((field: string) => boolean)[] = [];
  let source = "";
  let last = 0;
  const conversion = /%(%|(-?)(\d*)(?:\.(\d+))?([dfsTU]))/g;
  for (const match of format.matchAll(conversion)) {
    source += escape(format.slice(last, match.index));
    last = match.index + match[0].length;
    const [, whole, left, widthText, precisionText, kind] = match;
    if (whole === "%") {
      source += "%";
      continue;
    }
    const width = widthText === "" ? 0 : Number(widthText);
    if (kind === "s") {
      const arg = args.shift();
      if (arg === undefined) throw new Error(`${name}: no argument for ${match[0]}`);
      source += escape(left ? arg.padEnd(width) : arg.padStart(width));
      continue;
    }
    const content = kind === "d"
      ? String.raw`-?\d+`
      : kind === "f"
      ? fixedPattern(precisionText === undefined ? 6 : Number(precisionText))
      : UNITS_TEXT;
    if (width === 0) {
      source += `(?:${content})`;
      continue;
    }
    source += `(.{${width}})`;
    if (kind === "U") {
      checks.push((field) => isPrintUnits(field, width));
    } else {
      const whole = new RegExp(`^ *(?:${content})$`);
      checks.push((field) => whole.test(field));
    }
  }
  source += escape(format.slice(last));
  const pattern = new RegExp(`^${source}$`);
  return {
    name,
    format,
    matches(line: string): boolean {
      const found = pattern.exec(line);
      return found !== null && checks.every((check, i) => check(found[i + 1]));
    },
  };
}

function fixedPattern(precision: number): string {
  const digits = precision === 0 ? String.raw`\d+` : String.raw`\d+\.\d{${precision}}`;
  return `-?${digits}|-?nan|-?inf`;
}

/** `print_units(n, fmt, width)`: `%*.*s` of the text in width − pad columns, then pad spaces. */
function isPrintUnits(field: string, width: number): boolean {
  const text = field.trim();
  if (!new RegExp(`^${UNITS_TEXT}$`).test(text)) return false;
  const isLetter = (char: string | undefined) => char !== undefined && /[A-Za-z]/.test(char);
  const pad = 2 - (isLetter(text.at(-1)) ? 1 : 0) - (isLetter(text.at(-2)) ? 1 : 0);
  return field === text.padStart(width - pad) + " ".repeat(pad);
}

/** The name of the first template `line` matches; throws with the line when none does. */
export function classify(line: string, templates: readonly LineTemplate[]): string {
  const found = templates.find((t) => t.matches(line));
  if (found === undefined) throw new Error(`no template matches ${JSON.stringify(line)}`);
  return found.name;
}

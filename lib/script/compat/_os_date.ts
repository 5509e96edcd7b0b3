/**
 * `os.date([format [, time]])` as wrk's LuaJIT gives it (glibc's `strftime` in the C locale, `gmtime` after a
 * leading `!`, `localtime` otherwise): fengari's own numbers `%j` from 0, refuses `%G`, `%g` and `%V`, and
 * ignores `!` except in `!*t`. `*t` and `!*t` give the table `os.time` takes back, `isdst` included.
 * Tests: tests/script/compat/os_date_test.ts, against LuaJIT.
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaState } from "../fengari/_lua.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MS_PER_DAY = 86_400_000;

/** A moment's calendar fields, in UTC or in local time. */
interface Fields {
  year: number;
  /** 0–11. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 (Sunday)–6. */
  weekday: number;
  /** 0–365. */
  yearDay: number;
  /** East of UTC, in minutes. */
  offsetMinutes: number;
  utc: boolean;
  date: Date;
}

function fieldsOf(date: Date, utc: boolean): Fields {
  const year = utc ? date.getUTCFullYear() : date.getFullYear();
  const month = utc ? date.getUTCMonth() : date.getMonth();
  const day = utc ? date.getUTCDate() : date.getDate();
  return {
    year,
    month,
    day,
    hour: utc ? date.getUTCHours() : date.getHours(),
    minute: utc ? date.getUTCMinutes() : date.getMinutes(),
    second: utc ? date.getUTCSeconds() : date.getSeconds(),
    weekday: utc ? date.getUTCDay() : date.getDay(),
    yearDay: Math.round((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / MS_PER_DAY),
    offsetMinutes: utc ? 0 : -date.getTimezoneOffset(),
    utc,
    date,
  };
}

/** Whether local time at `date` is daylight saving time: its offset is more than the year's smallest. */
function isDaylightSaving(date: Date): boolean {
  const year = date.getFullYear();
  const standard = Math.max(
    new Date(year, 0, 1).getTimezoneOffset(),
    new Date(year, 6, 1).getTimezoneOffset(),
  );
  return date.getTimezoneOffset() < standard;
}

const pad = (n: number, width = 2, fill = "0") => String(n).padStart(width, fill);

/** The ISO 8601 week-numbering year and week of `f` (`%G`, `%V`). */
function isoWeek(f: Fields): { year: number; week: number } {
  const weekday = (f.weekday + 6) % 7; // Monday 0
  // The Thursday of this week decides its year.
  const thursday = Date.UTC(f.year, f.month, f.day - weekday + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / MS_PER_DAY / 7) + 1;
  return { year, week };
}

/** Locales whose short zone names, between them, give tzdata's letters for most zones (`CET`, `EST`, `JST`). */
const ZONE_LOCALES = ["en-US", "en-GB", "en-AU", "en-IN", "en-ZA", "en-IE", "ja-JP"];
let zoneFormats: Intl.DateTimeFormat[] | null = null;

/**
 * The local time zone's abbreviation (`%Z`), as glibc takes it from tzdata: `GMT` after `!`. ICU names a zone
 * by its letters only in the locales that use them (`en-US` says `GMT+1` for Berlin, `en-GB` says `CET`), so
 * the first locale of {@linkcode ZONE_LOCALES} with letters wins; a zone none names gets tzdata's numeric form
 * (`GMT-3` is `-03`, as glibc prints São Paulo), which is glibc's text for zones without letters and differs for
 * zones whose letters no English locale uses (Shanghai's `CST` prints `+08`).
 */
function zoneName(f: Fields): string {
  if (f.utc) return "GMT";
  zoneFormats ??= ZONE_LOCALES.map((locale) => new Intl.DateTimeFormat(locale, { timeZoneName: "short" }));
  let first = "";
  for (const format of zoneFormats) {
    const name = format.formatToParts(f.date).find((p) => p.type === "timeZoneName")?.value ?? "";
    if (/^[A-Z]{2,6}$/.test(name)) return name;
    if (first === "") first = name;
  }
  const numeric = /^GMT([+-])(\d{1,2})(?::(\d\d))?$/.exec(first);
  if (numeric === null) return first;
  return `${numeric[1]}${numeric[2].padStart(2, "0")}${numeric[3] ?? ""}`;
}

/** A numeric conversion's value, its digits when not padded otherwise, and whether it pads with spaces. */
type NumberConversion = [value: number, digits: number, spaces: boolean];

/** The conversions glibc formats as numbers, which its flags pad (`%-d`, `%_d`, `%03d`). */
function numeric(c: string, f: Fields): NumberConversion | null {
  switch (c) {
    case "C":
      return [Math.floor(f.year / 100), 2, false];
    case "d":
      return [f.day, 2, false];
    case "e":
      return [f.day, 2, true];
    case "g":
      return [isoWeek(f).year % 100, 2, false];
    case "G":
      return [isoWeek(f).year, 1, false];
    case "H":
      return [f.hour, 2, false];
    case "I":
      return [f.hour % 12 || 12, 2, false];
    case "j":
      return [f.yearDay + 1, 3, false];
    case "k":
      return [f.hour, 2, true];
    case "l":
      return [f.hour % 12 || 12, 2, true];
    case "m":
      return [f.month + 1, 2, false];
    case "M":
      return [f.minute, 2, false];
    case "s":
      return [Math.floor(f.date.getTime() / 1000), 1, true];
    case "S":
      return [f.second, 2, false];
    case "u":
      return [f.weekday === 0 ? 7 : f.weekday, 1, false];
    case "U":
      return [Math.floor((f.yearDay + 7 - f.weekday) / 7), 2, false];
    case "V":
      return [isoWeek(f).week, 2, false];
    case "w":
      return [f.weekday, 1, false];
    case "W":
      return [Math.floor((f.yearDay + 7 - ((f.weekday + 6) % 7)) / 7), 2, false];
    case "y":
      return [f.year % 100, 2, false];
    case "Y":
      return [f.year, 1, false];
    default:
      return null;
  }
}

/**
 * One text conversion (`c` after `%`), or null when glibc's `strftime` has none. The numbers (`numeric`) and `%z`
 * take their flags, and are done, in `convertWithFlags`.
 */
function convert(c: string, f: Fields): string | null {
  switch (c) {
    case "a":
      return DAYS[f.weekday].slice(0, 3);
    case "A":
      return DAYS[f.weekday];
    case "b":
    case "h":
      return MONTHS[f.month].slice(0, 3);
    case "B":
      return MONTHS[f.month];
    case "c":
      return `${convert("a", f)} ${convert("b", f)} ${pad(f.day, 2, " ")} ${convert("T", f)} ${f.year}`;
    case "D":
    case "x":
      return `${pad(f.month + 1)}/${pad(f.day)}/${pad(f.year % 100)}`;
    case "F":
      return `${f.year}-${pad(f.month + 1)}-${pad(f.day)}`;
    case "n":
      return "\n";
    case "p":
      return f.hour < 12 ? "AM" : "PM";
    case "P":
      return f.hour < 12 ? "am" : "pm";
    case "r":
      return `${pad(f.hour % 12 || 12)}:${pad(f.minute)}:${pad(f.second)} ${convert("p", f)}`;
    case "R":
      return `${pad(f.hour)}:${pad(f.minute)}`;
    case "t":
      return "\t";
    case "T":
    case "X":
      return `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
    case "Z":
      return zoneName(f);
    case "%":
      return "%";
    default:
      return null;
  }
}

/** `%z`: the sign, then hours and minutes as one number of 4 digits, padded as `flag` says (`%-z` is `+100`). */
function zoneOffset(f: Fields, flag: string): string {
  const minutes = Math.abs(f.offsetMinutes);
  const value = String(Math.floor(minutes / 60) * 100 + (minutes % 60));
  const digits = flag === "-" ? value : value.padStart(4, flag === "_" ? " " : "0");
  return `${f.offsetMinutes < 0 ? "-" : "+"}${digits}`;
}

/** Conversions the `E` modifier makes invalid in glibc (written as they stand, `%Ed`); `O`'s below. */
const NOT_WITH_E = new Set("aAbBdDeFgGhHIjklmMSUVwW");
const NOT_WITH_O = new Set("aAcDFxXY");

/**
 * One conversion with glibc's flags (`-` no padding, `_` spaces, `0` zeros, `^` upper case, `#` swapped case)
 * and field width (`%10A`, `%03d`), as `strftime_l.c` applies them; null when glibc writes it as it stands.
 */
function convertWithFlags(
  c: string,
  modifier: string,
  flags: string,
  width: number,
  f: Fields,
): string | null {
  if ((modifier === "E" && NOT_WITH_E.has(c)) || (modifier === "O" && NOT_WITH_O.has(c))) return null;
  // The last padding flag counts, as glibc's loop keeps the last.
  const padFlag = [...flags].findLast((flag) => flag === "-" || flag === "_" || flag === "0") ?? "";
  const number = numeric(c, f);
  if (number !== null) {
    const [value, digits, spaces] = number;
    const fill = padFlag === "0" ? "0" : padFlag === "_" || padFlag === "-" ? " " : spaces ? " " : "0";
    // `-` drops the padding to the conversion's digits, not to a width given with it (`%-3d` is "  5").
    const target = padFlag === "-" ? width : Math.max(width, digits);
    return String(value).padStart(target, fill);
  }
  let text = c === "z" ? zoneOffset(f, padFlag) : convert(c, f);
  if (text === null) return null;
  if (c === "P") {
    // Always lower case: glibc's `%P` overrides both case flags.
  } else if (flags.includes("#") && "aAbBhZp".includes(c)) {
    text = c === "Z" || c === "p" ? text.toLowerCase() : text.toUpperCase();
  } else if (flags.includes("^")) {
    text = text.toUpperCase();
  }
  return c === "z" ? text : text.padStart(width, padFlag === "0" ? "0" : " ");
}

/**
 * `format` (without its `!`) for `f`, as glibc's `strftime` writes it: flags, a width, then the `E` or `O`
 * modifier, which changes nothing in the C locale where glibc accepts it; a conversion it does not know (or a
 * modifier it refuses there) is written as it stands, padded to the width (`%Q`, `%Ed`), as LuaJIT passes it
 * on (Lua 5.3 refuses it).
 */
function strftime(format: string, f: Fields): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const start = i++;
    let flags = "";
    while (i < format.length && "-_0^#".includes(format[i])) flags += format[i++];
    let digits = "";
    while (i < format.length && format[i] >= "0" && format[i] <= "9") digits += format[i++];
    const width = digits === "" ? 0 : Number(digits);
    let modifier = "";
    if ((format[i] === "E" || format[i] === "O") && i + 1 < format.length) modifier = format[i++];
    const c = format[i] ?? "";
    const text = c === "" ? null : convertWithFlags(c, modifier, flags, width, f);
    out += text ?? format.slice(start, i + 1).padStart(width, " ");
  }
  return out;
}

function setField(L: LuaState, key: string, value: number | boolean): void {
  if (typeof value === "boolean") lua.lua_pushboolean(L, value);
  else lua.lua_pushinteger(L, value);
  lua.lua_setfield(L, -2, key);
}

/** `os.date([format [, time]])`. */
export function osDate(L: LuaState): number {
  const text = lua.lua_type(L, 1) <= 0 ? "%c" : jsText(lauxlib.luaL_checklstring(L, 1) as Uint8Array);
  const seconds = lua.lua_type(L, 2) <= 0
    ? Math.floor(Date.now() / 1000)
    : Math.floor(lauxlib.luaL_checknumber(L, 2));
  const utc = text.startsWith("!");
  const body = utc ? text.slice(1) : text;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) lauxlib.luaL_argerror(L, 2, "time out-of-bounds");
  const f = fieldsOf(date, utc);
  if (body.startsWith("*t")) {
    lua.lua_createtable(L, 0, 9);
    setField(L, "sec", f.second);
    setField(L, "min", f.minute);
    setField(L, "hour", f.hour);
    setField(L, "day", f.day);
    setField(L, "month", f.month + 1);
    setField(L, "year", f.year);
    setField(L, "wday", f.weekday + 1);
    setField(L, "yday", f.yearDay + 1);
    setField(L, "isdst", utc ? false : isDaylightSaving(date));
    return 1;
  }
  lua.lua_pushstring(L, strftime(body, f));
  return 1;
}

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

/** The local time zone's abbreviation (`%Z`): glibc's `GMT` after `!`. */
function zoneName(f: Fields): string {
  if (f.utc) return "GMT";
  const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(f.date)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "";
}

/** One conversion (`c` after `%`, or after `%E`/`%O`), or null when C99's `strftime` has none. */
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
    case "C":
      return pad(Math.floor(f.year / 100));
    case "d":
      return pad(f.day);
    case "D":
    case "x":
      return `${pad(f.month + 1)}/${pad(f.day)}/${pad(f.year % 100)}`;
    case "e":
      return pad(f.day, 2, " ");
    case "F":
      return `${f.year}-${pad(f.month + 1)}-${pad(f.day)}`;
    case "g":
      return pad(isoWeek(f).year % 100);
    case "G":
      return String(isoWeek(f).year);
    case "H":
      return pad(f.hour);
    case "I":
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12);
    case "j":
      return pad(f.yearDay + 1, 3);
    case "m":
      return pad(f.month + 1);
    case "M":
      return pad(f.minute);
    case "n":
      return "\n";
    case "p":
      return f.hour < 12 ? "AM" : "PM";
    case "r":
      return `${convert("I", f)}:${pad(f.minute)}:${pad(f.second)} ${convert("p", f)}`;
    case "R":
      return `${pad(f.hour)}:${pad(f.minute)}`;
    case "S":
      return pad(f.second);
    case "t":
      return "\t";
    case "T":
    case "X":
      return `${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
    case "u":
      return String(f.weekday === 0 ? 7 : f.weekday);
    case "U":
      return pad(Math.floor((f.yearDay + 7 - f.weekday) / 7));
    case "V":
      return pad(isoWeek(f).week);
    case "w":
      return String(f.weekday);
    case "W":
      return pad(Math.floor((f.yearDay + 7 - ((f.weekday + 6) % 7)) / 7));
    case "y":
      return pad(f.year % 100);
    case "Y":
      return String(f.year);
    case "z": {
      const minutes = Math.abs(f.offsetMinutes);
      return `${f.offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}`;
    }
    case "Z":
      return zoneName(f);
    case "%":
      return "%";
    default:
      return null;
  }
}

/**
 * `format` (without its `!`) for `f`, as glibc's `strftime` writes it: the `E` and `O` modifiers change nothing
 * in the C locale, and a conversion it does not know is written as it stands (`%Q`), as LuaJIT passes it on
 * (Lua 5.3 refuses it).
 */
function strftime(format: string, f: Fields): string {
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch !== "%") {
      out += ch;
      continue;
    }
    const start = i;
    let c = format[++i] ?? "";
    if ((c === "E" || c === "O") && i + 1 < format.length) c = format[++i];
    out += (c === "" ? null : convert(c, f)) ?? format.slice(start, i + 1);
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

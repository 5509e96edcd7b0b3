/**
 * `os.date` as wrk's LuaJIT gives it (lib/script/compat/_os_date.ts): every C99 conversion in UTC (`!`), the
 * ISO week (`%G %g %V`) at year ends, `%j` from 001, `!*t` with `isdst`, and a conversion glibc does not know
 * written as it stands. The expected output is LuaJIT's, checked again when `luajit` is installed.
 */
import { assertEquals } from "@std/assert";
import { assertLuajitPrints, LUAJIT, underWrkDeno } from "../_luajit.ts";

const SCRIPT = `
local t = 1796549739
for _, f in ipairs({ "!%j", "!%G %g %V", "!%Y-%m-%d %H:%M:%S", "!%a %A %b %B %c",
  "!%C %d %D %e %F %h %I %p %r %R %T %u %U %w %W %x %X %y %z %Z %%", "!%Ey %Od" }) do
  print(os.date(f, t))
end
print(os.date("!%j", 0), os.date("!%j", 86400 * 59), os.date("!%G-W%V-%u", 1230768000), os.date("!%G-W%V-%u", 1262217600))
local tt = os.date("!*t", t)
print(tt.year, tt.month, tt.day, tt.hour, tt.min, tt.sec, tt.wday, tt.yday, tt.isdst)
print(pcall(os.date, "!%Q", 0))
print(pcall(os.date, "!%Ez", 0))
print(type(os.date()), os.date("!%H", 3600.7), type(os.date("*t").isdst))
`;

const EXPECTED = "340\n" +
  "2026 26 49\n" +
  "2026-12-06 09:35:39\n" +
  "Sun Sunday Dec December Sun Dec  6 09:35:39 2026\n" +
  "20 06 12/06/26  6 2026-12-06 Dec 09 AM 09:35:39 AM 09:35 09:35:39 7 49 0 48 12/06/26 09:35:39 26 +0000 GMT %\n" +
  "26 06\n" +
  "001\t060\t2009-W01-4\t2009-W53-4\n" +
  "2026\t12\t6\t9\t35\t39\t1\t340\tfalse\n" +
  "true\t%Q\n" +
  "true\t+0000\n" +
  "string\t01\tboolean\n";

Deno.test("os.date gives LuaJIT's text for every conversion, the ISO week, %j from 001 and !*t", async () => {
  assertEquals(await underWrkDeno(SCRIPT), EXPECTED);
});

Deno.test("LuaJIT prints what the os.date test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(SCRIPT, EXPECTED);
});

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

/** glibc's flags and widths, which scripts use for unpadded days and hours (`%-d`, `%-H`). */
const FLAGS_SCRIPT = `
local t = 1704430865
print(os.date("!%-d %_d %03d %0e %-e %-3d|%_3d|%5j %-j %-m %_H %-I %-l %-k", t))
print(os.date("!%-Y %6G %-6G|%2u %-U %-V %15s|%_15s", t))
print(os.date("!%^a %#A %^B %#b %#p %^P %#Z %10A|%010A|%-10a|%10T|%010D", t))
print(os.date("!%-z %_z %-Od %_EY %-Ed %E-d %5% %-q %3", t))
`;

const FLAGS_EXPECTED = "5  5 005 05 5   5|  5|00005 5 1  5 5 5 5\n" +
  "2024 002024   2024|05 0 1      1704430865|     1704430865\n" +
  "FRI FRIDAY JANUARY JAN am am gmt     Friday|0000Friday|       Fri|  05:01:05|0001/05/24\n" +
  "+0 +   0 5 2024 %-Ed %E-d     % %-q  %3\n";

Deno.test("os.date pads, unpads and changes case with glibc's flags and widths (%-d, %_d, %03d, %^a)", async () => {
  assertEquals(await underWrkDeno(FLAGS_SCRIPT), FLAGS_EXPECTED);
});

Deno.test("LuaJIT prints what the os.date flags test expects", { ignore: LUAJIT === null }, async () => {
  await assertLuajitPrints(FLAGS_SCRIPT, FLAGS_EXPECTED);
});

/** `%Z` and `%z` in winter and summer, local time: the time zone comes from TZ, which a child process takes. */
const ZONE_SCRIPT = `print(os.date("%Z %z", 1700000000), os.date("%Z %z", 1690000000))`;

/** What `source` prints in a thread's state of a child Deno whose time zone is `zone`. */
async function underWrkDenoIn(zone: string, source: string): Promise<string> {
  const driver = `import { underWrkDeno } from "./tests/script/_luajit.ts";\n` +
    `await Deno.stdout.write(new TextEncoder().encode(await underWrkDeno(${JSON.stringify(source)})));`;
  const root = new URL("../../../", import.meta.url).pathname;
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", `${root}deno.json`, driver],
    cwd: root,
    env: { TZ: zone },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  assertEquals(output.code, 0, decoder.decode(output.stderr));
  return decoder.decode(output.stdout);
}

Deno.test("os.date's %Z is the zone's abbreviation where an English locale has it (CET, EST), else tzdata's -03", async () => {
  assertEquals(await underWrkDenoIn("Europe/Berlin", ZONE_SCRIPT), "CET +0100\tCEST +0200\n");
  assertEquals(await underWrkDenoIn("America/New_York", ZONE_SCRIPT), "EST -0500\tEDT -0400\n");
  assertEquals(await underWrkDenoIn("America/Sao_Paulo", ZONE_SCRIPT), "-03 -0300\t-03 -0300\n");
});

Deno.test("LuaJIT prints what the %Z test expects", { ignore: LUAJIT === null }, async () => {
  for (
    const [zone, expected] of [
      ["Europe/Berlin", "CET +0100\tCEST +0200\n"],
      ["America/New_York", "EST -0500\tEDT -0400\n"],
      ["America/Sao_Paulo", "-03 -0300\t-03 -0300\n"],
    ]
  ) {
    const output = await new Deno.Command(LUAJIT!, {
      args: ["-e", ZONE_SCRIPT],
      env: { TZ: zone },
      stdout: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(output.stdout), expected, zone);
  }
});

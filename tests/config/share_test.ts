import { assertEquals } from "@std/assert";
import { shareOf } from "../../lib/config/share.ts";

Deno.test("shareOf() gives the remainder to the first parts", () => {
  assertEquals([0, 1, 2].map((i) => shareOf(10, 3, i)), [4, 3, 3]);
  assertEquals([0, 1].map((i) => shareOf(4, 2, i)), [2, 2]);
});

/**
 * The stats userdata `done(summary, latency, requests)` receives (docs/wrk-compat.md#done-and-stats-objects): `.min .max .mean .stdev`,
 * `:percentile(p)`, `#stats` and `stats(i)`. Every number is pushed as a float: fengari's integers are 32-bit
 * and latencies, counts and byte totals can exceed them.
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaState } from "./fengari/_lua.ts";
import type { Stats } from "../stats/stats.ts";

/** The part of {@linkcode Stats} the userdata reads (tests may pass a fake). */
export type StatsView = Pick<
  Stats,
  "min" | "max" | "mean" | "stdev" | "percentile" | "distinctCount" | "distinct"
>;

/** Metatable name of stats userdata (as in wrk). */
export const STATS_TYPE = "wrk.stats";

function check(L: LuaState): StatsView {
  return lauxlib.luaL_checkudata(L, 1, STATS_TYPE).stats as StatsView;
}

/** Creates the stats metatable in this state (once per state). */
export function installStatsType(L: LuaState): void {
  lauxlib.luaL_newmetatable(L, STATS_TYPE);
  lua.lua_pushjsfunction(L, (L1) => {
    lua.lua_pushnumber(L1, check(L1).percentile(lauxlib.luaL_checknumber(L1, 2)));
    return 1;
  });
  lua.lua_pushjsclosure(L, (L1) => {
    const stats = check(L1);
    const key = lua.lua_type(L1, 2) === lua.LUA_TSTRING ? jsText(lua.lua_tolstring(L1, 2) as Uint8Array) : "";
    switch (key) {
      case "min":
        lua.lua_pushnumber(L1, stats.min);
        break;
      case "max":
        lua.lua_pushnumber(L1, stats.max);
        break;
      case "mean":
        lua.lua_pushnumber(L1, stats.mean);
        break;
      case "stdev":
        lua.lua_pushnumber(L1, stats.stdev);
        break;
      case "percentile":
        lua.lua_pushvalue(L1, lua.lua_upvalueindex(1));
        break;
      default:
        lua.lua_pushnil(L1);
    }
    return 1;
  }, 1);
  lua.lua_setfield(L, -2, "__index");
  lua.lua_pushjsfunction(L, (L1) => {
    lua.lua_pushnumber(L1, check(L1).distinctCount());
    return 1;
  });
  lua.lua_setfield(L, -2, "__len");
  lua.lua_pushjsfunction(L, (L1) => {
    const entry = check(L1).distinct(lauxlib.luaL_checknumber(L1, 2));
    if (entry === undefined) {
      lua.lua_pushnil(L1);
      lua.lua_pushnil(L1);
    } else {
      lua.lua_pushnumber(L1, entry[0]);
      lua.lua_pushnumber(L1, entry[1]);
    }
    return 2;
  });
  lua.lua_setfield(L, -2, "__call");
  lua.lua_pop(L, 1);
}

/** Pushes a stats userdata reading `stats`. */
export function pushStats(L: LuaState, stats: StatsView): void {
  const box = lua.lua_newuserdata(L, 0);
  box.stats = stats;
  lauxlib.luaL_setmetatable(L, STATS_TYPE);
}

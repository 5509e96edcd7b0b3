/**
 * The stats userdata `done(summary, latency, requests)` receives (docs/wrk-compat.md#done-and-stats-objects):
 * `.min .max .mean .stdev`, `:percentile(p)`, `#stats` and `stats(i)`; another key reads as itself, as in wrk.
 * Every number is pushed as a float: fengari's integers are 32-bit and latencies, counts and byte totals can
 * exceed them. A `-R` run's stats read wrk2's figures and indexing ({@linkcode rateModeStatsView}), as its
 * report does.
 *
 * @module
 */

import { jsText, lauxlib, lua, type LuaState } from "./fengari/_lua.ts";
import type { Stats } from "../stats/stats.ts";
import { hdrFigures, hdrPercentileLookup, hdrValueAtPercentile } from "../stats/hdr_figures.ts";

/** The part of {@linkcode Stats} the userdata reads (tests may pass a fake). */
export type StatsView =
  & Pick<Stats, "min" | "max" | "mean" | "stdev" | "percentile" | "distinctCount" | "distinct">
  & {
    /**
     * wrk2's `#stats` and `stats[i]` (`script_stats_len`, `script_stats_get` over its histogram): the samples'
     * count, and the value at percentile 100·i/count. Absent: wrk's (the distinct values, and the key itself).
     */
    samples?: { count: number; valueAt(index: number): number };
  };

/**
 * A `-R` run's `latency` and `requests` as wrk2's `done()` reads them (both are histograms there): `min`,
 * `max`, `mean`, `stdev` and `percentile(p)` off the histogram by wrk2's rules (`hdr_min`, `hdr_max`,
 * `hdr_mean`, `hdr_stddev`, `hdr_value_at_percentile`: lib/stats/hdr_figures.ts), the figures its report
 * prints; `#stats` the samples' count and `stats[i]` the value at percentile 100·i/`#stats`, so that wrk2's
 * `for i = 1, #latency do … latency[i] … end` walks the samples in order; `stats(i)` as for any stats object.
 */
export function rateModeStatsView(stats: Stats): StatsView {
  const figures = hdrFigures(stats);
  const count = stats.count;
  let lookup: ((percentile: number) => number) | null = null;
  const empty = count === 0;
  return {
    min: figures.min,
    max: figures.max,
    // Without samples wrk2's hdr_mean and hdr_stddev divide 0 by 0 (NaN); 0 here, as a closed-loop run gives.
    mean: empty ? 0 : figures.mean,
    stdev: empty ? 0 : figures.stdev,
    percentile: (p: number) => hdrValueAtPercentile(stats, p),
    distinctCount: () => stats.distinctCount(),
    distinct: (i: number) => stats.distinct(i),
    // wrk2 divides by the count as a double: with none, every index is past 100 %, which reads 0. The lookup is
    // made on the first index read: a loop over every sample reads it once per sample.
    samples: {
      count,
      valueAt: (index) => (lookup ??= hdrPercentileLookup(stats))((100 * index) / count),
    },
  };
}

/** Metatable name of stats userdata (as in wrk). */
export const STATS_TYPE = "wrk.stats";

function check(L: LuaState): StatsView {
  return lauxlib.luaL_checkudata(L, 1, STATS_TYPE).stats as StatsView;
}

/** Creates the stats metatable in this state (once per state). */
export function installStatsType(L: LuaState): void {
  lauxlib.luaL_newmetatable(L, STATS_TYPE);
  // No `__name`: Lua 5.3's tostring would print "wrk.stats: 0x…" where LuaJIT, wrk's Lua, prints "userdata: 0x…".
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, "__name");
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
        // wrk's script_stats_index pushes nothing for another key and returns the key itself, made a string by
        // `lua_tostring` (`requests.total` is "total", `latency[1]` is "1"); scripts print such values. wrk2
        // reads a number as a rank in the samples (`samples`).
        if (lua.lua_type(L1, 2) === lua.LUA_TNUMBER && stats.samples !== undefined) {
          // luaL_checkint: the index as an integer, truncated.
          lua.lua_pushnumber(L1, stats.samples.valueAt(Math.trunc(lua.lua_tonumberx(L1, 2) as number)));
        } else if (lua.lua_type(L1, 2) === lua.LUA_TNUMBER) {
          lua.lua_pushvalue(L1, 2);
          lua.lua_tolstring(L1, -1);
        } else if (lua.lua_type(L1, 2) === lua.LUA_TSTRING) {
          lua.lua_pushvalue(L1, 2);
        } else {
          lua.lua_pushnil(L1);
        }
    }
    return 1;
  }, 1);
  lua.lua_setfield(L, -2, "__index");
  lua.lua_pushjsfunction(L, (L1) => {
    const stats = check(L1);
    lua.lua_pushnumber(L1, stats.samples?.count ?? stats.distinctCount());
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

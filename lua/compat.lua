-- Lua 5.1 / LuaJIT compatibility for wrk scripts running on fengari (Lua 5.3).
--
-- Loaded into every state after the JS half of the shim (lib/script/compat/_compat.ts), which already replaced
-- print, tostring, next, pairs, string.format, table.concat, math.random, os.clock, os.exit, os.getenv and
-- collectgarbage, and added bit.*, math.log10, math.frexp and math.ldexp. This file adds what is simpler to write in Lua.
-- It is embedded compiled in lib/script/compat/_compat_luac.ts; a test keeps the two in step.
--
-- The chunk receives one argument: a table of JS helpers (writer, and the file helpers of
-- lib/script/compat/_files.ts: open, read, write, seek, flush, close, setvbuf, remove, rename).

local H = ...

local type, pairs, error, select, setmetatable, getmetatable = type, pairs, error, select, setmetatable, getmetatable
local tonumber, tostring = tonumber, tostring
local floor, fmod, exp, atan = math.floor, math.fmod, math.exp, math.atan
local sfind, ssub, smatch, sgsub = string.find, string.sub, string.match, string.gsub
local tunpack = table.unpack

-- Base library ---------------------------------------------------------------------------------------------

unpack = tunpack
loadstring = load

local getupvalue, upvaluejoin, getinfo = debug.getupvalue, debug.upvaluejoin, debug.getinfo

-- Lua 5.2+ keeps a function's environment in its _ENV upvalue: find it.
local function envindex(f)
  local i = 1
  while true do
    local name = getupvalue(f, i)
    if name == "_ENV" then
      return i
    elseif name == nil then
      return nil
    end
    i = i + 1
  end
end

-- A function or a stack level (1 = the caller of getfenv/setfenv) as a function; nil for level 0.
local function tofunction(f, fname)
  if f == nil then
    f = 1
  end
  if type(f) == "number" then
    if f == 0 then
      return nil
    end
    local info = f > 0 and getinfo(f + 2, "f")
    if not info then
      error("bad argument #1 to '" .. fname .. "' (invalid level)", 3)
    end
    return info.func
  end
  if type(f) ~= "function" then
    error("bad argument #1 to '" .. fname .. "' (function or level expected)", 3)
  end
  return f
end

function getfenv(f)
  local fn = tofunction(f, "getfenv")
  local i = fn and envindex(fn)
  if not i then
    return _G
  end
  local _, env = getupvalue(fn, i)
  return env
end

-- Best effort: a function that uses no globals has no _ENV and keeps running unchanged.
function setfenv(f, t)
  if type(t) ~= "table" then
    error("bad argument #2 to 'setfenv' (table expected, got " .. type(t) .. ")", 2)
  end
  local fn = tofunction(f, "setfenv")
  if not fn then
    error("setfenv(0, t) (replacing the global environment) is not supported", 2)
  end
  local i = envindex(fn)
  if i then
    -- Join with a fresh upvalue so other functions sharing this _ENV keep theirs.
    upvaluejoin(fn, i, function() return t end, 1)
  end
  return fn
end

-- Lua 5.1's module system, as older modules next to wrk scripts use it: `module("name", package.seeall)` (or
-- `module(..., package.seeall)`) makes the module's table the environment of the rest of its file.

-- The table at the dotted `name` under `root`, created where missing; nil when a part is not a table.
local function findtable(root, name)
  local t = root
  for part in string.gmatch(name, "[^.]+") do
    local v = rawget(t, part)
    if v == nil then
      v = {}
      rawset(t, part, v)
    elseif type(v) ~= "table" then
      return nil
    end
    t = v
  end
  return t
end

function module(name, ...)
  if type(name) == "number" then
    name = tostring(name)
  elseif type(name) ~= "string" then
    error("bad argument #1 to 'module' (string expected, got " .. type(name) .. ")", 2)
  end
  local m = package.loaded[name]
  if type(m) ~= "table" then
    m = findtable(_G, name)
    if m == nil then
      error("name conflict for module '" .. name .. "'", 2)
    end
    package.loaded[name] = m
  end
  if m._NAME == nil then
    m._M = m
    m._NAME = name
    -- The name up to and with its last dot ("a.b." of "a.b.c"), as Lua 5.1 sets it.
    m._PACKAGE = ssub(name, 1, #name - #(smatch(name, "[^.]*$")))
  end
  setfenv(2, m)
  for i = 1, select("#", ...) do
    local option = select(i, ...)
    -- Lua 5.3's require passes a module's file name after its name: `module(...)` sees it, and skips it.
    if type(option) ~= "string" then
      option(m)
    end
  end
end

function package.seeall(m)
  local mt = getmetatable(m)
  if mt == nil then
    mt = {}
    setmetatable(m, mt)
  end
  mt.__index = _G
end

-- table ----------------------------------------------------------------------------------------------------

function table.getn(t)
  return #t
end

function table.maxn(t)
  local max = 0
  for k in pairs(t) do
    if type(k) == "number" and k > max then
      max = k
    end
  end
  return max
end

function table.foreach(t, f)
  for k, v in pairs(t) do
    local r = f(k, v)
    if r ~= nil then
      return r
    end
  end
end

function table.foreachi(t, f)
  for i = 1, #t do
    local r = f(i, t[i])
    if r ~= nil then
      return r
    end
  end
end

-- math -----------------------------------------------------------------------------------------------------

function math.pow(x, y)
  return x ^ y
end

math.mod = fmod

function math.atan2(y, x)
  return atan(y, x)
end

function math.cosh(x)
  return (exp(x) + exp(-x)) / 2
end

function math.sinh(x)
  return (exp(x) - exp(-x)) / 2
end

function math.tanh(x)
  local a, b = exp(x), exp(-x)
  return (a - b) / (a + b)
end

-- string ---------------------------------------------------------------------------------------------------

string.gfind = string.gmatch

-- os -------------------------------------------------------------------------------------------------------

local time = os.time

-- fengari's integers are 32-bit: os.time() * 1000 would wrap. A float keeps arithmetic exact.
function os.time(t)
  return time(t) + 0.0
end


-- io: files on Deno's handles (lib/script/compat/_files.ts); writing only where allowed --------------------------

local FILE = {}
local FILE_MT = { __index = FILE, __name = "FILE*" }

function FILE_MT.__tostring(f)
  if f.closed then
    return "file (closed)"
  end
  return f.label
end

local opened = 0

local function newfile(id, kind)
  opened = opened + 1
  local label = "file (0x" .. string.format("%08x", opened) .. ")"
  return setmetatable({ id = id, closed = false, kind = kind, label = label }, FILE_MT)
end

local function checkfile(f, fname)
  if getmetatable(f) ~= FILE_MT then
    error("bad argument #1 to '" .. fname .. "' (FILE* expected, got " .. type(f) .. ")", 3)
  end
  if f.closed then
    error("attempt to use a closed file", 3)
  end
  return f
end

local function checkformat(format, i)
  if type(format) == "number" or (type(format) == "string" and smatch(format, "^%*?[nlLa]")) then
    return format
  end
  error("bad argument #" .. i .. " to 'read' (invalid format)", 4)
end

local function readall(f, ...)
  local n = select("#", ...)
  if n == 0 then
    return H.read(f.id, "l")
  end
  local results = {}
  for i = 1, n do
    local v, message, code = H.read(f.id, checkformat((select(i, ...)), i))
    if v == nil then
      if message ~= nil then
        return nil, message, code
      end
      return tunpack(results, 1, i)
    end
    results[i] = v
  end
  return tunpack(results, 1, n)
end

local function badfd()
  return nil, "Bad file descriptor", 9
end

function FILE.read(f, ...)
  checkfile(f, "read")
  if f.kind ~= "file" then
    return badfd()
  end
  return readall(f, ...)
end

function FILE.lines(f, ...)
  checkfile(f, "lines")
  local formats = { n = select("#", ...), ... }
  return function()
    if f.closed then
      error("file is already closed", 2)
    end
    if f.kind ~= "file" then
      return nil
    end
    return readall(f, tunpack(formats, 1, formats.n))
  end
end

function FILE.seek(f, whence, offset)
  checkfile(f, "seek")
  whence, offset = whence or "cur", offset or 0
  if whence ~= "set" and whence ~= "cur" and whence ~= "end" then
    error("bad argument #1 to 'seek' (invalid option '" .. tostring(whence) .. "')", 2)
  end
  if type(offset) ~= "number" then
    error("bad argument #2 to 'seek' (number expected, got " .. type(offset) .. ")", 2)
  end
  if f.kind ~= "file" then
    return nil, "Illegal seek", 29
  end
  return H.seek(f.id, whence, offset)
end

function FILE.write(f, ...)
  checkfile(f, "write")
  if f.kind ~= "file" then
    return badfd()
  end
  local ok, message, code = H.write(f.id, ...)
  if not ok then
    return nil, message, code
  end
  return f
end

-- Without an argument (`f.close()`, a slip for `f:close()` that scripts make), LuaJIT closes the default output,
-- as io.close() does: nil and "cannot close standard file", no error.
function FILE.close(...)
  if select("#", ...) == 0 then
    return io.close()
  end
  local f = ...
  checkfile(f, "close")
  if f.kind ~= "file" then
    return nil, "cannot close standard file"
  end
  f.closed = true
  return H.close(f.id)
end

function FILE.flush(f)
  checkfile(f, "flush")
  if f.kind ~= "file" then
    return true
  end
  return H.flush(f.id)
end

function FILE.setvbuf(f, mode)
  checkfile(f, "setvbuf")
  if f.kind ~= "file" then
    return true
  end
  return H.setvbuf(f.id, mode)
end

io.stdin = newfile(nil, "stdin")
io.stdout = newfile(nil, "stdout")
io.stderr = newfile(nil, "stderr")
-- Writers are JS functions called directly by the script, so argument errors point at the script's line.
io.stdout.write = H.writer("stdout", nil)
io.stderr.write = H.writer("stderr", nil)
local stdoutwrite = H.writer("stdout", io.stdout)
io.write = stdoutwrite
local input, output = io.stdin, io.stdout

function io.open(filename, mode)
  if type(filename) ~= "string" then
    error("bad argument #1 to 'open' (string expected, got " .. type(filename) .. ")", 2)
  end
  mode = mode or "r"
  if type(mode) ~= "string" or not smatch(mode, "^[rwa]%+?b?$") then
    error("bad argument #2 to 'open' (invalid mode)", 2)
  end
  local id, message, code = H.open(filename, mode)
  if id == nil then
    return nil, message, code
  end
  return newfile(id, "file")
end

-- What one step of io.lines read, every format's value; the file closed once the first is nil (its end).
local function closeatend(f, v, ...)
  if v == nil then
    f:close()
  end
  return v, ...
end

function io.lines(filename, ...)
  if filename == nil then
    return input:lines(...)
  end
  local f, message = io.open(filename)
  if not f then
    error(message, 2)
  end
  local n = select("#", ...)
  if n == 0 then
    -- The usual `for line in io.lines(name)`: one read per line, without the formats' packing.
    local id = f.id
    return function()
      if f.closed then
        return nil
      end
      return closeatend(f, H.read(id, "l"))
    end
  end
  local formats = { n = n, ... }
  return function()
    if f.closed then
      return nil
    end
    return closeatend(f, readall(f, tunpack(formats, 1, formats.n)))
  end
end

function io.read(...)
  return input:read(...)
end

function io.input(file)
  if file == nil then
    return input
  end
  if type(file) == "string" then
    local f, message = io.open(file)
    if not f then
      error(message, 2)
    end
    input = f
  else
    input = checkfile(file, "input")
  end
  return input
end

local function setoutput(f)
  output = f
  if f == io.stdout then
    io.write = stdoutwrite
  else
    io.write = function(...)
      return f:write(...)
    end
  end
end

function io.output(file)
  if file == nil then
    return output
  end
  if type(file) == "string" then
    local f, message = io.open(file, "w")
    if not f then
      error(message, 2)
    end
    setoutput(f)
  else
    setoutput(checkfile(file, "output"))
  end
  return output
end

-- What f:close() returns, as many values as it returns (a success is one value, as in LuaJIT).
local function closed(f, ...)
  if f == output then
    setoutput(io.stdout)
  end
  return ...
end

function io.close(f)
  f = f or output
  return closed(f, checkfile(f, "close"):close())
end

function io.flush()
  return output:flush()
end

function io.type(obj)
  if getmetatable(obj) ~= FILE_MT then
    return nil
  end
  return obj.closed and "closed file" or "file"
end

function io.popen()
  error("io.popen() is not supported in wrk-deno", 2)
end

function io.tmpfile()
  return nil, "io.tmpfile() is not supported in wrk-deno", 38
end

-- true, or nil, message, errno: the helpers answer as Lua's own do.
os.remove = H.remove
os.rename = H.rename

-- A load-generator script has no business running commands on the machine it runs on.
for _, name in ipairs({ "execute", "tmpname" }) do
  os[name] = function()
    error("os." .. name .. "() is not supported in wrk-deno (scripts cannot run commands)", 2)
  end
end

-- require: modules are Lua files only. A missing module gets one line that says so, and what to use instead for
-- the C modules wrk scripts reach for (fengari, Lua in JavaScript, cannot load C).
local require0 = require
local PURE_LUA = {
  cjson = "a pure-Lua JSON module such as rxi's json.lua or dkjson.lua, in the working directory",
  ["cjson.safe"] = "a pure-Lua JSON module such as rxi's json.lua or dkjson.lua, in the working directory",
  socket = "no socket library: wrk.lookup and wrk.connect cover what a load script needs",
  lfs = "io.open and os.rename/os.remove (with --write) for files",
}

function require(name)
  local ok, result = pcall(require0, name)
  if ok then
    return result
  end
  if type(name) == "string" and type(result) == "string" and sfind(result, "^module '.-' not found:") then
    local hint = PURE_LUA[name]
    if hint then
      error("module '" .. name .. "' not found: wrk-deno loads Lua modules only, no C modules; use " .. hint, 2)
    end
    -- Lua's own message lists every file tried, one per line; one line names where they were looked for.
    error("module '" .. name .. "' not found: no Lua file for it on package.path (" .. tostring(package.path) ..
      ", relative to the working directory)", 2)
  end
  error(result, 0)
end

-- The benchmark's Lua-heavy case: every request() builds a JSON body with a small pure-Lua encoder (string
-- escapes with gsub, numbers through string.format("%.2f"), keys in sorted order with table.sort, pieces
-- joined with table.concat) from a dozen fields picked with math.random, then formats a POST. It stands for
-- scripts that do real Lua work per request, where the interpreter's speed, not the socket's, is the limit.

local escapes = {
  ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
}

local function escape_char(c)
  return escapes[c] or string.format("\\u%04x", c:byte())
end

local encode

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', escape_char) .. '"'
end

local function encode_number(n)
  if n % 1 == 0 then
    return string.format("%d", n)
  end
  return string.format("%.2f", n)
end

local function encode_table(t)
  local parts = {}
  if #t > 0 then
    for i = 1, #t do parts[i] = encode(t[i]) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for i, k in ipairs(keys) do
    parts[i] = encode_string(k) .. ":" .. encode(t[k])
  end
  return "{" .. table.concat(parts, ",") .. "}"
end

encode = function(v)
  local kind = type(v)
  if kind == "string" then return encode_string(v) end
  if kind == "number" then return encode_number(v) end
  if kind == "boolean" then return tostring(v) end
  if kind == "table" then return encode_table(v) end
  return "null"
end

local names = { "Ada \"the first\" Lovelace", "Grace\tHopper", "Alan\\Turing", "Edsger W.\nDijkstra",
  "Barbara Liskov", "Donald \"TeX\" Knuth", "Ken\rThompson", "Frances E. Allen" }
local cities = { "Zürich", "São Paulo", "New\tYork", "Kraków \"old town\"", "Reykjavík", "Nairobi" }
local tags = { "alpha", "beta", "gamma", "delta\\epsilon", "zeta", "eta\ntheta" }
local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
local counter = 0

math.randomseed(42)

request = function()
  counter = counter + 1
  local doc = {
    id = counter,
    name = names[math.random(#names)],
    city = cities[math.random(#cities)],
    email = "user" .. math.random(100000) .. "@example.com",
    price = math.random() * 1000,
    discount = math.random(0, 50) / 7,
    quantity = math.random(1, 20),
    active = math.random() < 0.5,
    note = "line one\nline \"two\"\twith tab\\backslash",
    score = math.random() * 100 - 50,
    tags = { tags[math.random(#tags)], tags[math.random(#tags)], tags[math.random(#tags)] },
    address = { street = "Main St. " .. math.random(999), zip = string.format("%05d", math.random(99999)) },
  }
  return wrk.format("POST", "/orders/" .. counter, headers, encode(doc))
end

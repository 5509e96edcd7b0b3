-- The benchmark's static case: request() returns the same pre-built request every time, so the figure shows
-- the cost of calling into Lua per request.
local req

init = function(args)
  req = wrk.format()
end

request = function()
  return req
end

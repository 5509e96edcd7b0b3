-- The benchmark's scripted case: a changing path and header per request, and a response() that reads the
-- status and one header (what most real wrk scripts do).
local counter = 0
local ok = 0

request = function()
  counter = counter + 1
  wrk.headers["X-Counter"] = counter
  return wrk.format(nil, "/item/" .. counter)
end

response = function(status, headers, body)
  if status == 200 and headers["Content-Type"] then
    ok = ok + 1
  end
end

-- The benchmark's pipelined case, as public framework benchmarks drive servers (TechEmpower's plaintext test):
-- request() returns the same 16 requests, built once, so every write carries 16 and every read many responses.
-- Both tools count 16 requests per batch (wrk parses the batch once at start to learn its depth).
local req

init = function(args)
  local one = wrk.format()
  local batch = {}
  for i = 1, 16 do
    batch[i] = one
  end
  req = table.concat(batch)
end

request = function()
  return req
end

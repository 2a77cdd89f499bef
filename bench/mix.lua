-- wrk script: each connection walks the mix of pages (one path a line, in the file
-- named by MIX_PATHS) round-robin; at the end, one JSON line of the results. wrk counts
-- answers with a status of 400 or more in errors.status.
local paths = {}
for line in io.lines(os.getenv("MIX_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"duration_s": %.1f, "requests": %d, "requests_per_s": %.1f, "p50_ms": %.1f, ' ..
    '"p95_ms": %.1f, "p99_ms": %.1f, "errors": %d, "non_2xx": %d}\n',
    summary.duration / 1e6, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout + e.status,
    e.status))
end

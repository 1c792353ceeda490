-- wrk script: GET the URL given on the command line; prints one result line, as post_event.lua.
-- PILOT_WEB_TOKEN, when set, is sent as a bearer token (the dashboard).
local token = os.getenv("PILOT_BENCH_BEARER")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

done = function(summary, latency, requests)
  io.write(string.format("result rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end

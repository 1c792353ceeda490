-- wrk script: POST the same valid pilot.signed event to pilot-web's /events.
-- A repeated id is accepted (the workers' inboxes dedupe), so one body serves.
-- The token comes from the environment, as pilot-web's does.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/cloudevents+json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PILOT_WEB_TOKEN")
wrk.body = [[{"specversion":"1.0","id":"bench-0001","source":"/bench","type":"pilot.signed","subject":"bench-2026-12","time":"2026-12-01T09:00:00Z","datacontenttype":"application/json","dataschema":"pilot.signed.v1","data":{"signed_at":"2026-12-01T08:59:00Z","signed_by":{"name":"Dana Whitfield","email":"dana@acme.example"},"method":"docusign","start_date":"2026-12-02"}}]]

done = function(summary, latency, requests)
  -- errors counts answers other than 2xx/3xx (status) and socket failures.
  io.write(string.format("result rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end

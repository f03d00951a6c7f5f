-- Shared by the wrk scripts: each thread sends the prepared requests in turn from its own
-- offset, and the run ends with one BENCH_JSON line of figures. A script loads this file,
-- then defines init(args), which calls rotation_load with the request of one line of its file.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function rotation_load(path, format)
  requests_ = {}
  for line in io.lines(path) do
    table.insert(requests_, format(line))
  end
  counter = 1 + (id or 0) * 997 % #requests_
end

function request()
  local req = requests_[counter]
  counter = counter + 1
  if counter > #requests_ then
    counter = 1
  end
  return req
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, ' ..
    '"non_2xx_3xx": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors, summary.errors.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

-- wrk script: POST every JSON body of a file in turn to /v1/places/search (or PATH).
-- Arguments: BODIES_FILE TOKEN [PATH]. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = {
    ["Authorization"] = "Bearer " .. args[2],
    ["Content-Type"] = "application/json",
  }
  local path = args[3] or "/v1/places/search"
  requests_ = {}
  for line in io.lines(args[1]) do
    table.insert(requests_, wrk.format("POST", path, headers, line))
  end
  rotation_start()
end

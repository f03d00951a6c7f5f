-- wrk script: POST every JSON body of a file in turn to /v1/places/search.
-- Arguments: BODIES_FILE TOKEN. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = {
    ["Authorization"] = "Bearer " .. args[2],
    ["Content-Type"] = "application/json",
  }
  requests_ = {}
  for line in io.lines(args[1]) do
    table.insert(requests_, wrk.format("POST", "/v1/places/search", headers, line))
  end
  rotation_start()
end

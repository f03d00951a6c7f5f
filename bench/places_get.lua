-- wrk script: GET every path of a file in turn (autocomplete, reverse geocoding).
-- Arguments: PATHS_FILE TOKEN. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. args[2] }
  requests_ = {}
  for line in io.lines(args[1]) do
    table.insert(requests_, wrk.format("GET", line, headers))
  end
  rotation_start()
end

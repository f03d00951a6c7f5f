-- wrk script: GET every path of a file in turn (autocomplete, reverse geocoding).
-- Arguments: PATHS_FILE TOKEN. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = { ["Authorization"] = "Bearer " .. args[2] }
  rotation_load(args[1], function(line) return wrk.format("GET", line, headers) end)
end

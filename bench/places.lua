-- wrk script: POST every JSON body of a file in turn to /v1/places/search (or PATH).
-- Arguments: BODIES_FILE TOKEN [PATH]. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = {
    ["Authorization"] = "Bearer " .. args[2],
    ["Content-Type"] = "application/json",
  }
  local path = args[3] or "/v1/places/search"
  rotation_load(args[1], function(line) return wrk.format("POST", path, headers, line) end)
end

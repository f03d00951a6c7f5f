-- wrk script: GET every path of a list in turn, each thread from its own offset.
-- Arguments: PATHS_FILE [TOKEN]. Prints one BENCH_JSON line with the figures at the end.

dofile("bench/wrk_rotation.lua")

function init(args)
  local headers = { ["Accept-Encoding"] = "gzip" }
  if args[2] ~= nil and args[2] ~= "" then
    headers["Authorization"] = "Bearer " .. args[2]
  end
  rotation_load(args[1], function(line) return wrk.format("GET", line, headers) end)
end

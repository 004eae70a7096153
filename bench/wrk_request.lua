-- wrk request for bench/serve_load.sh: POST the file in $BODY_FILE (GET when
-- empty) with the key in $BULWARK_KEY.
local path = os.getenv("BODY_FILE")
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BULWARK_KEY") or "")
if path and path ~= "" then
  local f = assert(io.open(path, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

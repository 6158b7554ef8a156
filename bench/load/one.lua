-- wrk script: one valid analysis request, repeated (bench/load/threads.sh).
-- Env: OCULAR_KEY, OCULAR_IMAGE (file), OCULAR_PATH (path + query).
local f = assert(io.open(os.getenv("OCULAR_IMAGE"), "rb"))
local image = f:read("*all")
f:close()
wrk.method = "POST"
wrk.body = image
wrk.path = os.getenv("OCULAR_PATH")
wrk.headers["Ocp-Apim-Subscription-Key"] = os.getenv("OCULAR_KEY")
wrk.headers["Content-Type"] = "application/octet-stream"
local bad = 0
function response(status) if status ~= 200 then bad = bad + 1 end end

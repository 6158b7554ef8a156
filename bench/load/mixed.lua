-- wrk script: a mix of valid and malformed requests against `ocular serve` (bench/load/run.sh).
-- Environment: OCULAR_KEY (a configured key), OCULAR_IMAGE (a PNG/JPEG file path).
local key = os.getenv("OCULAR_KEY") or "load-key"
local f = assert(io.open(os.getenv("OCULAR_IMAGE"), "rb"))
local image = f:read("*all")
f:close()

local reqs = {}
local function add(weight, method, path, headers, body)
  for _ = 1, weight do
    reqs[#reqs + 1] = wrk.format(method, path, headers, body)
  end
end
local bin = { ["Ocp-Apim-Subscription-Key"] = key, ["Content-Type"] = "application/octet-stream" }
local js = { ["Ocp-Apim-Subscription-Key"] = key, ["Content-Type"] = "application/json" }
-- valid analyses (features that need no model, plus one that may need one)
add(4, "POST", "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=smartCrops", bin, image)
add(3, "POST", "/vision/v3.2/analyze?visualFeatures=Color,ImageType", bin, image)
add(2, "POST", "/computervision/imageanalysis:analyze?api-version=2024-02-01&features=tags,objects,people", bin, image)
add(1, "POST", "/vision/v3.2/generateThumbnail?width=64&height=64&smartCropping=true", bin, image)
-- malformed or refused
add(2, "POST", "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=smartCrops", bin, "not an image at all")
add(1, "POST", "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=nope", bin, image)
add(1, "POST", "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=smartCrops", js, "{\"url\": 42")
add(1, "POST", "/vision/v3.2/analyze?visualFeatures=Color", js, "{\"url\":\"http://169.254.169.254/latest/meta-data\"}")
add(1, "POST", "/vision/v3.2/tag", { ["Content-Type"] = "application/octet-stream" }, image)  -- no key
add(1, "POST", "/vision/v3.2/tag", { ["Ocp-Apim-Subscription-Key"] = "wrong" }, image)
add(1, "GET", "/no/such/route?x=1", nil, nil)
add(1, "POST", "/computervision/imageanalysis:analyze?api-version=1999-01-01&features=tags", bin, image)
add(1, "GET", "/health", nil, nil)

local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end
function init(args)
  counter = math.random(#reqs)
  s2, s4, s429, s5, s503 = 0, 0, 0, 0, 0
end
function request()
  counter = counter % #reqs + 1
  return reqs[counter]
end
function response(status, headers, body)
  if status == 429 then s429 = s429 + 1
  elseif status == 503 then s503 = s503 + 1
  elseif status >= 500 then s5 = s5 + 1
  elseif status >= 400 then s4 = s4 + 1
  else s2 = s2 + 1 end
end
function done(summary, latency, requests)
  local t = { s2 = 0, s4 = 0, s429 = 0, s5 = 0, s503 = 0 }
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format("STATUS 2xx/3xx=%d 4xx=%d 429=%d 503=%d other5xx=%d socket_errors=%d\n",
    t.s2, t.s4, t.s429, t.s503, t.s5,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("LATENCY p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end

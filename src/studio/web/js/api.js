// Requests to the service's own API, exactly as a client sends them (key in the
// Ocp-Apim-Subscription-Key header, never in the URL), and the same request as code snippets.

export const API_VERSION_40 = "2024-02-01";

// The request the form describes: {api, path, params (ordered [name, value]), features}.
export function describeRequest(form) {
  const params = [];
  if (form.api === "4.0") {
    params.push(["api-version", API_VERSION_40]);
    params.push(["features", form.features40.join(",")]);
    params.push(["language", form.language]);
    if (form.features40.includes("caption") || form.features40.includes("denseCaptions")) {
      params.push(["gender-neutral-caption", String(form.genderNeutral)]);
    }
    if (form.features40.includes("smartCrops") && form.cropRatios) {
      params.push(["smartcrops-aspect-ratios", form.cropRatios]);
    }
    return { api: "4.0", path: "/computervision/imageanalysis:analyze", params };
  }
  if (form.features32.length) params.push(["visualFeatures", form.features32.join(",")]);
  if (form.details32.length) params.push(["details", form.details32.join(",")]);
  params.push(["language", form.language]);
  return { api: "3.2", path: "/vision/v3.2/analyze", params };
}

export function queryString(params) {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

// Parses a Server-Timing header into [{name, ms}].
export function parseServerTiming(header) {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [name, ...attrs] = part.trim().split(";");
    let ms = null;
    for (const a of attrs) {
      const [k, v] = a.trim().split("=");
      if (k === "dur") ms = Number(v);
    }
    return { name: name.trim(), ms };
  }).filter((t) => t.name);
}

// Sends one analysis. `image` is {file: Blob} or {url: string}. Resolves with
// {ok, status, json, text, timings, clientMs}; network failures resolve with status 0.
export async function analyze(request, image, key) {
  const headers = { "Ocp-Apim-Subscription-Key": key };
  let body;
  if (image.url) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify({ url: image.url });
  } else {
    headers["Content-Type"] = "application/octet-stream";
    body = image.file;
  }
  const t0 = performance.now();
  let response;
  try {
    response = await fetch(`${request.path}?${queryString(request.params)}`, {
      method: "POST", headers, body, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer",
    });
  } catch (e) {
    return { ok: false, status: 0, json: null, text: String(e?.message ?? e), timings: [],
             clientMs: performance.now() - t0 };
  }
  const text = await response.text();
  const clientMs = performance.now() - t0;
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { ok: response.ok, status: response.status, json, text,
           timings: parseServerTiming(response.headers.get("Server-Timing")), clientMs,
           requestId: response.headers.get("apim-request-id") };
}

// The service's error message for a failed response (both wire formats), never a blank.
export function errorMessage(result) {
  if (result.status === 0) return `The service could not be reached: ${result.text}`;
  const e = result.json?.error ?? result.json;
  const code = e?.code ?? result.status;
  const message = e?.message ?? (result.text || "(no message)");
  const inner = e?.innererror?.code && e.innererror.code !== code ? ` (${e.innererror.code})` : "";
  return `${result.status} ${code}${inner}: ${message}`;
}

const KEY = "<your-key>";

function pyList(items) {
  return `[${items.map((i) => `VisualFeatures.${i}`).join(", ")}]`;
}

const PY_40 = {
  caption: "CAPTION", denseCaptions: "DENSE_CAPTIONS", tags: "TAGS", objects: "OBJECTS",
  people: "PEOPLE", read: "READ", smartCrops: "SMART_CROPS",
};

// The request as a snippet: "curl", "python" or "js". Image: a file name or a URL.
export function snippet(lang, request, image, origin) {
  const url = `${origin}${request.path}?${queryString(request.params)}`;
  const params = Object.fromEntries(request.params);
  const fileName = image?.url ? null : (image?.name || "image.jpg");
  if (lang === "curl") {
    const data = fileName
      ? `  -H "Content-Type: application/octet-stream" \\\n  --data-binary @${shellQuote(fileName)}`
      : `  -H "Content-Type: application/json" \\\n  -d ${shellQuote(JSON.stringify({ url: image.url }))}`;
    return `curl --cacert .deps/devcert/ca.pem -X POST \\\n  "${url}" \\\n` +
           `  -H "Ocp-Apim-Subscription-Key: ${KEY}" \\\n${data}`;
  }
  if (lang === "python" && request.api === "4.0") {
    const feats = (params.features || "").split(",").filter(Boolean).map((f) => PY_40[f] ?? f);
    const ratios = params["smartcrops-aspect-ratios"];
    const args = [`visual_features=${pyList(feats)}`, `language=${JSON.stringify(params.language)}`];
    if (params["gender-neutral-caption"]) {
      args.push(`gender_neutral_caption=${params["gender-neutral-caption"] === "true" ? "True" : "False"}`);
    }
    if (ratios) args.push(`smart_crops_aspect_ratios=[${ratios}]`);
    return `# pip install azure-ai-vision-imageanalysis\n` +
      `from azure.ai.vision.imageanalysis import ImageAnalysisClient\n` +
      `from azure.ai.vision.imageanalysis.models import VisualFeatures\n` +
      `from azure.core.credentials import AzureKeyCredential\n\n` +
      `client = ImageAnalysisClient(endpoint=${JSON.stringify(origin)},\n` +
      `                             credential=AzureKeyCredential(${JSON.stringify(KEY)}))\n` +
      pyCall(fileName, "analyze", "image_data", "analyze_from_url", "image_url", image, args) +
      `print(result)\n# Trust the server's certificate: REQUESTS_CA_BUNDLE=.deps/devcert/ca.pem`;
  }
  if (lang === "python") {
    const vf = (params.visualFeatures || "").split(",").filter(Boolean).map((f) => `"${f}"`);
    const det = (params.details || "").split(",").filter(Boolean).map((f) => `"${f}"`);
    const args = [`visual_features=[${vf.join(", ")}]`];
    if (det.length) args.push(`details=[${det.join(", ")}]`);
    args.push(`language=${JSON.stringify(params.language)}`);
    return `# pip install azure-cognitiveservices-vision-computervision\n` +
      `from azure.cognitiveservices.vision.computervision import ComputerVisionClient\n` +
      `from msrest.authentication import CognitiveServicesCredentials\n\n` +
      `client = ComputerVisionClient(${JSON.stringify(origin)},\n` +
      `                              CognitiveServicesCredentials(${JSON.stringify(KEY)}))\n` +
      pyCall(fileName, "analyze_image_in_stream", null, "analyze_image", null, image, args) +
      `print(result.as_dict())\n# Trust the server's certificate: REQUESTS_CA_BUNDLE=.deps/devcert/ca.pem`;
  }
  // JavaScript: the official REST clients (both send the same request as the curl above).
  if (request.api === "4.0") {
    const body = fileName ? `fs.readFileSync(${JSON.stringify(fileName)})` : `{ url: ${JSON.stringify(image.url)} }`;
    const contentType = fileName ? `\n  contentType: "application/octet-stream",` : "";
    const query = { ...params };
    delete query["api-version"];
    return `// npm install @azure-rest/ai-vision-image-analysis @azure/core-auth\n` +
      `import createClient from "@azure-rest/ai-vision-image-analysis";\n` +
      `import { AzureKeyCredential } from "@azure/core-auth";\n` +
      `import fs from "node:fs";\n\n` +
      `const client = createClient(${JSON.stringify(origin)}, new AzureKeyCredential(${JSON.stringify(KEY)}));\n` +
      `const result = await client.path("/imageanalysis:analyze").post({\n` +
      `  body: ${body},${contentType}\n` +
      `  queryParameters: ${JSON.stringify(query, null, 2).replace(/\n/g, "\n  ")},\n});\n` +
      `console.log(JSON.stringify(result.body, null, 2));\n` +
      `// Trust the server's certificate: NODE_EXTRA_CA_CERTS=.deps/devcert/ca.pem`;
  }
  const vf = (params.visualFeatures || "").split(",").filter(Boolean);
  const det = (params.details || "").split(",").filter(Boolean);
  const options = JSON.stringify({ visualFeatures: vf, details: det.length ? det : undefined,
                                   language: params.language }, null, 2);
  const call = fileName
    ? `client.analyzeImageInStream(() => fs.createReadStream(${JSON.stringify(fileName)}), ${options})`
    : `client.analyzeImage(${JSON.stringify(image.url)}, ${options})`;
  return `// npm install @azure/cognitiveservices-computervision @azure/ms-rest-js\n` +
    `import { ComputerVisionClient } from "@azure/cognitiveservices-computervision";\n` +
    `import { ApiKeyCredentials } from "@azure/ms-rest-js";\n` +
    `import fs from "node:fs";\n\n` +
    `const client = new ComputerVisionClient(\n` +
    `  new ApiKeyCredentials({ inHeader: { "Ocp-Apim-Subscription-Key": ${JSON.stringify(KEY)} } }),\n` +
    `  ${JSON.stringify(origin)});\n` +
    `const result = await ${call};\nconsole.log(JSON.stringify(result, null, 2));\n` +
    `// Trust the server's certificate: NODE_EXTRA_CA_CERTS=.deps/devcert/ca.pem`;
}

// A Python call with the image from a file (inside `with open`) or from a URL.
function pyCall(fileName, fileFn, fileKw, urlFn, urlKw, image, args) {
  if (fileName) {
    const first = fileKw ? `${fileKw}=f.read()` : "f";
    return `with open(${JSON.stringify(fileName)}, "rb") as f:\n    result = client.${fileFn}(\n` +
      [first, ...args].map((a) => `        ${a},\n`).join("") + "    )\n";
  }
  const first = urlKw ? `${urlKw}=${JSON.stringify(image.url)}` : JSON.stringify(image.url);
  return `result = client.${urlFn}(\n` + [first, ...args].map((a) => `    ${a},\n`).join("") + ")\n";
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, "'\\''")}'`;
}

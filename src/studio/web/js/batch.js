// Batch: several files at once. A grid of thumbnails with caption and top tags, a progress bar,
// and all results as one JSONL download ({"file", "status", "result" | "error"} per line).
// Two requests run at a time; results live in memory only.
import { analyze, errorMessage } from "./api.js";

const $ = (id) => document.getElementById(id);
let thumbUrls = [];

function caption(json, api) {
  const c = api === "4.0" ? json.captionResult : json.description?.captions?.[0];
  return c ? c.text : "";
}

function topTags(json, api, n = 3) {
  const tags = (api === "4.0" ? json.tagsResult?.values : json.tags) ?? [];
  return tags.slice(0, n).map((t) => t.name);
}

export async function runBatch(files, request, key, download) {
  for (const u of thumbUrls) URL.revokeObjectURL(u);
  thumbUrls = [];
  const panel = $("batch");
  const grid = $("batch-grid");
  const progress = $("batch-progress");
  const count = $("batch-count");
  const dl = $("batch-download");
  panel.hidden = false;
  grid.replaceChildren();
  progress.max = files.length;
  progress.value = 0;
  dl.disabled = true;
  const lines = new Array(files.length);
  const cards = files.map((file) => {
    const url = URL.createObjectURL(file);
    thumbUrls.push(url);
    const li = document.createElement("li");
    li.className = "batch-card pending";
    const img = document.createElement("img");
    img.src = url;
    img.alt = file.name;
    const name = document.createElement("p");
    name.className = "batch-name";
    name.textContent = file.name;
    const cap = document.createElement("p");
    cap.className = "batch-caption";
    cap.textContent = "Waiting…";
    const tags = document.createElement("p");
    tags.className = "batch-tags hint";
    li.append(img, name, cap, tags);
    grid.appendChild(li);
    return { li, cap, tags };
  });
  $("batch-close").onclick = () => {
    panel.hidden = true;
    for (const u of thumbUrls) URL.revokeObjectURL(u);
    thumbUrls = [];
    grid.replaceChildren();
  };
  panel.scrollIntoView({ behavior: "smooth", block: "start" });
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      cards[i].cap.textContent = "Analyzing…";
      const result = await analyze(request, { file: files[i] }, key);
      const card = cards[i];
      card.li.classList.remove("pending");
      if (result.ok) {
        card.li.classList.add("ok");
        card.cap.textContent = caption(result.json, request.api) || "(no caption requested)";
        card.tags.textContent = topTags(result.json, request.api).join(" · ");
        lines[i] = { file: files[i].name, status: result.status, result: result.json };
      } else {
        card.li.classList.add("failed");
        card.cap.textContent = errorMessage(result);
        lines[i] = { file: files[i].name, status: result.status, error: result.json?.error ?? result.text };
      }
      done += 1;
      progress.value = done;
      count.textContent = `${done} of ${files.length} done`;
    }
  };
  count.textContent = `0 of ${files.length} done`;
  await Promise.all([worker(), worker()]);
  dl.disabled = false;
  dl.onclick = () => {
    const text = lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
    download(new Blob([text], { type: "application/x-ndjson" }), "ocular-batch.jsonl");
  };
}

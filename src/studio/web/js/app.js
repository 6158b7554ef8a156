// Ocular Studio: wires the page together. Plain ES modules, no build step (docs/studio.md).
// Privacy: the key lives in memory (sessionStorage only when "Remember for this tab" is ticked,
// never localStorage, never a URL); images and results live in memory and in blob: URLs that are
// revoked when replaced.
import { analyze, describeRequest, errorMessage, snippet } from "./api.js";
import { extractBoxes } from "./boxes.js";
import { drawOverlay, drawToggles, linkHover } from "./overlay.js";
import { copyText, renderResults, renderTiming } from "./panels.js";
import { runBatch } from "./batch.js";

const $ = (id) => document.getElementById(id);
const KEY_SLOT = "ocular.studio.key";

const state = {
  key: "",
  image: null,       // {file, name} or {url, name}
  imageUrl: null,    // blob: URL of the shown file
  last: null,        // {request, result}
  config: null,
};

// ---- key: memory, or sessionStorage when asked -------------------------------------------
function initKey() {
  const input = $("api-key");
  const remember = $("remember-key");
  const saved = sessionStorage.getItem(KEY_SLOT);
  if (saved) {
    state.key = saved;
    input.value = saved;
    remember.checked = true;
  }
  input.addEventListener("input", () => {
    state.key = input.value.trim();
    if (remember.checked) sessionStorage.setItem(KEY_SLOT, state.key);
    updateAnalyzeButton();
  });
  remember.addEventListener("change", () => {
    if (remember.checked && state.key) sessionStorage.setItem(KEY_SLOT, state.key);
    else sessionStorage.removeItem(KEY_SLOT);
  });
}

// ---- server facts ---------------------------------------------------------------------------
async function loadConfig() {
  const facts = $("server-facts");
  try {
    const r = await fetch("config.json", { cache: "no-store" });
    const c = await r.json();
    state.config = c;
    if (!c.ready) {
      facts.textContent = "The service is loading its models…";
      setTimeout(loadConfig, 2000);
      return;
    }
    const parts = [`Model ${c.modelVersion}`, `API 4.0 (${c.apiVersions["4.0"].join(", ")}) and v3.2`];
    if (c.detector) parts.push(`detector ${c.detector}`);
    parts.push(c.celebrities ? "celebrities on" : "celebrities off");
    facts.textContent = parts.join(" · ");
    if (c.detector) {
      $("detector-row").hidden = false;
      $("detector-tier").textContent = c.detector;
    }
    // Features the server cannot run are shown, unticked and disabled, with the reason.
    const names = { Description: "description", Tags: "tags", Categories: "categories", Objects: "objects",
                    Faces: "faces", Brands: "brands", Adult: "adult", Color: "color", ImageType: "imageType",
                    Landmarks: "landmarks", Celebrities: "celebrities" };
    for (const box of document.querySelectorAll("input[name=f40], input[name=f32], input[name=d32]")) {
      const key = names[box.value] ?? box.value;
      const status = c.features?.[key];
      if (status && status !== "ok") {
        box.checked = false;
        box.disabled = true;
        box.closest("label").title = status;
        box.closest("label").classList.add("unavailable");
      }
    }
  } catch (e) {
    facts.textContent = `Cannot reach the service: ${e.message}`;
  }
}

// ---- form -------------------------------------------------------------------------------------
function currentForm() {
  const checked = (name) => [...document.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);
  return {
    api: document.querySelector("input[name=api]:checked").value,
    features40: checked("f40"),
    features32: checked("f32"),
    details32: checked("d32"),
    language: $("language").value,
    genderNeutral: $("gender-neutral").checked,
    cropRatios: $("crop-ratios").value.split(/[,\s]+/).filter(Boolean).join(","),
  };
}

function updateAnalyzeButton() {
  const button = $("analyze");
  const hint = $("analyze-hint");
  if (!state.image) hint.textContent = "Choose an image first.";
  else if (!state.key) hint.textContent = "Type your API key.";
  else hint.textContent = `Ready: ${state.image.name}`;
  button.disabled = !state.image || !state.key;
  refreshCode();
}

function initForm() {
  for (const radio of document.querySelectorAll("input[name=api]")) {
    radio.addEventListener("change", () => {
      const v40 = currentForm().api === "4.0";
      $("features-40").hidden = !v40;
      $("features-32").hidden = v40;
      refreshCode();
    });
  }
  $("request-form").addEventListener("change", refreshCode);
  $("request-form").addEventListener("submit", (e) => {
    e.preventDefault();
    runSingle();
  });
}

// ---- image in ---------------------------------------------------------------------------------
function showImage(src, name) {
  $("drop-empty").hidden = true;
  $("stage").hidden = false;
  const img = $("stage-img");
  img.src = src;
  img.alt = `The image being analyzed: ${name}`;
  $("overlay").replaceChildren();
  $("toggles").replaceChildren();
  $("stage-caption").textContent = name;
}

function setFile(file) {
  if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
  state.imageUrl = URL.createObjectURL(file);
  state.image = { file, name: file.name || "pasted image" };
  showImage(state.imageUrl, state.image.name);
  clearResults();
  updateAnalyzeButton();
}

function setUrl(url) {
  if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
  state.imageUrl = null;
  state.image = { url, name: url };
  showImage(url, url);
  clearResults();
  updateAnalyzeButton();
}

function takeFiles(files) {
  const images = [...files].filter((f) => f.type.startsWith("image/") || /\.(jpe?g|png|gif|bmp|webp|tiff?|ico)$/i.test(f.name));
  if (!images.length) return;
  if (images.length === 1) setFile(images[0]);
  else startBatch(images);
}

function initImageInputs() {
  $("file-input").addEventListener("change", (e) => {
    takeFiles(e.target.files);
    e.target.value = "";
  });
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("dragging");
    takeFiles(e.dataTransfer.files);
  });
  zone.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") { e.preventDefault(); $("file-input").click(); }
  });
  document.addEventListener("paste", (e) => {
    if (e.target.closest?.("input, textarea")) return;
    const files = [...(e.clipboardData?.items ?? [])].filter((i) => i.kind === "file").map((i) => i.getAsFile());
    if (files.length) { e.preventDefault(); takeFiles(files); }
  });
  $("url-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const url = $("image-url").value.trim();
    if (!/^https?:\/\//i.test(url)) {
      showError("Enter an http(s) URL of an image.");
      return;
    }
    setUrl(url);
  });
}

async function loadSamples() {
  const list = $("samples");
  let samples = [];
  try {
    samples = await (await fetch("samples/samples.json")).json();
  } catch {
    return;
  }
  for (const s of samples) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sample";
    button.title = `${s.what}. Source: ${s.source}. Licence: ${s.license}`;
    const img = document.createElement("img");
    img.src = `samples/${s.file}`;
    img.alt = "";
    img.loading = "lazy";
    const label = document.createElement("span");
    label.textContent = s.title;
    const lic = document.createElement("span");
    lic.className = "license";
    lic.textContent = s.license;
    button.append(img, label, lic);
    button.addEventListener("click", async () => {
      const blob = await (await fetch(`samples/${s.file}`)).blob();
      setFile(new File([blob], s.file, { type: blob.type }));
    });
    const li = document.createElement("li");
    li.appendChild(button);
    list.appendChild(li);
  }
}

// ---- results ----------------------------------------------------------------------------------
function showError(message) {
  const box = $("error");
  box.hidden = !message;
  box.textContent = message || "";
}

function clearResults() {
  showError("");
  $("status").textContent = "";
  $("results-body").replaceChildren();
  $("results-empty").hidden = false;
  $("raw-json").textContent = "No response yet.";
  $("timing-body").replaceChildren();
  state.last = null;
}

async function runSingle() {
  if (!state.image || !state.key) return;
  const request = describeRequest(currentForm());
  const button = $("analyze");
  button.disabled = true;
  button.classList.add("busy");
  showError("");
  $("status").textContent = "Analyzing…";
  const result = await analyze(request, state.image, state.key);
  button.classList.remove("busy");
  updateAnalyzeButton();
  state.last = { request, result };
  $("raw-json").textContent = result.json ? JSON.stringify(result.json, null, 2) : result.text;
  renderTiming($("timing-body"), result.timings, result.clientMs);
  if (!result.ok) {
    $("status").textContent = "";
    showError(errorMessage(result));
    $("results-body").replaceChildren();
    $("results-empty").hidden = false;
    $("overlay").replaceChildren();
    $("toggles").replaceChildren();
    return;
  }
  const json = result.json;
  const boxes = extractBoxes(json, request.api);
  const width = json.metadata?.width ?? $("stage-img").naturalWidth;
  const height = json.metadata?.height ?? $("stage-img").naturalHeight;
  drawOverlay($("overlay"), boxes, width, height);
  drawToggles($("toggles"), $("overlay"), boxes);
  $("results-empty").hidden = true;
  renderResults($("results-body"), json, request.api, boxes);
  const total = result.timings.find((t) => t.name === "total")?.ms;
  $("status").textContent = `Done in ${Math.round(result.clientMs)} ms` +
    (total !== undefined ? ` (server ${Math.round(total)} ms)` : "") + `: ${boxes.length} regions.`;
}

// ---- tabs, raw view, code view --------------------------------------------------------------
function initTabs() {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  const select = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (e) => {
      const d = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  });
  $("copy-json").addEventListener("click", (e) => copyText($("raw-json").textContent, e.target));
  $("download-json").addEventListener("click", () => {
    if (!state.last) return;
    download(new Blob([$("raw-json").textContent], { type: "application/json" }), "ocular-result.json");
  });
  $("copy-code").addEventListener("click", (e) => copyText($("code-snippet").textContent, e.target));
  for (const r of document.querySelectorAll("input[name=code-lang]")) r.addEventListener("change", refreshCode);
}

function refreshCode() {
  const lang = document.querySelector("input[name=code-lang]:checked")?.value ?? "curl";
  const request = describeRequest(currentForm());
  $("code-snippet").textContent = snippet(lang, request, state.image, location.origin);
}

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// ---- batch --------------------------------------------------------------------------------------
function startBatch(files) {
  if (!state.key) {
    showError("Type your API key first: a batch runs as soon as its files are chosen.");
    return;
  }
  runBatch(files, describeRequest(currentForm()), state.key, download);
}

function init() {
  $("api-origin").textContent = location.origin;
  initKey();
  initForm();
  initImageInputs();
  initTabs();
  linkHover($("overlay"), $("results-body"));
  loadConfig();
  loadSamples();
  updateAnalyzeButton();
}

init();

// The results panels: caption, tags with bars, regions (rows linked to boxes), OCR text with
// copy, adult/racy meters (gore: unsupported), colour swatches, categories, image type.
import { KINDS, boxTitle, formatConfidence } from "./boxes.js";

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function section(title, ...children) {
  return h("section", { class: "result-section" }, h("h3", {}, title), ...children);
}

function bar(label, value, extra = "") {
  const pct = Math.max(0, Math.min(1, value ?? 0)) * 100;
  const meter = h("span", { class: "bar", role: "meter", "aria-valuemin": "0", "aria-valuemax": "100",
                            "aria-valuenow": pct.toFixed(1), "aria-label": label });
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = `${pct}%`;  // CSSOM, allowed by the CSP (no inline style attribute)
  meter.append(fill);
  return h("li", { class: `bar-row ${extra}` }, h("span", { class: "bar-label" }, label), meter,
           h("span", { class: "bar-value" }, formatConfidence(value)));
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    if (button) {
      const before = button.textContent;
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = before; }, 1200);
    }
  } catch {
    if (button) button.textContent = "Copy failed";
  }
}

const COLOR_CSS = {
  Black: "#000000", Blue: "#1f5fbf", Brown: "#7b4a1e", Gray: "#8a8a8a", Green: "#2e8b3a",
  Orange: "#f08a00", Pink: "#f29ac0", Purple: "#7a3fa0", Red: "#d42a2a", Teal: "#1b8a8a",
  White: "#ffffff", Yellow: "#f2d600", Grey: "#8a8a8a",
};

function swatch(name, css) {
  const chip = h("span", { class: "chip", "aria-hidden": "true" });
  chip.style.background = css;
  return h("li", { class: "swatch-item" }, chip, h("span", {}, name));
}

// Fills `root` from the response `json` of `api` ("4.0" or "3.2") and its `boxes`.
export function renderResults(root, json, api, boxes) {
  const parts = [];
  const caption = api === "4.0" ? json.captionResult : json.description?.captions?.[0];
  if (caption) {
    parts.push(section("Caption", h("p", { class: "caption", id: "caption-text" }, caption.text),
                       h("p", { class: "hint" }, `Confidence ${formatConfidence(caption.confidence)}`)));
  }
  const tags = api === "4.0" ? json.tagsResult?.values : json.tags;
  if (tags?.length) {
    parts.push(section(`Tags (${tags.length})`,
                       h("ul", { class: "bars", id: "tags-list" }, tags.map((t) => bar(t.name, t.confidence)))));
  }
  if (api === "4.0" && json.readResult) {
    const lines = (json.readResult.blocks ?? []).flatMap((b) => (b.lines ?? []).map((l) => l.text));
    const text = lines.join("\n");
    const copy = h("button", { class: "button small", type: "button" }, "Copy text");
    copy.addEventListener("click", () => copyText(text, copy));
    parts.push(section(`Text (${lines.length} lines)`,
                       lines.length ? h("pre", { class: "ocr-text", id: "ocr-text" }, text)
                                    : h("p", { class: "hint" }, "No text found."),
                       lines.length ? copy : null));
  }
  if (api === "3.2" && json.adult) {
    const a = json.adult;
    const rows = [bar("Adult", a.adultScore, a.isAdultContent ? "flag" : ""),
                  bar("Racy", a.racyScore, a.isRacyContent ? "flag" : "")];
    if (a.goreScore !== undefined) rows.push(bar("Gore", a.goreScore));
    const note = (a.unsupported ?? []).includes("goreScore")
      ? h("p", { class: "hint", id: "gore-note" }, "Gore: unsupported (no installed model computes it).")
      : null;
    parts.push(section("Adult content", h("ul", { class: "bars" }, rows), note));
  }
  if (api === "3.2" && json.color) {
    const c = json.color;
    const items = (c.dominantColors ?? []).map((n) => swatch(n, COLOR_CSS[n] ?? "#ccc"));
    if (c.accentColor) items.push(swatch(`Accent #${c.accentColor}`, `#${c.accentColor}`));
    parts.push(section("Colours", h("ul", { class: "swatches" }, items),
                       h("p", { class: "hint" }, `Foreground ${c.dominantColorForeground}, background ` +
                         `${c.dominantColorBackground}${c.isBWImg ? ", black and white" : ""}`)));
  }
  if (api === "3.2" && json.categories?.length) {
    parts.push(section("Categories",
                       h("ul", { class: "bars" }, json.categories.map((c) => bar(c.name, c.score)))));
  }
  if (api === "3.2" && json.imageType) {
    const t = json.imageType;
    const clip = ["non-clip-art", "ambiguous", "normal clip-art", "good clip-art"][t.clipArtType] ?? t.clipArtType;
    parts.push(section("Image type", h("p", {}, `Clip art: ${clip}; line drawing: ${t.lineDrawingType ? "yes" : "no"}`)));
  }
  if (boxes.length) {
    const groups = KINDS.filter((k) => boxes.some((b) => b.kind === k.kind));
    parts.push(section("Regions", ...groups.map(({ kind, name }) => {
      const mine = boxes.filter((b) => b.kind === kind);
      return h("details", { class: "region-group", open: "" },
        h("summary", {}, h("span", { class: `swatch kind-${kind}`, "aria-hidden": "true" }), `${name} (${mine.length})`),
        h("ul", { class: "rows", dataset: { kind } }, mine.map((b) =>
          h("li", { class: "row", tabindex: "0", dataset: { box: b.id, kind } },
            h("span", { class: "row-label" }, b.label || kind),
            h("span", { class: "row-meta" }, [formatConfidence(b.confidence),
              `${Math.round(b.w)}×${Math.round(b.h)} at ${Math.round(b.x)},${Math.round(b.y)}`]
              .filter(Boolean).join(" · ")),
            h("span", { class: "visually-hidden" }, boxTitle(b))))));
    })));
  }
  const m = json.metadata;
  if (m) {
    parts.push(section("Image", h("p", { class: "hint" },
      `${m.width}×${m.height}${m.format ? `, ${m.format}` : ""}; model version ${json.modelVersion ?? "?"}`)));
  }
  root.replaceChildren(...parts);
}

// The Timing view: per-analyzer Server-Timing entries as bars, plus the browser's round trip.
export function renderTiming(root, timings, clientMs) {
  const total = timings.find((t) => t.name === "total")?.ms;
  const steps = timings.filter((t) => t.name !== "total");
  const max = Math.max(1, total ?? 0, clientMs ?? 0, ...steps.map((t) => t.ms ?? 0));
  const row = (name, ms, cls = "") => {
    const li = bar(name, (ms ?? 0) / max, cls);
    li.querySelector(".bar-value").textContent = ms === null || ms === undefined ? "" : `${ms.toFixed(1)} ms`;
    li.querySelector(".bar").setAttribute("aria-label", `${name} ${ms?.toFixed(1)} ms`);
    return li;
  };
  root.replaceChildren(
    h("ul", { class: "bars timing", id: "timing-list" },
      steps.map((t) => row(t.name, t.ms)),
      total !== undefined ? row("total (server)", total, "total") : null,
      row("round trip (browser)", clientMs, "total")),
    h("p", { class: "hint" },
      "From the response's standard Server-Timing header: decode, each analyzer that ran, time " +
      "waiting for a worker (queue) and the server's total."));
}

// The SVG overlay over the image: one element per region (data-kind, data-box, <title>), one
// toggle per kind present, and hover linking between a box and its row in the results.
import { KINDS, boxTitle } from "./boxes.js";

const SVG = "http://www.w3.org/2000/svg";
// Kinds whose label is written on the image (the others show it on hover and in their <title>).
const LABELLED = new Set(["objects", "brands", "celebrities", "landmarks", "faces"]);
const hidden = new Set(["readWords"]);  // words are many: off until asked for

function el(name, attrs = {}) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

// Draws `boxes` over an image of width x height (the API's metadata, original pixels).
export function drawOverlay(svg, boxes, width, height) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const unit = Math.max(width, height) / 60;  // label size in image pixels
  const order = new Map(KINDS.map((k, i) => [k.kind, i]));
  const sorted = [...boxes].sort((a, b) => order.get(a.kind) - order.get(b.kind));
  for (const box of sorted) {
    const g = el("g", { class: `box kind-${box.kind}`, "data-kind": box.kind, "data-box": box.id,
                        tabindex: "-1" });
    const title = el("title");
    title.textContent = boxTitle(box);
    g.appendChild(title);
    const shape = box.polygon
      ? el("polygon", { points: box.polygon.map((p) => `${p.x},${p.y}`).join(" ") })
      : el("rect", { x: box.x, y: box.y, width: Math.max(1, box.w), height: Math.max(1, box.h) });
    const halo = shape.cloneNode();
    halo.setAttribute("class", "halo");
    shape.setAttribute("class", "line");
    for (const s of [halo, shape]) s.setAttribute("vector-effect", "non-scaling-stroke");
    g.append(halo, shape);
    if (LABELLED.has(box.kind) && box.label) {
      const text = boxTitle(box);
      const fs = unit;
      const tw = text.length * fs * 0.56 + fs * 0.6;
      const inside = box.y < fs * 1.4;
      const ty = inside ? box.y : box.y - fs * 1.3;
      g.append(
        el("rect", { class: "tag-bg", x: box.x, y: ty, width: tw, height: fs * 1.3 }),
        Object.assign(el("text", { class: "tag-text", x: box.x + fs * 0.3, y: ty + fs * 1.0,
                                   "font-size": fs }), { textContent: text }));
    }
    if (hidden.has(box.kind)) g.classList.add("off");
    svg.appendChild(g);
  }
}

// One toggle button per kind present in `boxes` (aria-pressed), with its count.
export function drawToggles(container, svg, boxes) {
  container.replaceChildren();
  const counts = new Map();
  for (const b of boxes) counts.set(b.kind, (counts.get(b.kind) ?? 0) + 1);
  for (const { kind, name } of KINDS) {
    if (!counts.has(kind)) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "toggle";
    button.dataset.kind = kind;
    button.setAttribute("aria-pressed", String(!hidden.has(kind)));
    const swatch = document.createElement("span");
    swatch.className = `swatch kind-${kind}`;
    swatch.setAttribute("aria-hidden", "true");
    button.append(swatch, `${name} `);
    const count = document.createElement("span");
    count.className = "count";
    count.textContent = counts.get(kind);
    button.appendChild(count);
    button.addEventListener("click", () => {
      const on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", String(on));
      if (on) hidden.delete(kind); else hidden.add(kind);
      for (const g of svg.querySelectorAll(`[data-kind="${kind}"]`)) g.classList.toggle("off", !on);
      for (const row of document.querySelectorAll(`.row[data-kind="${kind}"]`)) {
        row.classList.toggle("muted", !on);
      }
    });
    container.appendChild(button);
  }
}

// Hovering (or focusing) a box highlights its row and the reverse. Rows carry data-box.
export function linkHover(svg, rowsRoot) {
  const set = (id, on) => {
    for (const n of svg.querySelectorAll(`[data-box="${id}"]`)) n.classList.toggle("hot", on);
    for (const n of rowsRoot.querySelectorAll(`.row[data-box="${id}"]`)) {
      n.classList.toggle("hot", on);
      if (on && n.scrollIntoView && svg.matches(":hover")) n.scrollIntoView({ block: "nearest" });
    }
  };
  const handler = (on) => (event) => {
    const target = event.target.closest?.("[data-box]");
    if (target) set(target.dataset.box ?? target.getAttribute("data-box"), on);
  };
  for (const root of [svg, rowsRoot]) {
    root.addEventListener("mouseover", handler(true));
    root.addEventListener("mouseout", handler(false));
    root.addEventListener("focusin", handler(true));
    root.addEventListener("focusout", handler(false));
  }
}

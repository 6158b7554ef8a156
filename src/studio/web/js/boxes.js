// Every region a response carries, in one shape for both wire formats:
//   {id, kind, label, confidence (or null), x, y, w, h, polygon (or null)}
// `kind` is the feature name used as the SVG element's data-kind.

// Overlay kinds in drawing order, with their legend names. Colours (css/studio.css, Okabe-Ito
// palette) and dash patterns differ per kind, so kinds stay distinguishable without colour.
export const KINDS = [
  { kind: "smartCrops", name: "Smart crops" },
  { kind: "denseCaptions", name: "Dense captions" },
  { kind: "people", name: "People" },
  { kind: "objects", name: "Objects" },
  { kind: "faces", name: "Faces" },
  { kind: "celebrities", name: "Celebrities" },
  { kind: "brands", name: "Brands" },
  { kind: "landmarks", name: "Landmarks" },
  { kind: "read", name: "Text lines" },
  { kind: "readWords", name: "Text words" },
];

function rectXywh(r) {
  return r ? { x: r.x, y: r.y, w: r.w, h: r.h } : null;
}

function rectLtwh(r) {
  return r ? { x: r.left, y: r.top, w: r.width, h: r.height } : null;
}

function polygonBox(points) {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, w: Math.max(...xs) - x, h: Math.max(...ys) - y };
}

// The regions of a 4.0 analyze response.
function fromV40(json, push) {
  for (const v of json.objectsResult?.values ?? []) {
    const tag = v.tags?.[0] ?? {};
    push("objects", tag.name ?? "object", tag.confidence ?? null, rectXywh(v.boundingBox));
  }
  for (const v of json.peopleResult?.values ?? []) {
    push("people", "person", v.confidence ?? null, rectXywh(v.boundingBox));
  }
  for (const v of json.denseCaptionsResult?.values ?? []) {
    push("denseCaptions", v.text, v.confidence ?? null, rectXywh(v.boundingBox));
  }
  for (const v of json.smartCropsResult?.values ?? []) {
    push("smartCrops", `aspect ratio ${v.aspectRatio}`, null, rectXywh(v.boundingBox));
  }
  for (const block of json.readResult?.blocks ?? []) {
    for (const line of block.lines ?? []) {
      if (line.boundingPolygon?.length) {
        push("read", line.text, null, polygonBox(line.boundingPolygon), line.boundingPolygon);
      }
      for (const word of line.words ?? []) {
        if (word.boundingPolygon?.length) {
          push("readWords", word.text, word.confidence ?? null, polygonBox(word.boundingPolygon),
               word.boundingPolygon);
        }
      }
    }
  }
}

// The regions of a v3.2 analyze response. Landmarks carry no rectangle in the v3.2 format: the
// whole image is their region.
function fromV32(json, push) {
  for (const o of json.objects ?? []) push("objects", o.object, o.confidence ?? null, rectXywh(o.rectangle));
  for (const f of json.faces ?? []) push("faces", "face", null, rectLtwh(f.faceRectangle));
  for (const b of json.brands ?? []) push("brands", b.name, b.confidence ?? null, rectXywh(b.rectangle));
  const seen = new Set();
  for (const c of json.categories ?? []) {
    for (const p of c.detail?.celebrities ?? []) {
      const key = `c:${p.name}:${JSON.stringify(p.faceRectangle)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      push("celebrities", p.name, p.confidence ?? null, rectLtwh(p.faceRectangle));
    }
    for (const l of c.detail?.landmarks ?? []) {
      const key = `l:${l.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = json.metadata ?? {};
      push("landmarks", l.name, l.confidence ?? null, { x: 0, y: 0, w: m.width ?? 0, h: m.height ?? 0 });
    }
  }
}

export function extractBoxes(json, api) {
  const boxes = [];
  const push = (kind, label, confidence, rect, polygon = null) => {
    if (!rect) return;
    boxes.push({ id: `b${boxes.length}`, kind, label: String(label ?? ""), confidence, ...rect, polygon });
  };
  if (api === "4.0") fromV40(json, push);
  else fromV32(json, push);
  return boxes;
}

export function formatConfidence(c) {
  return c === null || c === undefined ? "" : `${(c * 100).toFixed(1)}%`;
}

// "<label> (<confidence>)": the text of each box's <title> and of its row.
export function boxTitle(box) {
  const conf = formatConfidence(box.confidence);
  return conf ? `${box.label} (${conf})` : box.label;
}

#!/usr/bin/python3
"""Offline landmark-descriptor experiments (issue 6), on descriptors dumped by landmarks_explore.

Measurement tooling only (needs Debian's /usr/bin/python3 with numpy); the product is C++.
It re-implements the cohort test of src/analyzers/galleries/landmark_global.h on dumped data so that
variants can be compared without rebuilding: its `rmac` row reproduces the shipped pipeline
(landmarks_eval) exactly. Results: docs/accuracy.md, "Galleries".

  # descriptors of several outputs (and models), then every combination of 1-3 of them
  OCULAR_LM_OUTPUTS=block_13_expand_relu build/bench/landmarks_explore --dump \
      --coco ../shared/testdata/coco-dev/images > /tmp/a.tsv
  bench/landmarks_offline.py combine /tmp/a.tsv [/tmp/b.tsv ...]

  # raw feature maps, then regional similarities (comma lists: region scales, similarities)
  OCULAR_LM_OUTPUTS=block_13_expand_relu build/bench/landmarks_explore --dump-maps /tmp/maps \
      --coco ../shared/testdata/coco-dev/images
  bench/landmarks_offline.py regions /tmp/maps[+/tmp/maps448] 3 rmac,asym [--swap|--transfer]

--swap exchanges the background (64 even-numbered coco-dev images) with the coco part of the
negatives (64 odd-numbered ones): a check of how much the margins depend on the background.
--transfer sets a threshold on each split (its highest non-matching margin + 0.0005) and counts
correct and false acceptances on the other split with it.
"""
import collections
import glob
import itertools
import math
import os
import sys

import numpy as np

LANDMARKS = ["eiffel", "golden_gate", "sacre_coeur", "statue_of_liberty", "taj_mahal"]


def photo(landmark, e):
    return f"landmark_{landmark}_{e}.jpg"


def cohort(describe, sim, names, swap=False):
    """The cohort test over the 10 pair queries and every negative, against both galleries.

    describe(kind, name, variant) -> descriptor; names(kind) -> image names of that kind.
    Returns (correct top-1 list of (query, margin), every non-matching (margin, what))."""
    bg = [describe("bg", n, 0) for n in names("bg")]
    negs = [(n, describe("neg", n, 0)) for n in names("neg")]
    if swap:
        coco = [(n, q) for n, q in negs if n[0].isdigit()]
        negs = [(n, q) for n, q in negs if not n[0].isdigit()]
        negs += [(n, describe("bg", n, 0)) for n in names("bg")]
        bg = [q for _, q in coco]
    gallery = {e: {l: [describe("pair", photo(l, e), v) for v in range(3)] for l in LANDMARKS}
               for e in (1, 2)}

    def best(q, e):
        sims = {l: [sim(q, t) for t in gallery[e][l]] for l in LANDMARKS}
        top = max(LANDMARKS, key=lambda l: max(sims[l]))
        s = max(sims[top])
        t = gallery[e][top][int(np.argmax(sims[top]))]
        second = max(max(sims[l]) for l in LANDMARKS if l != top)
        q_margin = s - max(second, max(sim(q, b) for b in bg))
        t_margin = s - max(sim(t, b) for b in bg)
        return top, min(q_margin, t_margin)

    correct, negative = [], []
    for e in (1, 2):
        for l in LANDMARKS:
            top, m = best(describe("pair", photo(l, 3 - e), 0), e)
            if top == l:
                correct.append((photo(l, 3 - e), m))
            else:
                negative.append((m, photo(l, 3 - e) + "~" + top))
        for n, q in negs:
            top, m = best(q, e)
            negative.append((m, n + "~" + top))
    return correct, negative


def report(label, correct, negative):
    worst = max(negative)
    above = sum(1 for _, m in correct if m > worst[0])
    pos = " ".join(f"{p[9:-4]}:{m:+.4f}" for p, m in sorted(correct, key=lambda x: -x[1]))
    print(f"{label:40s} top1 {len(correct):2d} above-every-negative {above:2d} "
          f"highest-negative {worst[0]:+.4f} ({worst[1]})  correct: {pos}", flush=True)


# --- combine: pooled descriptors (landmarks_explore --dump) ---------------------------------

def combine(files):
    data = collections.defaultdict(dict)  # output -> (kind, name, variant) -> unit vector
    for f in files:
        for line in open(f):
            if line.startswith("#"):
                continue
            out, kind, name, variant, values = line.rstrip("\n").split("\t")
            a = np.array(values.split(), dtype=np.float64)
            data[out][(kind, name, int(variant))] = a / np.linalg.norm(a)
    outputs = sorted(data)
    for r in (1, 2, 3):
        for combo in itertools.combinations(outputs, r):
            def describe(kind, name, v, combo=combo):
                x = np.concatenate([data[o][(kind, name, v)] for o in combo])
                return x / np.linalg.norm(x)

            def names(kind, first=combo[0]):
                return sorted({n for (k, n, _) in data[first] if k == kind})
            report("+".join(combo), *cohort(describe, lambda a, b: float(a @ b), names))


# --- regions: feature maps (landmarks_explore --dump-maps) ----------------------------------

def starts(length, s, n):
    if n <= 1 or length <= s:
        return [max(0, (length - s) // 2)]
    return [int(round((length - s) * i / (n - 1))) for i in range(n)]


def region_vectors(m, scales):
    """Whole-map max, then the R-MAC regions of PoolFeatures (landmark_descriptor.cc), each
    L2-normalised: one row per region."""
    h, w, c = m.shape
    out = [m.reshape(-1, c).max(0)]
    side = min(h, w)
    for l in range(1, scales + 1):
        s = max(1, 2 * side // (l + 1))
        nx = max(1, math.ceil((w - s) / (0.6 * s)) + 1)
        ny = max(1, math.ceil((h - s) / (0.6 * s)) + 1)
        for y0 in starts(h, s, ny):
            for x0 in starts(w, s, nx):
                out.append(m[y0:y0 + s, x0:x0 + s].reshape(-1, c).max(0))
    r = np.stack(out)
    return r / (np.linalg.norm(r, axis=1, keepdims=True) + 1e-12)


def rmac(a, b):  # the shipped descriptor: sum of the regions, cosine
    x, y = a.sum(0), b.sum(0)
    return float(x @ y / np.linalg.norm(x) / np.linalg.norm(y))


def asym(a, b):  # mean best-matching region, both directions
    s = a @ b.T
    return float(0.5 * (s.max(1).mean() + s.max(0).mean()))


def regmax(a, b):  # the single best region pair
    return float((a @ b.T).max())


SIMILARITIES = {"rmac": rmac, "asym": asym, "regmax": regmax}


def regions(dirs, scales, sims, swap, transfer=False):
    dirs = dirs.split("+")

    def load(d, kind, name, v):
        a = np.fromfile(f"{d}/{kind}__{name}__{v}.f32", dtype=np.float32)
        h, w, c = a[:3].view(np.int32)
        return region_vectors(a[3:].reshape(h, w, c).astype(np.float64), scales)

    cache = {}

    def describe(kind, name, v):
        key = (kind, name, v)
        if key not in cache:
            cache[key] = [load(d, kind, name, v) for d in dirs]
        return cache[key]

    def names(kind):
        return sorted({os.path.basename(f).split("__")[1]
                       for f in glob.glob(f"{dirs[0]}/{kind}__*")})
    for name in sims:
        base = SIMILARITIES[name]
        # Several input sizes: the regions of all of them form one set.
        def sim(a, b, base=base):
            return base(np.concatenate(a), np.concatenate(b)) if len(a) > 1 else base(a[0], b[0])
        label = f"{'+'.join(os.path.basename(d) for d in dirs)} l<={scales} {name}"
        if not transfer:
            report(label + (" swapped" if swap else ""), *cohort(describe, sim, names, swap))
            continue
        # Threshold transfer: the threshold is set on one background split (its highest
        # non-matching margin + 0.0005) and applied unchanged to the other.
        runs = {sw: cohort(describe, sim, names, sw) for sw in (False, True)}
        for sw in (False, True):
            threshold = max(runs[sw][1])[0] + 0.0005
            correct, negative = runs[not sw]
            ok = sum(1 for _, m in correct if m >= threshold)
            false = sum(1 for m, _ in negative if m >= threshold)
            own = sum(1 for _, m in runs[sw][0] if m >= threshold)
            print(f"{label:40s} threshold {threshold:.4f} from the {'swapped' if sw else 'normal'} "
                  f"split: {own}/10 there; other split {ok}/10 correct, {false} false", flush=True)


def main(argv):
    if len(argv) >= 2 and argv[0] == "combine":
        combine(argv[1:])
    elif len(argv) >= 4 and argv[0] == "regions":
        for scales in argv[2].split(","):
            regions(argv[1], int(scales), argv[3].split(","), "--swap" in argv,
                    "--transfer" in argv)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Compares training/handsynth/model.py with the TypeScript reference (src/core/handModel/reference.ts).

    npx tsx training/tools/fk-reference.ts /tmp/fk.json && /usr/bin/python3 -m handsynth.parity /tmp/fk.json

(run from training/, or with PYTHONPATH=training). Exit status 1 when any joint, keypoint or vertex
differs by more than the tolerance (default 1e-6 m = 1 micrometre; both sides compute in float64,
so the measured difference is ~1e-16 m); the ROI rule (roiFromLandmarks) and the crop mapping
(imageToCrop) are compared too (same tolerance, in pixels / radians).
"""
import argparse
import json
import sys

import numpy as np

from .model import HandParams, forward, load_hand_model


def compare(path, tol=1e-6):
    with open(path) as f:
        data = json.load(f)
    worst = {"joints": 0.0, "keypoints": 0.0, "vertices": 0.0}
    for case in data["cases"]:
        p = HandParams.from_json(case["params"])
        m = load_hand_model(p.handedness)
        r = forward(m, p)
        for key, ours in (("joints", r.joints), ("keypoints", r.keypoints), ("vertices", r.vertices)):
            theirs = np.array(case[key], dtype=np.float64).reshape(-1, 3)
            worst[key] = max(worst[key], float(np.abs(theirs - ours).max()))
    from .geometry import image_to_crop, roi_from_landmarks

    worst["roi"] = 0.0
    worst["cropPx"] = 0.0
    for c in data.get("roiCases", []):
        roi = roi_from_landmarks(np.array(c["keypoints"]))
        t = c["roi"]
        d = np.abs(roi.to_array() - np.array([t["cx"], t["cy"], t["width"], t["height"], t["rotation"]])).max()
        worst["roi"] = max(worst["roi"], float(d))
        uv = image_to_crop(roi, np.array(c["keypoints"]))
        worst["cropPx"] = max(worst["cropPx"], float(np.abs(uv - np.array(c["crop"])).max()))
    return len(data["cases"]), worst


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--tol", type=float, default=1e-6)
    a = ap.parse_args(argv)
    n, worst = compare(a.file, a.tol)
    ok = all(v <= a.tol for v in worst.values())
    print(json.dumps({"cases": n, "maxAbsDiffMetres": worst, "tolerance": a.tol, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

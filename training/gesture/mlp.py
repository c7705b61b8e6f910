"""The exported gesture classifier (models/gesture-classifier.json) evaluated in numpy, float64: the
reference for the TypeScript evaluator (src/core/gesture/mlp.ts), checked by the parity test
(tests/unit/gesture-parity.test.ts):

    /usr/bin/python3 -m gesture.mlp MODEL.json FEATURES.json   -> JSON {"probabilities": [[...], ...]}
"""
from __future__ import annotations

import json
import sys

import numpy as np

FORMAT = "hands/gesture-classifier"


def load(path):
    with open(path) as fh:
        m = json.load(fh)
    if m.get("format") != FORMAT or m.get("version") != 1:
        raise ValueError("%s is not a %s v1 file" % (path, FORMAT))
    return m


def probabilities(model, x):
    """Softmax outputs for features x (N, F): standardise, dense layers with ReLU between, softmax."""
    x = (np.asarray(x, np.float64) - np.array(model["normalize"]["mean"])) / np.array(model["normalize"]["std"])
    layers = model["layers"]
    for i, layer in enumerate(layers):
        x = x @ np.array(layer["weights"], np.float64).T + np.array(layer["bias"], np.float64)
        if i < len(layers) - 1:
            x = np.maximum(x, 0)
    x = x - x.max(axis=1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=1, keepdims=True)


def main(argv):
    model = load(argv[0])
    with open(argv[1]) as fh:
        feats = json.load(fh)["features"]
    print(json.dumps({"probabilities": probabilities(model, feats).tolist()}))


if __name__ == "__main__":
    main(sys.argv[1:])

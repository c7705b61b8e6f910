"""Runs the PyTorch port of a TF.js graph on an input written by the parity test and prints its
outputs as JSON (tests/node/encoderParity.test.ts compares them with TF.js).

usage: python3 -m hiu.encoder_parity MODEL_JSON INPUT_F32 H W NODE [NODE ...]
"""
import json
import sys

import numpy as np
import torch

from .tfjs_graph import TfjsGraph


def main() -> None:
    model_json, input_path, h, w, *nodes = sys.argv[1:]
    x = np.fromfile(input_path, dtype="<f4").reshape(1, int(h), int(w), 3)
    g = TfjsGraph(model_json)
    with torch.no_grad():
        out = g(torch.from_numpy(x), nodes)
    print(json.dumps({k: v.reshape(-1).tolist() for k, v in out.items()}))


if __name__ == "__main__":
    main()

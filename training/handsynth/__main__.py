"""Command line of the synthetic hand data engine (run from training/ or with PYTHONPATH=training):

    /usr/bin/python3 -m handsynth render --out .cache/handsynth/train --seed 1 --count 20000 --workers 2
    /usr/bin/python3 -m handsynth bench [--seconds 20] [--workers 2]
    /usr/bin/python3 -m handsynth sheet --out docs/synthetic-contact-sheet.png [--seed 7 --count 64]
    /usr/bin/python3 -m handsynth export-crops --out .cache/handsynth/mp --count 300   (for the MediaPipe check)
    /usr/bin/python3 -m handsynth parity FILE.json   (FK/LBS against the TypeScript reference)
"""
import os

# one BLAS thread per process: the engine parallelises over samples
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from .geometry import LANDMARK_INPUT  # noqa: E402
from .render import SCENES  # noqa: E402


def cmd_render(a):
    from .dataset import render_shards
    from .render import Config

    t = time.time()
    n = render_shards(a.out, a.seed, a.count, a.shard_size, a.workers, a.start, Config(scene=a.scene))
    dt = time.time() - t
    print("rendered %d samples in %.1f s (%.1f img/s)" % (n, dt, n / dt))


def _dir_bytes(p):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(p) for f in fs)


def cmd_bench(a):
    from .dataset import ShardReader, dense_targets, stream, write_shard
    from .render import render_sample

    render_sample(0, 0)  # warm caches (asset, photos)
    res = {}
    for w in sorted(set([1, a.workers])):
        n, t0 = 0, time.time()
        it = stream(a.seed, 0, None, w)
        for _ in it:
            n += 1
            if time.time() - t0 > a.seconds:
                break
        it.close()
        res["stream_%dproc_img_per_s" % w] = round(n / (time.time() - t0), 2)
        print("stream, %d process(es): %.1f img/s (%d samples)" % (w, n / (time.time() - t0), n), flush=True)
    tmp = tempfile.mkdtemp(prefix="handsynth-bench-", dir=a.tmp)
    try:
        n = max(8, int(res["stream_%dproc_img_per_s" % a.workers] * a.seconds))
        t0 = time.time()
        write_shard(os.path.join(tmp, "shard-00000"), stream(a.seed, 0, n, a.workers), n, a.seed)
        dt = time.time() - t0
        b = _dir_bytes(tmp)
        res["shard_write_img_per_s"] = round(n / dt, 2)
        res["bytes_per_sample"] = int(b / n)
        print("shard write (render + store, %d workers): %.1f img/s; %d samples, %.1f KiB per sample" % (a.workers, n / dt, n, b / n / 1024), flush=True)
        r = ShardReader(tmp)
        idx = np.random.default_rng(0).permutation(len(r))
        t0 = time.time()
        for i in idx:
            x = r[int(i)]
        dt = time.time() - t0
        res["shard_read_img_per_s"] = round(len(r) / dt, 1)
        t0 = time.time()
        for i in idx:
            dense_targets(r[int(i)], 56)
        dt2 = time.time() - t0
        res["shard_read_dense56_img_per_s"] = round(len(r) / dt2, 1)
        print("shard read (random order, mmap): %.0f img/s; with dense 56x56 targets (heat maps + POF + mask): %.0f img/s" % (len(r) / dt, len(r) / dt2))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(res))


def cmd_sheet(a):
    from PIL import Image

    from .contact import contact_sheet
    from .dataset import stream

    ss = list(stream(a.seed, a.start, a.count, a.workers))
    im = contact_sheet(ss, cols=a.cols, scale=a.scale)
    if a.tile != LANDMARK_INPUT * a.scale:
        k = a.tile / (LANDMARK_INPUT * a.scale)
        im = im.resize((round(im.width * k), round(im.height * k)), Image.LANCZOS)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    if a.out.endswith(".jpg"):
        im.save(a.out, quality=88)
    else:
        if a.colors:  # a palette keeps a 64-sample sheet commit-sized
            im = im.quantize(colors=a.colors, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        im.save(a.out, optimize=True)
    print("wrote %s (%d samples, %d bytes)" % (a.out, len(ss), os.path.getsize(a.out)))


def cmd_export_crops(a):
    """Crops as one raw uint8 file + labels JSON, for training/tools/mediapipe-on-synthetic.ts; with
    --masks also the hand masks (masks.u8) and each scene's make-up, for scripts/measure-scene-masks.ts."""
    from .dataset import stream
    from .render import Config

    os.makedirs(a.out, exist_ok=True)
    labels = []
    cfg = Config(scene=a.scene)
    masks = open(os.path.join(a.out, "masks.u8"), "wb") if a.masks else None
    with open(os.path.join(a.out, "crops.u8"), "wb") as fh:
        for s in stream(a.seed, a.start, a.count, a.workers, cfg):
            fh.write(np.ascontiguousarray(s.image).tobytes())
            label = {
                "kp2d": s.kp2d.round(3).tolist(),
                "vis": s.vis.tolist(),
                "handedness": "right" if s.handedness == 0 else "left",
                "maskArea": int((s.mask >= 128).sum()),
                "gesture": s.info["gesture"],
                "frameEdge": bool(s.info.get("frame_edge")),
            }
            if masks:
                masks.write(np.ascontiguousarray(s.mask, dtype=np.uint8).tobytes())
                label["scene"] = {
                    "secondHand": "second_hand" in s.info,
                    "objects": s.info.get("objects", []),
                    "sleeve": s.info.get("sleeve") is not None,
                    "background": s.info["background"],
                    "motionBlur": bool(s.info.get("motion_blur")),
                    "blur": s.info["blur"],
                    "hidden": s.info["hidden"],
                    "hands": s.info.get("hands", 2 if "second_hand" in s.info else 1),
                    "forced": a.scene or None,
                }
            labels.append(label)
    if masks:
        masks.close()
    with open(os.path.join(a.out, "labels.json"), "w") as fh:
        json.dump({"size": LANDMARK_INPUT, "seed": a.seed, "start": a.start, "count": len(labels), "samples": labels}, fh)
    print("wrote %d crops to %s" % (len(labels), a.out))


def cmd_parity(a):
    from .parity import main

    sys.exit(main([a.file, "--tol", str(a.tol)]))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="handsynth", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("render", help="render cached shards")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--shard-size", type=int, default=1000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--scene", default="", choices=["", *SCENES], help="every sample this hard scene (render.SCENES; shards of hard scenes to mix into training)"
    )
    p.set_defaults(fn=cmd_render)
    p = sub.add_parser("bench", help="print images/second (stream, shard write/read) and bytes per sample")
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tmp", default=None)
    p.set_defaults(fn=cmd_bench)
    p = sub.add_parser("sheet", help="contact sheet PNG")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, default=64)
    p.add_argument("--cols", type=int, default=8)
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--tile", type=int, default=LANDMARK_INPUT, help="tile size in the written sheet (pixels)")
    p.add_argument("--colors", type=int, default=0, help="quantise the PNG to this many colours (0: full colour)")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(fn=cmd_sheet)
    p = sub.add_parser("export-crops", help="raw crops + labels for the MediaPipe-on-synthetic check")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1000)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--count", type=int, default=300)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--masks", action="store_true", help="also the hand masks and each scene's make-up")
    p.add_argument("--scene", default="", choices=["", *SCENES], help="every sample this hard scene (render.SCENES)")
    p.set_defaults(fn=cmd_export_crops)
    p = sub.add_parser("parity", help="compare FK/LBS with the TypeScript reference output")
    p.add_argument("file")
    p.add_argument("--tol", type=float, default=1e-6)
    p.set_defaults(fn=cmd_parity)
    a = ap.parse_args(argv)
    a.fn(a)


if __name__ == "__main__":
    main()

"""The exported heads' provenance comes from the checkpoint (run from training/):

    /usr/bin/python3 -m unittest tests.test_hiu_export -v

train.py's checkpoints (best.pt and last.pt) carry the record of their own weights, and hiu.export
writes that record and the checkpoint's name into hiu-heads.json, never figures typed in.
"""
import json
import shutil
import tempfile
import unittest
from pathlib import Path

import torch

from hiu.export import checkpoint_record, export
from hiu.model import MultiTaskHeads
from hiu.train import save_checkpoints


def record(step):
    return {"step": step, "samples_seen": 32 * step, "minutes": step / 100, "loss": 1.0 / step, "kp_mean_px": 10.0 + step, "mask_iou": 0.8}


class ExportReadsTheCheckpointsRecord(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="hiu-export-"))
        torch.manual_seed(0)
        self.model = MultiTaskHeads(channels=8, stages=1, regressor=True)
        self.opt = torch.optim.Adam(self.model.parameters())

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def provenance(self, checkpoint):
        models = self.dir / "models"
        models.mkdir(exist_ok=True)
        export(checkpoint, "the training command", {"data": "seed 1"}, models)
        return json.loads((models / "hiu-heads.json").read_text())["provenance"]

    def test_every_checkpoint_carries_its_record(self):
        first, second = record(300), record(600)
        state = {"step": 300, "best": None, "history": [first]}
        save_checkpoints(self.dir, self.model, self.opt, state, first, {"lr": 1e-3}, best=True)
        state = {"step": 600, "best": None, "history": [first, second]}
        save_checkpoints(self.dir, self.model, self.opt, state, second, {"lr": 1e-3}, best=False)
        self.assertEqual(torch.load(self.dir / "best.pt")["record"], first)
        self.assertEqual(torch.load(self.dir / "last.pt")["record"], second)
        for name, want in (("best.pt", first), ("last.pt", second)):
            p = self.provenance(self.dir / name)
            self.assertEqual(p["record"], want)
            self.assertTrue(p["checkpoint"].endswith(name))
            self.assertEqual(p["data"], "seed 1")

    def test_older_last_pt_uses_the_history_entry_of_its_step(self):
        # train.py before the record was stored in last.pt: it was written right after a validation
        ck = {"model": self.model.state_dict(), "config": self.model.config, "state": {"step": 600, "history": [record(300), record(600)]}}
        self.assertEqual(checkpoint_record(ck), record(600))
        ck["state"]["step"] = 700  # no validation at the saved step: nothing to report
        with self.assertRaises(ValueError):
            checkpoint_record(ck)

    def test_figures_are_not_typed_in(self):
        save_checkpoints(self.dir, self.model, self.opt, {"step": 300, "history": [record(300)]}, record(300), {}, best=False)
        with self.assertRaises(ValueError):
            export(self.dir / "last.pt", "cmd", {"record": {"step": 1}}, self.dir)


if __name__ == "__main__":
    unittest.main()


class ImportTheExport(unittest.TestCase):
    """hiu.from_export reads models/hiu-heads.* back into PyTorch (to fine-tune the shipped heads)."""

    def test_round_trip_of_a_random_model(self):
        from hiu.export import export_state
        from hiu.from_export import load_exported

        tmp = Path(tempfile.mkdtemp(prefix="hiu-import-"))
        try:
            torch.manual_seed(1)
            m = MultiTaskHeads(channels=8, stages=2, regressor=True).eval()
            export_state({"model": m.state_dict(), "config": m.config}, "test", {}, tmp)
            back, spec = load_exported(tmp)
            for k, v in m.state_dict().items():
                self.assertTrue(torch.equal(v, back.state_dict()[k]), k)
            taps = {r: torch.randn(1, c, r, r) for r, c in {56: 24, 28: 40, 14: 112, 7: 192}.items()}
            with torch.no_grad():
                a, b = m(taps)[-1], back(taps)[-1]
            for k in a:
                self.assertTrue(torch.equal(a[k], b[k]), k)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_the_shipped_heads_load_and_export_to_the_same_bytes(self):
        from hiu.export import REPO, tfjs_layout
        from hiu.from_export import load_exported

        model, spec = load_exported()
        blob = (REPO / "models" / spec["weights"]).read_bytes()
        again = b"".join(tfjs_layout(k, v).astype("<f4").tobytes() for k, v in model.state_dict().items())
        self.assertEqual(again, blob)

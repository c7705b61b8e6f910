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

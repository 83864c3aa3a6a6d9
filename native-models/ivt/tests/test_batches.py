import os
import random
import tempfile
import unittest

import _paths
import torch

from ivt.batches import ConfusableIdentities, identity_batches
from ivt.data import Record, load_images, load_records
from ivt.model import IVT, config_for
from ivt.tokenizer import WordPieceTokenizer, build_vocab


def people(n, per_person=3):
    return [Record(pid, f"{pid}_{k}.jpg", [f"caption {pid} {k}"], "train")
            for pid in range(n) for k in range(per_person)]


class IdentityBatchesTest(unittest.TestCase):
    def test_random_batches_have_distinct_people_with_per_id_images(self):
        records = people(40)
        batch = next(identity_batches(records, 16, 2, random.Random(0)))
        pids = [records[i].pid for i, _ in batch]
        self.assertEqual(len(batch), 16)
        self.assertEqual(len(set(pids)), 8)
        self.assertTrue(all(pids.count(p) == 2 for p in pids))
        self.assertEqual(len({i for i, _ in batch}), 16)  # two different images each

    def test_hard_batches_bring_confusable_people_together(self):
        records = people(40)
        confusable = ConfusableIdentities(k=1)
        # each person is confused with the next one only
        confusable.table = {p: [(p + 1) % 40] for p in range(40)}
        hard = identity_batches(records, 16, 2, random.Random(1), confusable, hard_share=1.0,
                                group=2)
        soft = identity_batches(records, 16, 2, random.Random(1))

        def mates(gen):
            # share of people in a batch beside someone they are confused with (either way)
            total = 0.0
            for _ in range(30):
                pids = {records[i].pid for i, _ in next(gen)}
                self.assertEqual(len(pids), 8)
                total += sum((p + 1) % 40 in pids or (p - 1) % 40 in pids for p in pids) / 8
            return total / 30

        self.assertGreater(mates(hard), 0.9)
        self.assertLess(mates(soft), 0.5)


class ConfusableRefreshTest(unittest.TestCase):
    def test_every_identity_gets_k_other_identities(self):
        torch.manual_seed(0)
        records = load_records(os.path.join(_paths.FIXTURES, "cuhk-pedes"), "train")
        with tempfile.TemporaryDirectory() as tmp:
            vocab = os.path.join(tmp, "vocab.txt")
            build_vocab([c for r in records for c in r.captions], vocab)
            tokenizer = WordPieceTokenizer.from_file(vocab)
        model = IVT(config_for("tiny", vocab_size=len(tokenizer)))
        images = load_images(records, model.cfg.image_height, model.cfg.image_width)
        model.train()
        confusable = ConfusableIdentities(k=2)
        confusable.refresh(model, tokenizer, records, images, random.Random(0))
        pids = {r.pid for r in records}
        self.assertEqual(set(confusable.table), pids)
        for p, mates in confusable.table.items():
            self.assertEqual(len(mates), min(2, len(pids) - 1))
            self.assertNotIn(p, mates)
            self.assertTrue(set(mates) <= pids)
        self.assertTrue(model.training)  # put back in training mode


if __name__ == "__main__":
    unittest.main()

import os
import unittest

import _paths
import torch

from ivt.data import augment, load_images, load_records, load_training_records
from ivt.metrics import rank_metrics


class LoaderTest(unittest.TestCase):
    def test_each_format_loads_with_disjoint_splits(self):
        for fmt in ("cuhk-pedes", "icfg-pedes", "rstpreid"):
            with self.subTest(fmt=fmt):
                root = os.path.join(_paths.FIXTURES, fmt)
                train = load_records(root, "train")
                test = load_records(root, "test")
                self.assertEqual(len(train), 6)
                self.assertEqual(len(test), 4)
                self.assertFalse({r.pid for r in train} & {r.pid for r in test})
                self.assertTrue(all(os.path.exists(r.image) and r.captions for r in train))
                images = load_images(test, 128, 64)
                self.assertEqual(tuple(images.shape), (4, 3, 128, 64))
                self.assertEqual(images.dtype, torch.uint8)

    def test_several_datasets_keep_their_people_apart(self):
        roots = [os.path.join(_paths.FIXTURES, f) for f in ("cuhk-pedes", "icfg-pedes")]
        first, second = (load_records(r, "train") for r in roots)
        both = load_training_records(roots, "train")
        self.assertEqual(len(both), len(first) + len(second))
        self.assertEqual(len({r.pid for r in both}),
                         len({r.pid for r in first}) + len({r.pid for r in second}))
        self.assertEqual([r.image for r in both], [r.image for r in first + second])

    def test_augmented_views_differ_but_keep_shape(self):
        root = os.path.join(_paths.FIXTURES, "cuhk-pedes")
        images = load_images(load_records(root, "train"), 32, 16)
        gen = torch.Generator().manual_seed(0)
        a, b = augment(images, gen), augment(images, gen)
        self.assertEqual(a.shape, images.shape)
        self.assertFalse(torch.allclose(a, b))


class MetricsTest(unittest.TestCase):
    def test_hand_computed_case(self):
        # gallery pids [1, 2, 1, 3]; query 0 (pid 1) ranks gallery 1,0,2,3 -> hits at ranks 2,3
        # AP = (1/2 + 2/3)/2 = 7/12. Query 1 (pid 3) ranks 3 first -> AP 1, R@1 hit.
        sim = torch.tensor([[0.8, 0.9, 0.7, 0.1],
                            [0.1, 0.2, 0.3, 0.9]])
        m = rank_metrics(sim, [1, 3], [1, 2, 1, 3], ks=(1, 2))
        self.assertAlmostEqual(m["R@1"], 50.0)
        self.assertAlmostEqual(m["R@2"], 100.0)
        self.assertAlmostEqual(m["mAP"], 100 * (7 / 12 + 1) / 2, places=6)


if __name__ == "__main__":
    unittest.main()

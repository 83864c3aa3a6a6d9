"""IVT 2.0 (hybrid): the ReID backbone as the image stem, cached features for frozen training,
and the warm start from the shipped 1.2.0 folder."""
import json
import os
import shutil
import tempfile
import unittest

import cv2
import numpy as np
import torch

from ivt.data import encode_texts, load_records, normalise
from ivt.features import FeatureViews, cached_features
from ivt.model import IVT, TextEncoder, config_for
from ivt.tokenizer import WordPieceTokenizer
from ivt.warmstart import warm_start
from tfjs2onnx.ort_bridge import run_onnx

from _paths import REPO

SHIPPED = os.path.join(REPO, "native-models", "ivt-small-synth-v1")
HAVE_NODE = shutil.which("node") is not None


def hybrid(vocab_size=50):
    torch.manual_seed(0)
    return IVT(config_for("hybrid", vocab_size=vocab_size)).eval()


class HybridModelTest(unittest.TestCase):
    def test_backbone_feature_map_becomes_32_patch_tokens(self):
        m = hybrid()
        self.assertEqual(m.num_patches, 32)
        pixels = normalise((torch.rand(2, 3, 256, 128) * 255).to(torch.uint8))
        with torch.no_grad():
            feats = m.patch_embed.features(pixels)
            self.assertEqual(tuple(feats.shape), (2, 128, 8, 4))
            a = m.encode_image(pixels)
            b = m.encode_image_features(feats)
        torch.testing.assert_close(a, b)
        self.assertGreater(float((a[0] - a[1]).abs().max()), 1e-4, "different crops, same embedding")

    def test_frozen_backbone_gets_no_gradient_the_rest_does(self):
        m = hybrid()
        m.patch_embed.freeze_backbone()
        m.train()
        pixels = normalise((torch.rand(4, 3, 256, 128) * 255).to(torch.uint8))
        m.encode_image(pixels).pow(2).sum().backward()
        self.assertTrue(all(p.grad is None for p in m.patch_embed.backbone.parameters()))
        self.assertIsNotNone(m.patch_embed.proj.weight.grad)
        self.assertIsNotNone(m.blocks[0].attn.qkv.weight.grad)

    def test_feature_views_flip_and_keep_shape(self):
        f = torch.arange(2 * 3 * 2 * 4, dtype=torch.float16).view(2, 3, 2, 4)
        views = FeatureViews(f, drop=0.0)
        seen = set()
        for seed in range(8):
            v = views.view(torch.tensor([0, 1]), torch.Generator().manual_seed(seed))
            for i in range(2):
                same = torch.equal(v[i], f[i].float())
                flipped = torch.equal(v[i], f[i].float().flip(-1))
                self.assertTrue(same or flipped)
                seen.add(same)
        self.assertEqual(seen, {True, False})


@unittest.skipUnless(HAVE_NODE, "node not on PATH")
class CachedFeaturesTest(unittest.TestCase):
    def test_onnx_features_equal_pytorch_and_are_reused(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        os.makedirs(os.path.join(d, "imgs"))
        rng = np.random.default_rng(1)
        recs = []
        for i in range(3):
            img = cv2.resize(rng.integers(0, 255, (16, 8, 3), dtype=np.uint8), (40, 90), interpolation=cv2.INTER_LINEAR)
            cv2.imwrite(os.path.join(d, "imgs", f"{i}.png"), img)
            recs.append({"id": i, "file_path": f"{i}.png", "captions": ["a person"], "split": "train"})
        with open(os.path.join(d, "reid_raw.json"), "w") as f:
            json.dump(recs, f)
        records = load_records(d, "train")
        m = hybrid()
        feats = cached_features(m, records, os.path.join(d, "cache"), log=lambda s: None)
        from ivt.data import load_images
        with torch.no_grad():
            want = m.patch_embed.features(normalise(load_images(records, 256, 128)))
        torch.testing.assert_close(feats.float(), want, atol=2e-2, rtol=1e-2)  # float16 cache
        os.remove(os.path.join(d, "imgs", "0.png"))  # a second call must not read the images again
        again = cached_features(m, records, os.path.join(d, "cache"), log=lambda s: None)
        self.assertTrue(torch.equal(again, feats))


@unittest.skipUnless(HAVE_NODE and os.path.exists(SHIPPED), "node or the shipped 1.2.0 folder absent")
class WarmStartTest(unittest.TestCase):
    def test_text_side_reproduces_the_shipped_text_encoder(self):
        vocab = os.path.join(SHIPPED, "vocab.txt")
        tok = WordPieceTokenizer.from_file(vocab)
        m = hybrid(len(tok))
        report = warm_start(m, vocab, SHIPPED)
        self.assertEqual(report["words_new"], 0)
        m.eval()
        ids, mask = encode_texts(tok, ["a man in a red jacket and black trousers", "woman, blue coat"], 64)
        with torch.no_grad():
            got = TextEncoder(m)(ids, mask).numpy()
        out, _ = run_onnx(os.path.join(SHIPPED, "text_encoder.onnx"),
                          {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
        np.testing.assert_allclose(got, out["embedding"], atol=1e-4)

    def test_new_words_start_from_their_lexicon_meaning(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        vocab = os.path.join(d, "vocab.txt")
        with open(os.path.join(SHIPPED, "vocab.txt")) as f:
            words = f.read().split("\n")
        with open(vocab, "w") as f:
            f.write("\n".join([w for w in words if w] + ["anorak", "zyzzyva"]) + "\n")
        tok = WordPieceTokenizer.from_file(vocab)
        m = hybrid(len(tok))
        report = warm_start(m, vocab, SHIPPED)
        self.assertEqual((report["words_by_meaning"], report["words_new"]), (1, 1))
        e = m.token_embed.weight
        torch.testing.assert_close(e[tok.vocab["anorak"]], e[tok.vocab["jacket"]])


if __name__ == "__main__":
    unittest.main()

"""IVT 2.0's image head (ivt/image_head.py): the committed image_head.onnx and manifest entry are what the
script makes from the committed image encoder, and the 0288 ReID model's "trunk" output through the head
gives the whole encoder's embedding."""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from ivt import backbone, image_head
from ivt.data import MEAN, STD
from ir2onnx.models import MODELS
from tfjs2onnx.ort_bridge import run_onnx

from _paths import REPO

MODEL = os.path.join(REPO, "native-models", "ivt-osnet-v2")
REID = os.path.join(REPO, "native-models", image_head.BACKBONE_ID)
HAVE_NODE = shutil.which("node") is not None


class ImageHead(unittest.TestCase):
    def test_one_set_of_facts(self):
        # image_head.py restates backbone.py's cut without importing torch; the converter exposes the same layer.
        self.assertEqual(image_head.BACKBONE_ID, backbone.BACKBONE_ID)
        self.assertEqual(image_head.FEATURE_LAYER, backbone.FEATURE_LAYER)
        trunk = MODELS[backbone.BACKBONE_ID]["outputs"][image_head.TRUNK_OUTPUT]
        self.assertEqual(trunk["name"], backbone.FEATURE_LAYER)
        self.assertEqual(trunk["shape"][0], backbone.CHANNELS)

    def test_rerunning_the_script_reproduces_the_committed_files(self):
        out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, out)
        image_head.write(MODEL, out)
        with open(os.path.join(out, image_head.HEAD_FILE), "rb") as a, open(os.path.join(MODEL, image_head.HEAD_FILE), "rb") as b:
            self.assertEqual(a.read(), b.read(), "image_head.onnx differs from what the script makes")
        with open(os.path.join(out, "manifest.json")) as a, open(os.path.join(MODEL, "manifest.json")) as b:
            self.assertEqual(a.read(), b.read())
        with open(os.path.join(MODEL, "manifest.json")) as fh:
            m = json.load(fh)
        self.assertEqual(m["image"]["sharedTrunk"], {"model": backbone.BACKBONE_ID, "output": "trunk", "head": "image_head.onnx", "input": "feature_map"})
        self.assertEqual(m["files"]["image_head.onnx"], image_head.sha256(os.path.join(MODEL, "image_head.onnx")))

    def test_an_encoder_without_a_backbone_is_refused(self):
        import onnx
        from onnx import helper, TensorProto
        g = helper.make_graph([helper.make_node("Relu", ["x"], ["embedding"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 2])])
        with self.assertRaisesRegex(SystemExit, "expected one tensor from the backbone into the head, found \\[\\]"):
            image_head.cut_tensor(helper.make_model(g))
        del onnx

    @unittest.skipUnless(HAVE_NODE, "node not on PATH")
    def test_trunk_then_head_equals_the_whole_encoder(self):
        rng = np.random.default_rng(4)
        low = rng.uniform(0, 255, (3, 3, 33, 17))
        bgr = np.clip(np.repeat(np.repeat(low, 8, 2), 8, 3)[:, :, :256, :128] + rng.normal(0, 10, (3, 3, 256, 128)), 0, 255).astype(np.float32)
        rgb01 = bgr[:, ::-1] / 255.0
        pixels = ((rgb01 - np.array(MEAN).reshape(1, 3, 1, 1)) / np.array(STD).reshape(1, 3, 1, 1)).astype(np.float32)
        whole, _ = run_onnx(os.path.join(MODEL, "image_encoder.onnx"), {"pixel_values": pixels})
        reid, _ = run_onnx(os.path.join(REID, "model.onnx"), {"data": np.ascontiguousarray(bgr)})
        self.assertEqual(reid[backbone.FEATURE_LAYER].shape, (3, 128, 16, 8))
        head, _ = run_onnx(os.path.join(MODEL, "image_head.onnx"), {"feature_map": reid[backbone.FEATURE_LAYER]})
        self.assertEqual(head["embedding"].shape, whole["embedding"].shape)
        self.assertGreater(float(np.std(whole["embedding"])), 1e-3)
        np.testing.assert_allclose(head["embedding"], whole["embedding"], atol=1e-4)


if __name__ == "__main__":
    unittest.main()

"""ir2torch: the PyTorch module read from an IR reproduces the NumPy reference (every operator) and
the vendored ReID network's ONNX in onnxruntime-node, at batch > 1, and its weights train."""
from __future__ import annotations

import os
import shutil
import tempfile
import unittest

import numpy as np
import torch

from ir2onnx import check_parity, ir2torch, ir_graph, reference
from ir2onnx.tests.test_ir2onnx import HAVE_NODE, every_op_graph

NATIVE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REID = "person-reidentification-retail-0288"
REID_XML = os.path.join(NATIVE, REID, "source", f"{REID}.xml")
REID_ONNX = os.path.join(NATIVE, REID, "model.onnx")
# The last layer before the global depthwise pooling of 0288: [N, 128, 16, 8] for a 256x128 crop.
REID_FEATURE_MAP = "1126"


class EveryOperator(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.ir = ir_graph.load(every_op_graph().write(self.dir))
        self.x = np.random.default_rng(5).uniform(0, 255, (3, 4, 12, 10)).astype(np.float32)

    def test_each_result_matches_the_reference_at_batch_3(self):
        ref = reference.run(self.ir, {"data": self.x})
        for result in self.ir.results:
            name = ir_graph.result_name(result)
            module = ir2torch.IrModule(self.ir, tap=self.ir.layers[result.sources[0][0]].name)
            with torch.no_grad():
                got = module(torch.from_numpy(self.x)).numpy()
            self.assertEqual(got.shape, ref[name].shape, name)
            np.testing.assert_allclose(got, ref[name], rtol=1e-4, atol=1e-5, err_msg=name)

    def test_two_results_need_a_tap(self):
        with self.assertRaisesRegex(ir_graph.IrError, "2 results; name a tap layer"):
            ir2torch.IrModule(self.ir)

    def test_unknown_tap_is_named(self):
        with self.assertRaisesRegex(ir_graph.IrError, "tap layer 'nope'"):
            ir2torch.IrModule(self.ir, tap="nope")


@unittest.skipUnless(os.path.exists(REID_XML), "vendored ReID IR absent")
class VendoredReid(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ir = ir_graph.load(REID_XML)
        cls.x = check_parity.fixed_inputs(128, 256, n=3)

    @unittest.skipUnless(HAVE_NODE, "node not on PATH")
    def test_reproduces_the_vendored_onnx(self):
        net = ir2torch.IrModule(self.ir)
        with torch.no_grad():
            got = net(torch.from_numpy(self.x)).numpy()
        out, _ = check_parity.run_onnx(REID_ONNX, {"data": self.x})
        want = out["reid_embedding"]
        self.assertEqual(got.shape, want.shape)
        diff = float(np.max(np.abs(got - want)))
        print(f"\n{REID}: max |torch - onnx| = {diff:.2e} (output range ±{np.max(np.abs(want)):.3g})")
        self.assertLess(diff, 1e-4)
        self.assertGreater(float(np.std(want)), 0.05, "degenerate inputs")
        # The converted model's second output is the same layer the IVT 2.0 stem taps (its image head reads it).
        with torch.no_grad():
            fmap = ir2torch.IrModule(self.ir, tap=REID_FEATURE_MAP)(torch.from_numpy(self.x)).numpy()
        self.assertEqual(out[REID_FEATURE_MAP].shape, fmap.shape)
        self.assertLess(float(np.max(np.abs(out[REID_FEATURE_MAP] - fmap))), 1e-4 * max(1.0, float(np.max(fmap))))

    def test_feature_map_tap_is_a_trainable_stem(self):
        stem = ir2torch.IrModule(self.ir, tap=REID_FEATURE_MAP)
        self.assertEqual(stem.out_dims[1:], (128, 16, 8))
        self.assertFalse(any(self.ir.layers[i].type == "MatMul" for i in stem.steps), "head kept")
        x = torch.from_numpy(self.x[:2])
        fmap = stem(x)
        self.assertEqual(tuple(fmap.shape), (2, 128, 16, 8))
        # per-image (instance norm): a crop's features do not depend on its batch neighbours
        with torch.no_grad():
            alone = stem(x[:1])
        torch.testing.assert_close(alone, fmap[:1].detach(), rtol=1e-4, atol=1e-4)
        fmap.pow(2).mean().backward()
        grads = [p.grad for p in stem.parameters()]
        self.assertTrue(all(g is not None for g in grads))
        self.assertGreater(sum(float(g.abs().sum()) for g in grads), 0.0)


if __name__ == "__main__":
    unittest.main()

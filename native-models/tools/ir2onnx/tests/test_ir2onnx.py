"""IR reader, NumPy reference and converter on small IR graphs that use every supported operator,
plus the vendored networks when they are present. ONNX runs in onnxruntime-node (no Python ORT)."""
from __future__ import annotations

import os
import shutil
import tempfile
import unittest

import numpy as np

from ir2onnx import check_parity, converter, ir_graph, reference
from ir2onnx.tests.ir_builder import IrBuilder

HAVE_NODE = shutil.which("node") is not None
PAD0 = {"pads_begin": "0, 0", "pads_end": "0, 0"}


def every_op_graph() -> IrBuilder:
    """input [1,4,12,10] through every operator the converter maps (shapes are the batch-1 dims)."""
    rng = np.random.default_rng(3)
    g = IrBuilder()
    x = g.parameter("data", (1, 4, 12, 10))
    flip = g.op("Gather", [x, g.const(np.array([2, 1, 0, 3], np.int32)), g.const(np.array([1], np.int64))], (1, 4, 12, 10), version="opset8", batch_dims=0)
    s = g.op("Subtract", [flip, g.const(np.full((1, 4, 1, 1), 100, np.float32))], (1, 4, 12, 10), auto_broadcast="numpy")
    m = g.op("Multiply", [s, g.const(np.array([[[[0.02]]]], np.float32))], (1, 4, 12, 10), auto_broadcast="numpy")
    mvn = g.op("MVN", [m, g.const(np.array([2, 3], np.int64))], (1, 4, 12, 10), version="opset6", eps="1e-5", eps_mode="INSIDE_SQRT", normalize_variance="true")
    c = g.op("Convolution", [mvn, g.const(rng.normal(0, 0.3, (6, 4, 3, 3)).astype(np.float32))], (1, 6, 6, 5),
             strides="2, 2", dilations="1, 1", pads_begin="1, 1", pads_end="1, 0", auto_pad="explicit")
    c = g.op("Add", [c, g.const(rng.normal(0, 0.1, (1, 6, 1, 1)).astype(np.float32))], (1, 6, 6, 5), auto_broadcast="numpy")
    r = g.op("ReLU", [c], (1, 6, 6, 5))
    gc = g.op("GroupConvolution", [r, g.const(rng.normal(0, 0.3, (3, 2, 2, 3, 3)).astype(np.float32))], (1, 6, 6, 5),
              strides="1, 1", dilations="1, 1", pads_begin="1, 1", pads_end="1, 1", auto_pad="explicit")
    sg = g.op("Sigmoid", [gc], (1, 6, 6, 5))
    mp = g.op("MaxPool", [sg], (1, 6, 3, 3), version="opset8", kernel="3, 3", strides="2, 2", dilations="1, 1",
              pads_begin="1, 1", pads_end="1, 1", rounding_type="floor", auto_pad="explicit", axis="0", index_element_type="i64")
    ap = g.op("AvgPool", [gc], (1, 6, 3, 3), kernel="2, 2", strides="2, 2", pads_begin="0, 0", pads_end="1, 1",
              rounding_type="floor", auto_pad="explicit", exclude__pad="true")
    cat = g.op("Concat", [mp, ap], (1, 12, 3, 3), axis="1")
    cl = g.op("Clamp", [cat], (1, 12, 3, 3), min="0.1", max="0.9")
    rm = g.op("ReduceMean", [cl, g.const(np.array([2, 3], np.int64))], (1, 12, 1, 1), keep_dims="true")
    rx = g.op("ReduceMax", [cl, g.const(np.array([-1], np.int64))], (1, 12, 3, 1), keep_dims="true")
    rx = g.op("Reshape", [rx, g.const(np.array([0, 12, 3], np.int64))], (1, 12, 3), special_zero="true")
    mv3 = g.op("MVN", [rx, g.const(np.array([2], np.int64))], (1, 12, 3), version="opset6", eps="0.5", eps_mode="OUTSIDE_SQRT", normalize_variance="true")
    flat = g.op("Reshape", [rm, g.const(np.array([-1, 12], np.int64))], (1, 12), special_zero="true")
    fc = g.op("MatMul", [flat, g.const(rng.normal(0, 0.5, (5, 12)).astype(np.float32))], (1, 5), transpose_a="false", transpose_b="true")
    shape = g.op("ShapeOf", [fc], (2,), version="opset3", out_prec="I64", output_type="i64")
    n = g.op("Gather", [shape, g.const(np.array([0], np.int64)), g.const(np.array(0, np.int64))], (1,), version="opset8", out_prec="I64", batch_dims=0)
    tgt = g.op("Concat", [n, g.const(np.array([-1], np.int64)), g.const(np.array([1], np.int64))], (3,), out_prec="I64", axis="0")
    fc3 = g.op("Reshape", [fc, tgt], (1, 5, 1), special_zero="true")
    pr = g.op("PReLU", [fc3, g.const(np.array([[0.25]], np.float32))], (1, 5, 1))
    g.result(pr, "embedding")
    g.result(mv3, "rows")
    return g


class EveryOperator(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.xml = every_op_graph().write(self.dir)
        self.ir = ir_graph.load(self.xml)
        self.x = np.random.default_rng(5).uniform(0, 255, (3, 4, 12, 10)).astype(np.float32)

    def test_reader_follows_the_edges(self):
        self.assertEqual([p.name for p in self.ir.parameters], ["data"])
        self.assertEqual(sorted(ir_graph.result_name(r) for r in self.ir.results), ["embedding", "rows"])
        pos = {lid: i for i, lid in enumerate(self.ir.order)}
        for lid, layer in self.ir.layers.items():
            for src, _ in layer.sources:
                self.assertLess(pos[src], pos[lid], f"{layer.name} ordered before its input")

    def test_reference_matches_hand_computed_ops(self):
        # Convolution with explicit asymmetric pads vs a direct loop
        g = IrBuilder()
        x = g.parameter("x", (1, 2, 5, 4))
        w = np.arange(2 * 2 * 3 * 3, dtype=np.float32).reshape(2, 2, 3, 3) / 10
        c = g.op("Convolution", [x, g.const(w)], (1, 2, 2, 1), strides="2, 2", dilations="1, 1", pads_begin="1, 0", pads_end="0, 0", auto_pad="explicit")
        g.result(c, "y")
        ir = ir_graph.load(g.write(self.dir, "conv"))
        xv = np.arange(40, dtype=np.float32).reshape(1, 2, 5, 4)
        got = reference.run(ir, {"x": xv})["y"]
        xp = np.pad(xv, ((0, 0), (0, 0), (1, 0), (0, 0)))
        want = np.zeros((1, 2, (6 - 3) // 2 + 1, (4 - 3) // 2 + 1))
        self.assertEqual(got.shape, want.shape)
        for o in range(2):
            for i in range(want.shape[2]):
                for j in range(want.shape[3]):
                    want[0, o, i, j] = np.sum(xp[0, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3] * w[o])
        np.testing.assert_allclose(got, want, rtol=1e-6)

    def test_mvn_eps_modes(self):
        L = ir_graph.Layer(0, "m", "MVN", "opset6", {"eps": "0.5", "eps_mode": "OUTSIDE_SQRT", "normalize_variance": "true"}, [], [])
        x = np.array([[[1.0, 3.0]]])
        np.testing.assert_allclose(reference._mvn(x, np.array([2]), L), [[[-1 / 1.5, 1 / 1.5]]])
        L.data["eps_mode"] = "INSIDE_SQRT"
        np.testing.assert_allclose(reference._mvn(x, np.array([2]), L), [[[-1 / np.sqrt(1.5), 1 / np.sqrt(1.5)]]])

    @unittest.skipUnless(HAVE_NODE, "node not on PATH")
    def test_onnx_matches_reference_at_batch_3(self):
        model = converter.convert(self.ir)
        path = os.path.join(self.dir, "net.onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        ref = reference.run(self.ir, {"data": self.x})
        out, _ = check_parity.run_onnx(path, {"data": self.x})
        self.assertEqual(sorted(out), ["embedding", "rows"])
        for k in ref:
            self.assertEqual(out[k].shape, ref[k].shape, k)
            np.testing.assert_allclose(out[k], ref[k], rtol=1e-4, atol=1e-5, err_msg=k)
        self.assertGreater(float(np.std(ref["embedding"])), 1e-3, "degenerate test graph")

    @unittest.skipUnless(HAVE_NODE, "node not on PATH")
    def test_a_tap_is_an_extra_output_and_leaves_the_results_unchanged(self):
        tap = next(L for L in self.ir.layers.values() if L.type == "ReLU")
        plain, tapped = converter.convert(self.ir), converter.convert(self.ir, taps=[tap.name])
        self.assertEqual([o.name for o in tapped.graph.output], [o.name for o in plain.graph.output] + [tap.outputs[0].names[0] if tap.outputs[0].names else f"{tap.name}:{tap.outputs[0].id}"])
        dims = [d.dim_param or d.dim_value for d in tapped.graph.output[-1].type.tensor_type.shape.dim]
        self.assertEqual(dims, ["batch"] + list(tap.outputs[0].dims[1:]))
        outs = {}
        for name, model in (("plain", plain), ("tapped", tapped)):
            path = os.path.join(self.dir, f"{name}.onnx")
            with open(path, "wb") as f:
                f.write(model.SerializeToString())
            outs[name], _ = check_parity.run_onnx(path, {"data": self.x})
        for k in outs["plain"]:
            np.testing.assert_array_equal(outs["tapped"][k], outs["plain"][k], err_msg=k)
        tapped_out = outs["tapped"][tapped.graph.output[-1].name]
        self.assertEqual(tapped_out.shape, (3,) + tuple(tap.outputs[0].dims[1:]))
        self.assertGreaterEqual(float(tapped_out.min()), 0.0)  # a ReLU's output
        with self.assertRaisesRegex(ir_graph.IrError, r"tap layer 'nope' is not an inner layer"):
            converter.convert(self.ir, taps=["nope"])

    def test_conversion_is_deterministic(self):
        a = converter.convert(ir_graph.load(self.xml)).SerializeToString()
        b = converter.convert(ir_graph.load(self.xml)).SerializeToString()
        self.assertEqual(a, b)


class BadInput(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def test_missing_bin_names_the_file(self):
        xml = every_op_graph().write(self.dir)
        os.remove(xml[:-4] + ".bin")
        with self.assertRaisesRegex(ir_graph.IrError, r"net\.bin: cannot read IR weights"):
            ir_graph.load(xml)

    def test_not_an_ir(self):
        path = os.path.join(self.dir, "x.xml")
        with open(path, "w") as f:
            f.write("<html/>")
        with self.assertRaisesRegex(ir_graph.IrError, r"x\.xml: not an OpenVINO IR"):
            ir_graph.load(path)

    def test_unknown_operator_names_the_layer(self):
        g = IrBuilder()
        x = g.parameter("x", (1, 2, 3, 3))
        y = g.op("Swish", [x], (1, 2, 3, 3))
        g.result(y, "y")
        ir = ir_graph.load(g.write(self.dir))
        with self.assertRaisesRegex(ir_graph.IrError, r"swish_1: IR operator Swish not supported by the converter"):
            converter.convert(ir)
        with self.assertRaisesRegex(ir_graph.IrError, r"swish_1: IR operator Swish not supported by the reference"):
            reference.run(ir, {"x": np.zeros((1, 2, 3, 3))})


@unittest.skipUnless(HAVE_NODE, "node not on PATH")
class VendoredNetworks(unittest.TestCase):
    """The committed model.onnx files against the reference on fixed images (batch 2)."""

    def test_parity(self):
        from ir2onnx.models import MODELS
        for model_id, spec in sorted(MODELS.items()):
            if not os.path.exists(os.path.join(check_parity.convert.NATIVE, model_id, "model.onnx")):
                continue
            with self.subTest(model=model_id):
                diffs, ref = check_parity.parity(model_id, check_parity.fixed_inputs(spec["input"]["width"], spec["input"]["height"]))
                for k, d in diffs.items():
                    self.assertLess(d, 1e-4 * max(1.0, float(np.max(np.abs(ref[k])))), f"{model_id} {k}")

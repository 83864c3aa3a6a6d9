"""Writes small OpenVINO IR v11 files (XML + .bin) for the tests: one layer per operator."""
from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple
from xml.sax.saxutils import quoteattr

import numpy as np

_ET = {np.dtype(np.float32): ("f32", "FP32"), np.dtype(np.float16): ("f16", "FP16"),
       np.dtype(np.int64): ("i64", "I64"), np.dtype(np.int32): ("i32", "I32")}

Ref = Tuple[int, int, Tuple[int, ...], str]  # layer id, port id, dims, precision


class IrBuilder:
    def __init__(self) -> None:
        self.layers: List[str] = []
        self.edges: List[Tuple[int, int, int, int]] = []
        self.blob = bytearray()
        self.next_id = 0

    def _layer(self, type_: str, inputs: Sequence[Ref], out_dims: Sequence[Tuple[int, ...]], data: Optional[Dict[str, str]] = None,
               name: Optional[str] = None, version: str = "opset1", out_prec: str = "FP32", out_names: Sequence[str] = ()) -> List[Ref]:
        lid = self.next_id
        self.next_id += 1
        name = name or f"{type_.lower()}_{lid}"
        xml = [f'<layer id="{lid}" name={quoteattr(name)} type="{type_}" version="{version}">']
        if data:
            xml.append("<data " + " ".join(f"{k}={quoteattr(str(v))}" for k, v in data.items()) + " />")
        if inputs:
            xml.append("<input>")
            for i, (src, sport, dims, prec) in enumerate(inputs):
                xml.append(f'<port id="{i}" precision="{prec}">' + "".join(f"<dim>{d}</dim>" for d in dims) + "</port>")
                self.edges.append((src, sport, lid, i))
            xml.append("</input>")
        refs: List[Ref] = []
        if out_dims is not None and len(out_dims):
            xml.append("<output>")
            for j, dims in enumerate(out_dims):
                pid = len(inputs) + j
                names = f' names="{out_names[j]}"' if j < len(out_names) else ""
                xml.append(f'<port id="{pid}" precision="{out_prec}"{names}>' + "".join(f"<dim>{d}</dim>" for d in dims) + "</port>")
                refs.append((lid, pid, tuple(dims), out_prec))
            xml.append("</output>")
        xml.append("</layer>")
        self.layers.append("\n".join(xml))
        return refs

    def parameter(self, name: str, dims: Tuple[int, ...]) -> Ref:
        return self._layer("Parameter", [], [dims], {"shape": ",".join(map(str, dims)), "element_type": "f32"}, name=name, out_names=[name])[0]

    def const(self, value: np.ndarray) -> Ref:
        value = np.ascontiguousarray(value)
        et, prec = _ET[value.dtype]
        off = len(self.blob)
        self.blob += value.tobytes()
        return self._layer("Const", [], [value.shape], {"element_type": et, "shape": ", ".join(map(str, value.shape)),
                                                         "offset": off, "size": value.nbytes}, out_prec=prec)[0]

    def op(self, type_: str, inputs: Sequence[Ref], out_dims: Tuple[int, ...], version: str = "opset1", out_prec: str = "FP32", **data) -> Ref:
        return self._layer(type_, inputs, [out_dims], {k.replace("__", "-"): v for k, v in data.items()} or None, version=version, out_prec=out_prec)[0]

    def result(self, src: Ref, name: str) -> None:
        self._layer("Result", [src], [], name=f"{name}/sink_port_0")

    def write(self, folder: str, stem: str = "net") -> str:
        xml = ['<?xml version="1.0"?>', '<net name="test" version="11">', "<layers>", *self.layers, "</layers>", "<edges>"]
        xml += [f'<edge from-layer="{a}" from-port="{b}" to-layer="{c}" to-port="{d}" />' for a, b, c, d in self.edges]
        xml += ["</edges>", "</net>"]
        path = os.path.join(folder, stem + ".xml")
        with open(path, "w") as f:
            f.write("\n".join(xml))
        with open(os.path.join(folder, stem + ".bin"), "wb") as f:
            f.write(bytes(self.blob))
        return path

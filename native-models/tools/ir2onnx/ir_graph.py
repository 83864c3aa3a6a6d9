"""OpenVINO IR (v10/v11) reader: the .xml topology plus the .bin weights.

An IR is a list of layers (each with numbered input and output ports, output ports carrying
their static dims) and a list of edges (from-layer:from-port -> to-layer:to-port). Const layers
point into the .bin by offset/size. This module only reads; it knows nothing of ONNX.
"""
from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

ELEMENT_TYPES = {
    "f32": np.float32, "f16": np.float16, "i64": np.int64, "i32": np.int32,
    "i8": np.int8, "u8": np.uint8, "boolean": np.bool_,
}


class IrError(Exception):
    pass


@dataclass
class Port:
    id: int
    dims: Tuple[int, ...]
    names: Tuple[str, ...] = ()


@dataclass
class Layer:
    id: int
    name: str
    type: str
    version: str
    data: Dict[str, str]
    inputs: List[Port]
    outputs: List[Port]
    # (producer layer id, producer port id) for each input port, in port order
    sources: List[Tuple[int, int]] = field(default_factory=list)
    value: Optional[np.ndarray] = None  # Const layers only

    def ints(self, key: str) -> List[int]:
        return [int(v) for v in self.data[key].replace(" ", "").split(",") if v != ""]


@dataclass
class IrModel:
    name: str
    layers: Dict[int, Layer]
    order: List[int]  # topological, ties broken by layer id

    def of_type(self, t: str) -> List[Layer]:
        return [self.layers[i] for i in self.order if self.layers[i].type == t]

    @property
    def parameters(self) -> List[Layer]:
        return self.of_type("Parameter")

    @property
    def results(self) -> List[Layer]:
        return self.of_type("Result")


def result_name(layer: Layer) -> str:
    """A Result's tensor name: its layer name without OpenVINO's "/sink_port_N" suffix."""
    name = layer.name
    cut = name.rfind("/sink_port_")
    return name[:cut] if cut >= 0 else name


def _ports(elem) -> List[Port]:
    if elem is None:
        return []
    ports = []
    for p in elem.findall("port"):
        dims = tuple(int(d.text) for d in p.findall("dim"))
        names = tuple(n for n in (p.get("names") or "").split(",") if n)
        ports.append(Port(int(p.get("id")), dims, names))
    return ports


def load(xml_path: str, bin_path: Optional[str] = None) -> IrModel:
    if bin_path is None:
        bin_path = os.path.splitext(xml_path)[0] + ".bin"
    try:
        root = ET.parse(xml_path).getroot()
    except (OSError, ET.ParseError) as e:
        raise IrError(f"{xml_path}: cannot read IR XML ({e})") from e
    if root.tag != "net" or root.get("version") not in ("10", "11"):
        raise IrError(f"{xml_path}: not an OpenVINO IR v10/v11 file (root <{root.tag} version={root.get('version')}>)")
    try:
        with open(bin_path, "rb") as f:
            blob = f.read()
    except OSError as e:
        raise IrError(f"{bin_path}: cannot read IR weights ({e})") from e

    layers: Dict[int, Layer] = {}
    for el in root.find("layers"):
        data_el = el.find("data")
        layer = Layer(
            id=int(el.get("id")), name=el.get("name"), type=el.get("type"), version=el.get("version"),
            data=dict(data_el.attrib) if data_el is not None else {},
            inputs=_ports(el.find("input")), outputs=_ports(el.find("output")),
        )
        if layer.type == "Const":
            et = layer.data["element_type"]
            if et not in ELEMENT_TYPES:
                raise IrError(f"{xml_path}: layer {layer.name}: unsupported element type {et}")
            off, size = int(layer.data["offset"]), int(layer.data["size"])
            if off + size > len(blob):
                raise IrError(f"{bin_path}: layer {layer.name} reads bytes {off}..{off + size}, file has {len(blob)}")
            shape = tuple(int(s) for s in layer.data.get("shape", "").replace(" ", "").split(",") if s != "")
            arr = np.frombuffer(blob, ELEMENT_TYPES[et], size // np.dtype(ELEMENT_TYPES[et]).itemsize, off)
            layer.value = arr.reshape(shape).copy()
        layers[layer.id] = layer

    incoming: Dict[Tuple[int, int], Tuple[int, int]] = {}
    for e in root.find("edges"):
        incoming[(int(e.get("to-layer")), int(e.get("to-port")))] = (int(e.get("from-layer")), int(e.get("from-port")))
    for layer in layers.values():
        for p in layer.inputs:
            src = incoming.get((layer.id, p.id))
            if src is None:
                raise IrError(f"{xml_path}: input port {p.id} of layer {layer.name} is not connected")
            layer.sources.append(src)

    # Kahn's algorithm with a sorted ready list: a fixed order whatever the XML's layer order.
    deps = {i: {s for s, _ in layers[i].sources} for i in layers}
    users: Dict[int, List[int]] = {i: [] for i in layers}
    for i, ds in deps.items():
        for d in ds:
            users[d].append(i)
    ready = sorted(i for i, ds in deps.items() if not ds)
    order: List[int] = []
    remaining = {i: len(ds) for i, ds in deps.items()}
    import heapq
    heapq.heapify(ready)
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for u in users[i]:
            remaining[u] -= 1
            if remaining[u] == 0:
                heapq.heappush(ready, u)
    if len(order) != len(layers):
        raise IrError(f"{xml_path}: the layer graph has a cycle")
    return IrModel(root.get("name"), layers, order)

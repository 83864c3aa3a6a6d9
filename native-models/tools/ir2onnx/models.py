"""The OpenVINO networks Sightline vendors, and what their manifests say about them.

One entry per model folder `native-models/<id>/`: the IR in `source/`, and the manifest
fields that are facts about the network (input spec, outputs). convert.py adds the file
checksums. Open Model Zoo documents every one of these as: BGR, 0-255, no normalisation
(the mean/scale are inside the IR), NCHW.
"""
from __future__ import annotations

_BGR_0_255 = {"layout": "NCHW", "colorOrder": "BGR", "mean": [0, 0, 0], "std": [1, 1, 1], "range": "0-255", "resize": "stretch"}

_REID_OUTPUT = {"embedding": {"name": "reid_embedding", "dim": 256,
                              "meaning": "appearance embedding of the person; compare L2-normalised vectors by cosine"}}

MODELS = {
    "person-reidentification-retail-0287": {
        "kind": "reid",
        "version": "1.0.0",
        "description": "Person re-identification (OmniScaleNet-style, Open Model Zoo person-reidentification-retail-0287): a 256-d appearance embedding per person crop.",
        "input": {"name": "data", "width": 128, "height": 256, **_BGR_0_255},
        "outputs": _REID_OUTPUT,
    },
    "person-reidentification-retail-0288": {
        "kind": "reid",
        "version": "1.0.0",
        "description": "Person re-identification (OmniScaleNet-style, smaller variant, Open Model Zoo person-reidentification-retail-0288): a 256-d appearance embedding per person crop.",
        "input": {"name": "data", "width": 128, "height": 256, **_BGR_0_255},
        # "trunk" is an inner layer, not an IR Result: the converter adds it as a second graph output
        # (the embedding is unchanged), so one pass feeds both the ReID stage and IVT 2.0's image head.
        "outputs": {**_REID_OUTPUT,
                    "trunk": {"name": "1126", "shape": [128, 16, 8],
                              "meaning": "feature map before the global depthwise pooling (ReLU after the last 1x1 conv): the image stem of IVT 2.0 (ivt-osnet-v2)"}},
    },
    "person-attributes-recognition-crossroad-0230": {
        "kind": "attributes",
        "version": "1.0.0",
        "description": "Pedestrian attributes (Open Model Zoo person-attributes-recognition-crossroad-0230): 8 attribute probabilities and the points of the top and bottom garment colour in the crop.",
        "input": {"name": "0", "width": 80, "height": 160, **_BGR_0_255},
        "outputs": {
            "attributes": {"name": "453", "shape": [8], "meaning": "probabilities, in this order",
                           "labels": ["isMale", "hasBag", "hasBackpack", "hasHat", "longSleeves", "longPants", "longHair", "coatJacket"]},
            "topColorPoint": {"name": "456", "shape": [2], "meaning": "(x, y) of the top garment's colour, 0-1 in crop coordinates"},
            "bottomColorPoint": {"name": "459", "shape": [2], "meaning": "(x, y) of the bottom garment's colour, 0-1 in crop coordinates"},
        },
    },
}

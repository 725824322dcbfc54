"""Write the ONNX fixtures of tests/data/onnx with the real PyTorch exporter.

Rerun with torch installed (``pip install torch==2.13.0 onnxscript``), from the repository root:
``python scripts/make_onnx_fixtures.py``. The suite itself needs only onnx and onnxruntime: it reads the files
this script wrote. Versions used for the committed files are in tests/data/onnx/VERSIONS.txt, which this
script rewrites.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import onnx
import torch
from torch import nn

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "onnx"


def mlp(*modules: nn.Module, seed: int) -> nn.Sequential:
    """A Sequential with weights drawn from ``seed`` (deterministic files)."""
    torch.manual_seed(seed)
    return nn.Sequential(*modules).eval()


def export(model: nn.Module, inputs: int | tuple[int, ...], name: str, *, dynamo: bool, double: bool = False) -> None:
    """Export ``model`` with a dynamic batch axis to OUT/name; ``inputs``: features per row, or their shape."""
    if double:
        model = model.double()
    shape = inputs if isinstance(inputs, tuple) else (inputs,)
    example = torch.zeros(2, *shape, dtype=torch.float64 if double else torch.float32)
    path = OUT / name
    if dynamo:
        program = torch.onnx.export(
            model, (example,), dynamo=True, input_names=["x"], output_names=["y"],
            dynamic_shapes=({0: torch.export.Dim("batch")},), optimize=True,
        )
        program.save(str(path))
    else:
        torch.onnx.export(
            model, (example,), str(path), dynamo=False, input_names=["x"], output_names=["y"],
            dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=17,
        )
    onnx.checker.check_model(onnx.load(str(path)))
    print(name, [node.op_type for node in onnx.load(str(path)).graph.node])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # The TorchScript exporter: Linear becomes Gemm with transB=1.
    export(mlp(nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 2), nn.Sigmoid(), seed=1), 3,
           "torch_script_sigmoid_f32.onnx", dynamo=False)
    export(mlp(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 2), seed=2), 4,
           "torch_script_tanh_relu_f64.onnx", dynamo=False, double=True)
    # The dynamo exporter (the default since torch 2.9).
    export(mlp(nn.Linear(3, 5), nn.Sigmoid(), nn.Linear(5, 2), nn.Sigmoid(), seed=3), 3,
           "torch_dynamo_sigmoid_f32.onnx", dynamo=True)
    export(mlp(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3), nn.ReLU(), nn.Linear(3, 2), nn.Identity(), seed=4), 4,
           "torch_dynamo_tanh_relu_f64.onnx", dynamo=True, double=True)
    # nn.Flatten on [batch, 1, 3, 4] images: Flatten (TorchScript) or a Reshape (dynamo) that moves no value.
    export(mlp(nn.Flatten(), nn.Linear(12, 5), nn.ReLU(), nn.Linear(5, 2), nn.Sigmoid(), seed=7), (1, 3, 4),
           "torch_script_flatten_f32.onnx", dynamo=False)
    export(mlp(nn.Flatten(), nn.Linear(12, 5), nn.Tanh(), nn.Linear(5, 2), seed=8), (1, 3, 4),
           "torch_dynamo_flatten_f64.onnx", dynamo=True, double=True)
    # Refused: an operator Synaptic has no squash for.
    export(mlp(nn.Linear(3, 4), nn.LeakyReLU(), nn.Linear(4, 2), seed=5), 3,
           "torch_script_leakyrelu.onnx", dynamo=False)
    export(mlp(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2), nn.Softmax(dim=1), seed=6), 3,
           "torch_dynamo_softmax.onnx", dynamo=True)
    versions = (
        f"torch {torch.__version__}\nonnx {onnx.__version__}\n"
        f"onnxscript {__import__('onnxscript').__version__}\npython {platform.python_version()}\n"
    )
    (OUT / "VERSIONS.txt").write_text(versions)
    sys.stdout.write(versions)


if __name__ == "__main__":
    main()

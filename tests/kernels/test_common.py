"""The helpers every kernel family shares: where fused-activation bounds live in lowered params,
and which bounds TFLM's Quantize() cannot represent."""
from __future__ import annotations

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.kernels import KERNELS, common
from mcucompile.reader import read_model
from tests.support.modelbuilder import ModelBuilder

# The operators with a fused activation; a graph pass reads their bounds under these two keys.
FUSED_ACTIVATION_KINDS = ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "TRANSPOSE_CONV",
                          "AVERAGE_POOL_2D", "MAX_POOL_2D", "ADD", "SUB", "MUL"]
_BINARY_OPTIONS = {"ADD": "AddOptions", "SUB": "SubOptions", "MUL": "MulOptions"}
_SCALE, _ZERO_POINT = 0.05, -20  # RELU6 then clamps int8 to [-20, 100], inside the type's range


def _model(kind: str, dtype: str, activation: str, output_scale: float = _SCALE) -> bytes:
    """One small `kind` operator on NHWC (or [batch, depth]) tensors, all of `dtype`."""
    quantised = dtype != "float32"
    activations = {"scale": _SCALE, "zero_point": _ZERO_POINT} if quantised else {}
    output = {"scale": output_scale, "zero_point": _ZERO_POINT} if quantised else {}
    weights_dtype = "int8" if quantised else "float32"
    weights = {"scale": 0.02, "zero_point": 0} if quantised else {}
    b = ModelBuilder()

    def weight_tensor(shape):
        return b.const(np.ones(shape, dtype=weights_dtype), weights_dtype, **weights)

    conv = {"padding": "SAME", "stride_h": 1, "stride_w": 1, "fused_activation_function": activation}
    if kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
        x = b.tensor((1, 4, 4, 2), dtype, **activations)
        y = b.tensor((1, 4, 4, 2), dtype, **output)
        dilation = {"dilation_h_factor": 1, "dilation_w_factor": 1}
        if kind == "CONV_2D":
            b.op(kind, [x, weight_tensor((2, 3, 3, 2))], [y], "Conv2DOptions", **conv, **dilation)
        else:
            b.op(kind, [x, weight_tensor((1, 3, 3, 2))], [y], "DepthwiseConv2DOptions", **conv, **dilation,
                 depth_multiplier=1)
    elif kind == "FULLY_CONNECTED":
        x = b.tensor((1, 8), dtype, **activations)
        y = b.tensor((1, 3), dtype, **output)
        b.op(kind, [x, weight_tensor((3, 8))], [y], "FullyConnectedOptions", fused_activation_function=activation)
    elif kind == "TRANSPOSE_CONV":
        x = b.tensor((1, 2, 2, 2), dtype, **activations)
        y = b.tensor((1, 4, 4, 3), dtype, **output)
        output_shape = b.const(np.array([1, 4, 4, 3], dtype=np.int32), "int32")
        b.op(kind, [output_shape, weight_tensor((3, 3, 3, 2)), x], [y], "TransposeConvOptions",
             **{**conv, "stride_h": 2, "stride_w": 2})
    elif kind in ("AVERAGE_POOL_2D", "MAX_POOL_2D"):
        x = b.tensor((1, 4, 4, 2), dtype, **activations)
        y = b.tensor((1, 2, 2, 2), dtype, **output)
        b.op(kind, [x], [y], "Pool2DOptions", padding="VALID", stride_h=2, stride_w=2, filter_height=2,
             filter_width=2, fused_activation_function=activation)
    else:
        x = b.tensor((1, 4), dtype, **activations)
        other = b.tensor((1, 4), dtype, **activations)
        y = b.tensor((1, 4), dtype, **output)
        b.op(kind, [x, other], [y], _BINARY_OPTIONS[kind], fused_activation_function=activation)
        b.io([x, other], [y])
        return b.build()
    b.io([x], [y])
    return b.build()


def _lowered(kind: str, dtype: str, activation: str, output_scale: float = _SCALE):
    graph = read_model(_model(kind, dtype, activation, output_scale)).main
    op = graph.operators[0]
    return op, graph.output_tensors(op)[0], KERNELS[kind].lower(op, graph)


@pytest.mark.parametrize("kind", FUSED_ACTIVATION_KINDS)
def test_int8_fused_activation_bounds_are_activation_min_and_max(kind):
    op, output, params = _lowered(kind, "int8", "RELU6")
    expected = common.quantized_activation_range(op, output)
    assert expected == (-20, 100)
    assert (params["activation_min"], params["activation_max"]) == expected


@pytest.mark.parametrize("kind", FUSED_ACTIVATION_KINDS)
def test_float_fused_activation_bounds_are_activation_min_and_max(kind):
    _, _, params = _lowered(kind, "float32", "RELU6")
    assert (params["activation_min"], params["activation_max"]) == common.float_activation_range("RELU6") == (0.0, 6.0)


@pytest.mark.parametrize("output_scale", [float(np.float32(6) / np.float32(2 ** 31)), 1e-45],
                         ids=["bound-rounds-to-2^31", "bound-overflows-float32"])
def test_activation_bound_beyond_int32_is_refused(output_scale):
    """TFLM's Quantize() lets 6 / scale == 2**31 through to an undefined float-to-int32 cast (its
    x86 build then clamps everything to the zero point); an infinite quotient fails its Prepare."""
    graph = read_model(_model("FULLY_CONNECTED", "int8", "RELU6", output_scale)).main
    op = graph.operators[0]
    with pytest.raises(UnsupportedModelError, match=r"^FULLY_CONNECTED #0: the fused activation bound 6\.0 "):
        common.quantized_activation_range(op, graph.output_tensors(op)[0])

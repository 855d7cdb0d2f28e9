"""C for SOFTMAX, LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU and HARD_SWISH.

Every int8 -> int8 elementwise activation becomes one 256-entry table, the reference kernel's own
output for every input value (exact by construction). int16 kernels port TFLM's fixed-point
arithmetic; int8 SOFTMAX gets its exponentials as a 256-entry table of row-maximum differences.
"""
from __future__ import annotations

import numpy as np

from ...errors import UnsupportedModelError
from ...kernels.fixedpoint import multiply_by_quantized_multiplier_greater_than_one, wrap_int32
from ...kernels.gemmlowp_math import exp_on_negative_values
from ...kernels.logistic_tanh import _SIGMOID_TABLE_UINT16
from ...kernels.softmax import _SCALED_DIFF_INTEGER_BITS
from ...lowering import KernelCall
from ..cformat import c_float, c_int
from ..context import CCall, EmitContext

HEADER = "mcu_kernels/activations.h"
_INT16_SOFTMAX_MAX_DEPTH = (2 ** 31 - 1) // 32767  # a row's sum of exponentials (each <= 32767) fits int32


def _ccall(kernel: str, params_type: str, fields: list[tuple[str, str]], source: str) -> CCall:
    return CCall(kernel, params_type, tuple(fields), HEADER, (f"portable/{source}.c",))


def _name(call: KernelCall) -> str:
    return f"g{call.graph}_op{call.op.index}"


def _elementwise(call: KernelCall, context: EmitContext) -> list[tuple[str, str]]:
    g, op = call.graph, call.op
    size = context.model.graphs[g].tensors[op.inputs[0]].num_elements
    return [("input", context.tensor(g, op.inputs[0])), ("output", context.tensor(g, op.outputs[0])),
            ("size", str(size))]


def _shift(call: KernelCall, shift: int) -> str:
    """A requantisation shift; a left shift past 31 bits would be undefined in C."""
    if shift > 31:
        raise UnsupportedModelError(f"{call.op.kind} #{call.op.index}: a scale ratio of 2**{shift - 1} or more is "
                                    "not supported by the C backend; requantise the tensors")
    return c_int(shift)


def _lut_s8(call: KernelCall, context: EmitContext) -> CCall:
    every_input = np.arange(-128, 128, dtype=np.int8)
    table = call.kernel.compute(call.params, [every_input])[0]
    fields = _elementwise(call, context) + [
        ("table", context.const_array(f"{_name(call)}_table", table, "int8_t"))]
    return _ccall("mcu_lut_s8", "mcu_lut_s8_params_t", fields, "lut_s8")


def _unary_f32(call: KernelCall, context: EmitContext, kernel: str) -> CCall:
    return _ccall(f"mcu_{kernel}_f32", "mcu_unary_f32_params_t", _elementwise(call, context), f"{kernel}_f32")


def _relu_f32(call: KernelCall, context: EmitContext, upper: float) -> CCall:
    fields = _elementwise(call, context) + [("lower", c_float(0.0)), ("upper", c_float(upper))]
    return _ccall("mcu_relu_f32", "mcu_relu_f32_params_t", fields, "relu_f32")


# Operators ---------------------------------------------------------------------------------------
def emit_relu(call: KernelCall, context: EmitContext) -> CCall:
    p = call.params
    if p["dtype"] == "float32":
        return _relu_f32(call, context, float("inf"))
    if p["dtype"] == "int8":
        return _lut_s8(call, context)
    fields = _elementwise(call, context) + [
        ("input_offset", c_int(p["input_offset"])), ("output_offset", c_int(p["output_offset"])),
        ("multiplier", c_int(p["output_multiplier"])), ("shift", _shift(call, p["output_shift"])),
        ("activation_min", c_int(p["activation_min"])), ("activation_max", c_int(p["activation_max"]))]
    return _ccall("mcu_relu_s16", "mcu_relu_s16_params_t", fields, "relu_s16")


def emit_relu6(call: KernelCall, context: EmitContext) -> CCall:
    p = call.params
    if p["dtype"] == "float32":
        return _relu_f32(call, context, 6.0)
    if p["dtype"] == "int8":
        return _lut_s8(call, context)
    fields = _elementwise(call, context) + [("zero", c_int(p["zero"])), ("six", c_int(p["six"]))]
    return _ccall("mcu_relu6_s16", "mcu_relu6_s16_params_t", fields, "relu6_s16")


def emit_leaky_relu(call: KernelCall, context: EmitContext) -> CCall:
    p = call.params
    if p["dtype"] == "float32":
        fields = _elementwise(call, context) + [("alpha", c_float(p["alpha"]))]
        return _ccall("mcu_leaky_relu_f32", "mcu_leaky_relu_f32_params_t", fields, "leaky_relu_f32")
    if p["dtype"] == "int8":
        return _lut_s8(call, context)
    # A negative alpha multiplier is applied as its (int32-wrapped) magnitude, then negated.
    alpha_negative = p["alpha_multiplier"] < 0
    alpha_magnitude = int(wrap_int32(-p["alpha_multiplier"] if alpha_negative else p["alpha_multiplier"]))
    fields = _elementwise(call, context) + [
        ("input_offset", c_int(p["input_offset"])), ("output_offset", c_int(p["output_offset"])),
        ("identity_multiplier", c_int(p["identity_multiplier"])),
        ("identity_shift", _shift(call, p["identity_shift"])),
        ("alpha_multiplier", c_int(alpha_magnitude)), ("alpha_shift", _shift(call, p["alpha_shift"])),
        ("alpha_negate", "1" if alpha_negative else "0")]
    return _ccall("mcu_leaky_relu_s16", "mcu_leaky_relu_s16_params_t", fields, "leaky_relu_s16")


def emit_hard_swish(call: KernelCall, context: EmitContext) -> CCall:
    if call.params["dtype"] == "float32":
        return _unary_f32(call, context, "hard_swish")
    return _lut_s8(call, context)


def _logistic_tanh(call: KernelCall, context: EmitContext, kernel: str) -> CCall:
    p = call.params
    if p["dtype"] == "float32":
        return _unary_f32(call, context, kernel)
    if p["dtype"] == "int8":
        return _lut_s8(call, context)
    table = context.const_array("sigmoid_table", _SIGMOID_TABLE_UINT16, "uint16_t")
    fields = _elementwise(call, context) + [
        ("input_multiplier", c_int(p["input_multiplier"])),
        ("input_right_shift", c_int(p["input_left_shift"])),  # TFLM's name; it shifts right
        ("sigmoid_table", table)]
    return _ccall(f"mcu_{kernel}_s16", "mcu_logistic_tanh_s16_params_t", fields, f"{kernel}_s16")


def emit_logistic(call: KernelCall, context: EmitContext) -> CCall:
    return _logistic_tanh(call, context, "logistic")


def emit_tanh(call: KernelCall, context: EmitContext) -> CCall:
    return _logistic_tanh(call, context, "tanh")


def _int8_softmax_exp_table(params) -> np.ndarray:
    """The reference's exp for row-maximum differences 0 .. -255, 0 below diff_min (not counted)."""
    diff = -np.arange(256, dtype=np.int64)
    scaled = multiply_by_quantized_multiplier_greater_than_one(diff, params["input_multiplier"],
                                                                params["input_left_shift"])
    exps = exp_on_negative_values(scaled, _SCALED_DIFF_INTEGER_BITS)
    return np.where(diff >= params["diff_min"], exps, 0).astype(np.int32)


def emit_softmax(call: KernelCall, context: EmitContext) -> CCall:
    g, op, p = call.graph, call.op, call.params
    graph = context.model.graphs[g]
    source, result = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
    depth, output = p["depth"], context.tensor(g, op.outputs[0])
    fields = [("input", context.tensor(g, op.inputs[0])), ("rows", str(source.num_elements // depth)),
              ("depth", str(depth))]
    if p["input_type"] == "float32":
        fields += [("output", output), ("beta", c_float(p["beta"]))]
        return _ccall("mcu_softmax_f32", "mcu_softmax_f32_params_t", fields, "softmax_f32")
    if p["input_type"] == "int8":
        int16_output = result.dtype == "int16"
        table = context.const_array(f"{_name(call)}_exp_table", _int8_softmax_exp_table(p), "int32_t")
        fields += [("output_s8", "NULL" if int16_output else output),
                   ("output_s16", output if int16_output else "NULL"), ("exp_table", table)]
        return _ccall("mcu_softmax_s8", "mcu_softmax_s8_params_t", fields, "softmax_s8")
    if depth > _INT16_SOFTMAX_MAX_DEPTH:
        raise UnsupportedModelError(f"SOFTMAX #{op.index}: int16 rows of {depth} values can overflow TFLM's int32 "
                                    f"sum; the C backend supports at most {_INT16_SOFTMAX_MAX_DEPTH}")
    fields += [("output", output), ("input_multiplier", c_int(p["input_multiplier"])),
               ("input_shift", _shift(call, p["input_shift"])),
               ("exp_table", context.const_array("softmax_exp_table", p["exp_lut"], "int16_t")),
               ("one_over_one_plus_x_table",
                context.const_array("softmax_one_over_one_plus_x_table", p["one_over_one_plus_x_lut"], "int16_t"))]
    return _ccall("mcu_softmax_s16", "mcu_softmax_s16_params_t", fields, "softmax_s16")


EMITTERS = {
    "SOFTMAX": emit_softmax,
    "LOGISTIC": emit_logistic,
    "TANH": emit_tanh,
    "RELU": emit_relu,
    "RELU6": emit_relu6,
    "LEAKY_RELU": emit_leaky_relu,
    "HARD_SWISH": emit_hard_swish,
}

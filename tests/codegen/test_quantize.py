"""QUANTIZE and DEQUANTIZE in C on the host (ASan + UBSan): every sweep model of the reference
tests, on the reference tests' own probe inputs (every 8- and 16-bit value, float32 values on and
beside .5 rounding ties, NaN, infinities, quotients beyond int32), byte-identical with the Python
reference and with TFLM.

assert_host_matches only draws random inputs, which would miss those probes, so the models are
built with run_host_batch directly and compared the same way."""
from __future__ import annotations

import numpy as np

from tests.kernels.test_quantize import (AFFINE_OUTPUTS, DEQUANTIZE_INPUTS, DEQUANTIZE_SCALES, FLOAT_SCALES,
                                         MODEL_QUANTIZES, RATIOS, REQUANTIZE_PAIRS, SHAPES, fill_shape,
                                         float_quantize_case, integer_probe_values, log_uniform,
                                         random_zero_point, scales_with_ratio, seeded_rng, single_op_model)
from tests.support.host import assert_host_matches_on

Case = tuple[str, bytes, list[np.ndarray]]  # name, model, one input array per invocation


def _requantize_cases() -> list[Case]:
    """test_requantize, test_requantize_as_in_real_models and the microWakeWord int8 -> uint8."""
    cases = []
    for in_dtype, out_dtype in REQUANTIZE_PAIRS:
        for ratio_name in RATIOS:
            rng = seeded_rng("requantize", in_dtype, out_dtype, ratio_name)
            in_scale, out_scale = scales_with_ratio(rng, ratio_name)
            in_zp, out_zp = random_zero_point(rng, in_dtype), random_zero_point(rng, out_dtype)
            shape = SHAPES[in_dtype]
            model = single_op_model("QUANTIZE", shape, in_dtype, (in_scale, in_zp), out_dtype, (out_scale, out_zp))
            inputs = fill_shape(integer_probe_values(in_dtype, in_zp, rng), shape, in_dtype, rng)
            cases.append((f"requantize_{in_dtype}_{out_dtype}_{ratio_name}", model, inputs))
    for name, in_dtype, in_quant, out_dtype, out_quant in MODEL_QUANTIZES:
        rng = seeded_rng("models", in_dtype, out_dtype)
        shape = SHAPES[in_dtype]
        model = single_op_model("QUANTIZE", shape, in_dtype, in_quant, out_dtype, out_quant)
        zero_point = 0 if in_quant is None else in_quant[1]
        cases.append((name, model, fill_shape(integer_probe_values(in_dtype, zero_point, rng), shape, in_dtype, rng)))
    model = single_op_model("QUANTIZE", (1, 256), "int8", (0.00390625, -128), "uint8", (0.00390625, 0))
    cases.append(("int8_to_uint8_shift", model, [np.arange(-128, 128, dtype=np.int8).reshape(1, 256)]))
    return cases


def _float_cases() -> list[Case]:
    """test_quantize_float, test_quantize_float_beyond_int32 and test_dequantize."""
    cases = []
    for out_dtype in AFFINE_OUTPUTS:
        for scale_name, scale, zero_point in FLOAT_SCALES:
            model, probe, _, _ = float_quantize_case(out_dtype, scale_name, scale, zero_point)
            cases.append((f"quantize_float_{out_dtype}_{scale_name}", model, probe))
        for zero_point in (0, 5, -7):
            edge = 2.0**31 * 0.25
            values = np.array([np.nan, np.inf, -np.inf, 3e9, -3e9, edge, -edge, np.nextafter(np.float32(edge), 0),
                               np.nextafter(np.float32(-edge), -np.inf), 1e30, -1e30], dtype=np.float32)
            model = single_op_model("QUANTIZE", values.shape, "float32", None, out_dtype, (0.25, zero_point))
            cases.append((f"quantize_float_beyond_int32_{out_dtype}_{zero_point}", model, [values]))
    for in_dtype in DEQUANTIZE_INPUTS:
        for scale_name, scale in DEQUANTIZE_SCALES:
            rng = seeded_rng("dequantize", in_dtype, scale_name)
            scale = float(np.float32(log_uniform(rng, 1e-5, 2.0) if scale is None else scale))
            zero_point = random_zero_point(rng, in_dtype)
            shape = SHAPES[in_dtype]
            model = single_op_model("DEQUANTIZE", shape, in_dtype, (scale, zero_point), "float32", None)
            inputs = fill_shape(integer_probe_values(in_dtype, zero_point, rng), shape, in_dtype, rng)
            cases.append((f"dequantize_{in_dtype}_{scale_name}", model, inputs))
    return cases


def test_requantize_sweep_on_host():
    cases = _requantize_cases()
    assert len(cases) == 60 + 6 + 1
    assert assert_host_matches_on([(name, model, [[x] for x in inputs]) for name, model, inputs in cases]) == \
        sum(len(inputs) for _, _, inputs in cases)


def test_quantize_float_and_dequantize_sweep_on_host():
    cases = _float_cases()
    assert len(cases) == 12 + 6 + 15
    assert assert_host_matches_on([(name, model, [[x] for x in inputs]) for name, model, inputs in cases]) == \
        sum(len(inputs) for _, _, inputs in cases)

"""CONCATENATION, PAD, STRIDED_SLICE, SPLIT, SPLIT_V and TRANSPOSE in C on the host (ASan + UBSan):
every sweep model of the reference tests, bool ones included, byte-identical with the Python
reference and with TFLM.

RESHAPE, SQUEEZE and EXPAND_DIMS alias their input's bytes, so as single-operator models they
compile to no operator at all: the output pointer is the input's."""
from __future__ import annotations

import numpy as np

from tests.kernels.test_shape_ops import (CONCATENATIONS, DTYPE_SLICES, EXPANSIONS, PAD_TYPES, PADS, RESHAPE_CASES,
                                          SLICES, SPLIT_DTYPES, SPLIT_VS, SPLITS, SQUEEZES, TRANSPOSES, In,
                                          _reshape_model, _slice_model, build)
from tests.support.host import assert_host_matches
from tests.support.modelbuilder import ModelBuilder


def _name(*parts) -> str:
    return "_".join(str(part) for part in parts)


def _concatenations() -> list[tuple[str, bytes]]:
    cases = []
    for name, shapes, axis in CONCATENATIONS:
        for dtype in ("int8", "int16", "int32", "int64", "float32", "bool"):
            out_shape = np.concatenate([np.empty(s) for s in shapes], axis=axis).shape
            cases.append((_name("concat", name, dtype), build("CONCATENATION", dtype, [In(s) for s in shapes],
                                                              [out_shape], "ConcatenationOptions", axis=axis)))
    for dtype in ("int8", "int16", "float32"):
        constant = np.arange(-6, 6).reshape(2, 2, 3).astype(dtype)
        cases.append((_name("concat_constant", dtype),
                      build("CONCATENATION", dtype, [In((2, 1, 3)), constant, In((2, 4, 3))], [(2, 7, 3)],
                            "ConcatenationOptions", axis=1)))
    return cases


def concatenation_partly_in_place(dtype: str) -> bytes:
    """Two PAD outputs that the planner writes straight into their slices of a CONCATENATION output
    (the kernel skips them), between three model inputs, which stay where they are and are copied."""
    b = ModelBuilder()
    quantization = {"scale": 0.05, "zero_point": -3} if dtype == "int8" else {}
    first, middle, last = (b.tensor((1, 4), dtype, **quantization) for _ in range(3))
    padded = [b.tensor((1, 8), dtype, **quantization) for _ in range(2)]
    output = b.tensor((1, 28), dtype, **quantization)
    b.op("PAD", [first, b.const(np.array([[0, 0], [2, 2]], np.int32), "int32")], [padded[0]], "PadOptions")
    b.op("PAD", [middle, b.const(np.array([[0, 0], [1, 3]], np.int32), "int32")], [padded[1]], "PadOptions")
    b.op("CONCATENATION", [first, padded[0], middle, padded[1], last], [output], "ConcatenationOptions", axis=1)
    b.io([first, middle, last], [output])
    return b.build()


def _pads() -> list[tuple[str, bytes]]:
    cases = []
    for name, shape, paddings in PADS:
        for dtype, zero_point in PAD_TYPES:
            out_shape = np.pad(np.empty(shape), paddings).shape
            cases.append((_name("pad", name, dtype, zero_point),
                          build("PAD", dtype, [In(shape), np.array(paddings, np.int32)], [out_shape], "PadOptions",
                                zero_point=zero_point)))
    for dtype, value in (("float32", -1.5), ("int8", 42), ("int16", -7), ("int32", 123456)):
        cases.append((_name("pad_constant_value", dtype),
                      build("PAD", dtype, [In((2, 3)), np.array([[1, 0], [2, 1]], np.int32), np.array(value, dtype)],
                            [(3, 6)])))
    for dtype in ("int16", "float32"):
        cases.append((_name("pad_runtime_value", dtype),
                      build("PAD", dtype, [In((3, 2)), np.array([[2, 1], [0, 2]], np.int32), In(())], [(6, 4)])))
    return cases


def _splits() -> list[tuple[str, bytes]]:
    cases = []
    for dtype in SPLIT_DTYPES:
        for name, shape, axis, count in SPLITS:
            out_shapes = [piece.shape for piece in np.split(np.empty(shape), count, axis=axis)]
            cases.append((_name("split", name, dtype),
                          build("SPLIT", dtype, [np.array(axis, np.int32), In(shape)], out_shapes, "SplitOptions",
                                num_splits=count)))
        for name, shape, sizes, axis in SPLIT_VS:
            known = sum(s for s in sizes if s >= 0)
            resolved = [shape[axis] - known if s == -1 else s for s in sizes]
            out_shapes = [piece.shape for piece in np.split(np.empty(shape), np.cumsum(resolved)[:-1], axis=axis)]
            cases.append((_name("split_v", name, dtype),
                          build("SPLIT_V", dtype, [In(shape), np.array(sizes, np.int32), np.array(axis, np.int32)],
                                out_shapes, "SplitVOptions", num_splits=len(sizes))))
    return cases


def _strided_copies() -> list[tuple[str, bytes]]:
    cases = [(_name("slice", name), _slice_model("int8", *case)) for name, *case in SLICES]
    cases += [(_name("slice", name, dtype), _slice_model(dtype, *case))
              for name, *case in DTYPE_SLICES for dtype in ("int16", "int32", "float32", "bool")]
    for name, shape, perm in TRANSPOSES:
        for dtype in ("int8", "int16", "float32"):
            out_shape = np.transpose(np.empty(shape), perm).shape
            cases.append((_name("transpose", name, dtype),
                          build("TRANSPOSE", dtype, [In(shape), np.array(perm, np.int32)], [out_shape])))
    return cases


def test_concatenation_and_pad_on_host():
    cases = _concatenations() + _pads()
    cases += [(_name("concat_in_place", dtype), concatenation_partly_in_place(dtype)) for dtype in ("int8", "float32")]
    assert len(cases) == 51 + 41 + 2
    assert assert_host_matches(cases) == len(cases) * 2


def test_split_on_host():
    cases = _splits()
    assert len(cases) == 60
    outputs = len(SPLIT_DTYPES) * (sum(count for *_, count in SPLITS) + sum(len(sizes) for _, _, sizes, _ in SPLIT_VS))
    assert assert_host_matches(cases) == outputs * 2


def test_strided_slice_and_transpose_on_host():
    cases = _strided_copies()
    assert len(cases) == 42 + 33
    assert assert_host_matches(cases) == len(cases) * 2



def test_reshape_squeeze_expand_dims_on_host():
    cases = [(_name("reshape", name, mode), _reshape_model("int8", in_shape, new_shape, mode))
             for name, in_shape, new_shape, mode in RESHAPE_CASES]
    for name, shape, dims in SQUEEZES:
        out_shape = np.squeeze(np.empty(shape), axis=None if dims is None else tuple(dims)).shape
        options = {} if dims is None else {"squeeze_dims": dims}
        cases.append((_name("squeeze", name), build("SQUEEZE", "int16", [In(shape)], [out_shape], "SqueezeOptions",
                                                    **options)))
    for name, shape, axis in EXPANSIONS:
        out_shape = np.expand_dims(np.empty(shape), axis).shape
        cases.append((_name("expand", name), build("EXPAND_DIMS", "float32",
                                                   [In(shape), np.full((), axis, np.int32)], [out_shape])))
    assert len(cases) == 24 + 7 + 8
    assert assert_host_matches(cases) == len(cases) * 2

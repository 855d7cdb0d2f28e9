"""Parameter sweeps of the shape operators (RESHAPE, SQUEEZE, EXPAND_DIMS, CONCATENATION, PAD,
STRIDED_SLICE, SPLIT, SPLIT_V, TRANSPOSE) against TFLM's interpreter: byte-identical outputs.

Declared output shapes come from numpy's own semantics, independently of the kernels, so TFLM's
Prepare checks them too. Models TFLM refuses must be refused by our lowering as well.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model
from tests.support.compare import assert_matches_tflm, random_invocations
from tests.support.modelbuilder import ModelBuilder
from tests.support.tflm import run_tflm

QUANTIZATION = {"int8": (0.05, -3), "int16": (0.001, 0)}


@dataclass(frozen=True)
class In:
    """A graph input of the case's data type (or of `dtype`)."""

    shape: tuple[int, ...]
    dtype: str | None = None


def _data_tensor(b: ModelBuilder, shape, dtype: str, zero_point=None, data=None) -> int:
    scale, default_zero_point = QUANTIZATION.get(dtype, (None, None))
    return b.tensor(shape, dtype, scale=scale, zero_point=default_zero_point if zero_point is None else zero_point,
                    data=data)


def build(kind: str, dtype: str, inputs, output_shapes, options: str | None = None, zero_point=None,
          **attrs) -> bytes:
    """One-operator model. Inputs are In(...) graph inputs, int32 index arrays (constants) or
    arrays of the data type (constant data)."""
    b = ModelBuilder()
    graph_inputs, tensor_ids = [], []
    for spec in inputs:
        if isinstance(spec, In):
            index = (_data_tensor(b, spec.shape, dtype, zero_point) if spec.dtype is None
                     else b.tensor(spec.shape, spec.dtype))
            graph_inputs.append(index)
        elif np.asarray(spec).dtype == np.dtype(dtype):
            index = _data_tensor(b, np.shape(spec), dtype, zero_point, data=spec)
        else:
            index = b.const(np.asarray(spec, dtype=np.int32), "int32")
        tensor_ids.append(index)
    outputs = [_data_tensor(b, shape, dtype, zero_point) for shape in output_shapes]
    b.op(kind, tensor_ids, outputs, options, **attrs)
    b.io(graph_inputs, outputs)
    return b.build()


def check(model: bytes, dtype: str, seed: int = 0) -> None:
    """Byte-identical outputs over three random invocations."""
    assert assert_matches_tflm(model, seed=seed, invocations=3) > 0


def assert_both_reject(model: bytes) -> None:
    """TFLM fails to prepare or invoke the model, and our lowering refuses it with a clear error."""
    with pytest.raises(UnsupportedModelError):
        Executor(read_model(model))
    with pytest.raises(RuntimeError):
        run_tflm(model, random_invocations(model, seed=0), n_outputs=1)


def _ids(cases):
    return [case[0] for case in cases]


# -- RESHAPE ------------------------------------------------------------------------------------
RESHAPES = [
    ("2x3x4_to_4x-1", (2, 3, 4), (4, -1)),
    ("1x5x7_to_-1", (1, 5, 7), (-1,)),
    ("6_to_1x2x3x1", (6,), (1, 2, 3, 1)),
    ("rank5_to_-1x15", (1, 2, 3, 1, 5), (-1, 15)),
    ("1x1_to_scalar", (1, 1), ()),
    ("3x1x5_to_5x-1x1", (3, 1, 5), (5, -1, 1)),
]
RESHAPE_MODES = ["shape_tensor", "new_shape_option", "output_shape_only", "runtime_shape_input"]


def _reshape_model(dtype, in_shape, new_shape, mode):
    out_shape = np.empty(in_shape).reshape(new_shape).shape
    if mode == "shape_tensor":
        return build("RESHAPE", dtype, [In(in_shape), np.array(new_shape, np.int32)], [out_shape])
    if mode == "new_shape_option":
        return build("RESHAPE", dtype, [In(in_shape)], [out_shape], "ReshapeOptions", new_shape=list(new_shape))
    if mode == "runtime_shape_input":  # TFLM ignores the values: the output's declared shape decides
        return build("RESHAPE", dtype, [In(in_shape), In((len(new_shape),), "int32")], [out_shape])
    return build("RESHAPE", dtype, [In(in_shape)], [out_shape])


RESHAPE_CASES = [(*case, mode) for case in RESHAPES for mode in RESHAPE_MODES]


@pytest.mark.parametrize("name,in_shape,new_shape,mode", RESHAPE_CASES,
                         ids=[f"{case[0]}-{case[3]}" for case in RESHAPE_CASES])
def test_reshape(name, in_shape, new_shape, mode):
    check(_reshape_model("int8", in_shape, new_shape, mode), "int8")


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "float32", "bool"])
def test_reshape_dtypes(dtype):
    check(_reshape_model(dtype, (2, 3, 5), (5, -1), "shape_tensor"), dtype, seed=1)


# -- SQUEEZE ------------------------------------------------------------------------------------
SQUEEZES = [
    ("1x3x1x5_all", (1, 3, 1, 5), None),
    ("1x3x1x5_dim0", (1, 3, 1, 5), [0]),
    ("1x3x1x5_dim-2", (1, 3, 1, 5), [-2]),
    ("1x3x1x5_dims0,2", (1, 3, 1, 5), [0, 2]),
    ("1x1x1_to_scalar", (1, 1, 1), None),
    ("7x1_dim1", (7, 1), [1]),
    ("1x2x1x3x1_dims-1,0", (1, 2, 1, 3, 1), [-1, 0]),
]


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "float32", "bool"])
@pytest.mark.parametrize("name,shape,dims", SQUEEZES, ids=_ids(SQUEEZES))
def test_squeeze(name, shape, dims, dtype):
    out_shape = np.squeeze(np.empty(shape), axis=None if dims is None else tuple(dims)).shape
    options = {} if dims is None else {"squeeze_dims": dims}
    check(build("SQUEEZE", dtype, [In(shape)], [out_shape], "SqueezeOptions", **options), dtype)


# -- EXPAND_DIMS ----------------------------------------------------------------------------------
EXPANSIONS = [
    ("3_axis0", (3,), 0), ("3_axis-1", (3,), -1), ("2x5_axis1", (2, 5), 1), ("2x5_axis-1", (2, 5), -1),
    ("2x5_axis-3", (2, 5), -3), ("1x3x4_axis2", (1, 3, 4), 2), ("2x3x4x5_axis-2", (2, 3, 4, 5), -2),
    ("scalar_axis0", (), 0),
]


@pytest.mark.parametrize("axis_shape", [(), (1,)], ids=["scalar_axis", "vector_axis"])
@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
@pytest.mark.parametrize("name,shape,axis", EXPANSIONS, ids=_ids(EXPANSIONS))
def test_expand_dims(name, shape, axis, dtype, axis_shape):
    out_shape = np.expand_dims(np.empty(shape), axis).shape
    model = build("EXPAND_DIMS", dtype, [In(shape), np.full(axis_shape, axis, np.int32)], [out_shape])
    check(model, dtype)


# -- CONCATENATION ------------------------------------------------------------------------------
CONCATENATIONS = [
    ("2x3+2x5_axis1", [(2, 3), (2, 5)], 1),
    ("three_axis0", [(2, 3), (4, 3), (1, 3)], 0),
    ("four_rank3_axis-2", [(2, 3, 4), (2, 1, 4), (2, 2, 4), (2, 3, 4)], -2),
    ("rank4_axis-1", [(1, 2, 3, 4), (1, 2, 3, 1)], -1),
    ("rank1", [(3,), (5,)], 0),
    ("three_rank4_axis3", [(1, 2, 2, 3)] * 3, 3),
    ("rank5_axis1", [(2, 1, 3, 1, 2), (2, 2, 3, 1, 2)], 1),
    ("rank4_axis-4", [(1, 3, 2, 2), (2, 3, 2, 2)], -4),
]


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "float32", "bool"])
@pytest.mark.parametrize("name,shapes,axis", CONCATENATIONS, ids=_ids(CONCATENATIONS))
def test_concatenation(name, shapes, axis, dtype):
    out_shape = np.concatenate([np.empty(s) for s in shapes], axis=axis).shape
    model = build("CONCATENATION", dtype, [In(s) for s in shapes], [out_shape], "ConcatenationOptions", axis=axis)
    check(model, dtype)


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
def test_concatenation_with_constant_input(dtype):
    constant = np.arange(-6, 6).reshape(2, 2, 3).astype(dtype)
    model = build("CONCATENATION", dtype, [In((2, 1, 3)), constant, In((2, 4, 3))], [(2, 7, 3)],
                  "ConcatenationOptions", axis=1)
    check(model, dtype)


def test_concatenation_fused_activation_rejected_like_tflm():
    assert_both_reject(build("CONCATENATION", "float32", [In((2, 3)), In((2, 3))], [(4, 3)],
                             "ConcatenationOptions", axis=0, fused_activation_function="RELU"))


def test_concatenation_int8_rescaling_rejected_like_tflm():
    b = ModelBuilder()
    first = b.tensor((2, 3), "int8", scale=0.05, zero_point=-3)
    second = b.tensor((2, 3), "int8", scale=0.1, zero_point=-3)
    output = b.tensor((4, 3), "int8", scale=0.05, zero_point=-3)
    b.op("CONCATENATION", [first, second], [output], "ConcatenationOptions", axis=0)
    b.io([first, second], [output])
    assert_both_reject(b.build())


# -- PAD ----------------------------------------------------------------------------------------
PADS = [
    ("rank1", (5,), [[2, 3]]),
    ("rank2_asymmetric", (3, 4), [[0, 1], [2, 0]]),
    ("rank4_image_style", (1, 4, 4, 3), [[0, 0], [1, 2], [2, 1], [0, 0]]),
    ("rank4_every_axis", (2, 3, 2, 2), [[1, 0], [0, 2], [1, 1], [3, 0]]),
    ("rank3_odd", (3, 1, 5), [[2, 0], [0, 3], [1, 1]]),
    ("rank5", (1, 2, 3, 2, 2), [[0, 1], [1, 0], [0, 0], [2, 1], [1, 1]]),
    ("no_padding", (2, 3), [[0, 0], [0, 0]]),
]
PAD_TYPES = [("int8", -3), ("int8", 77), ("int16", 0), ("int32", None), ("float32", None)]


@pytest.mark.parametrize("dtype,zero_point", PAD_TYPES, ids=[f"{d}_zp{z}" for d, z in PAD_TYPES])
@pytest.mark.parametrize("name,shape,paddings", PADS, ids=_ids(PADS))
def test_pad(name, shape, paddings, dtype, zero_point):
    out_shape = np.pad(np.empty(shape), paddings).shape
    model = build("PAD", dtype, [In(shape), np.array(paddings, np.int32)], [out_shape], "PadOptions",
                  zero_point=zero_point)
    check(model, dtype)


@pytest.mark.parametrize("dtype,value", [("float32", -1.5), ("int8", 42), ("int16", -7), ("int32", 123456)])
def test_pad_with_constant_values(dtype, value):
    model = build("PAD", dtype, [In((2, 3)), np.array([[1, 0], [2, 1]], np.int32), np.array(value, dtype)], [(3, 6)])
    check(model, dtype)


@pytest.mark.parametrize("dtype", ["int16", "float32"])
def test_pad_with_runtime_pad_value(dtype):
    check(build("PAD", dtype, [In((3, 2)), np.array([[2, 1], [0, 2]], np.int32), In(())], [(6, 4)]), dtype)


def test_pad_with_runtime_paddings_rejected_like_tflm():
    assert_both_reject(build("PAD", "int8", [In((2, 3)), In((2, 2), "int32")], [(4, 5)]))


# -- STRIDED_SLICE ------------------------------------------------------------------------------
def _slice_shape(shape, begin, end, strides, begin_mask=0, end_mask=0, shrink_axis_mask=0, **_ignored):
    """Output shape by Python's slicing rules, which match TensorFlow's for these masks."""
    index = []
    for axis, (b, e, s) in enumerate(zip(begin, end, strides)):
        if shrink_axis_mask >> axis & 1:
            index.append(b)
        else:
            index.append(slice(None if begin_mask >> axis & 1 else b, None if end_mask >> axis & 1 else e, s))
    return np.empty(shape)[tuple(index)].shape


SLICES = [
    ("rank1_stride2", (8,), [1], [6], [2], {}),
    ("rank1_negative_indices", (8,), [-3], [-1], [1], {}),
    ("rank1_negative_stride", (8,), [6], [1], [-2], {}),
    ("rank1_reverse_masked", (8,), [0], [0], [-1], {"begin_mask": 1, "end_mask": 1}),
    ("rank1_out_of_range_clamped", (8,), [-10], [10], [1], {}),
    ("rank1_out_of_range_negative_stride", (8,), [10], [-10], [-3], {}),
    ("rank1_reverse_past_start", (8,), [5], [-20], [-1], {}),
    ("rank1_shrink_to_scalar", (8,), [-3], [0], [1], {"shrink_axis_mask": 1}),
    ("rank1_empty", (8,), [5], [2], [1], {}),
    ("rank2_end_mask_negative_stride", (5, 7), [1, -2], [4, 0], [1, -1], {"end_mask": 2}),
    ("rank2_both_negative_strides", (5, 7), [4, 6], [0, 0], [-2, -3], {}),
    ("rank2_shrink_axis0", (5, 7), [2, 0], [3, 7], [1, 1], {"shrink_axis_mask": 1}),
    ("rank2_shrink_all_negative", (5, 7), [-1, -1], [0, 0], [1, 1], {"shrink_axis_mask": 3}),
    ("rank2_begin_mask_negative_strides", (4, 5), [0, 0], [1, 2], [-1, -2], {"begin_mask": 3}),
    ("rank2_begin_end_masks", (3, 5), [2, 1], [1, 3], [1, 1], {"begin_mask": 1, "end_mask": 1}),
    ("rank3_begin_mask_stride2", (3, 4, 5), [1, 1, 3], [3, 3, 5], [1, 1, 2], {"begin_mask": 5}),
    ("rank3_all_reversed", (3, 4, 5), [2, 3, 4], [0, 0, 0], [-1, -2, -1], {"end_mask": 7}),
    ("rank3_shrink_axis0", (3, 4, 5), [1, 0, 0], [2, 4, 5], [1, 1, 1], {"shrink_axis_mask": 1}),
    ("rank3_shrink_middle_negative", (3, 4, 5), [0, -2, 1], [3, 0, 4], [1, 1, 1], {"shrink_axis_mask": 2}),
    ("rank4_mixed_strides", (2, 3, 4, 5), [0, 1, 1, 0], [2, 3, 4, 5], [1, 1, 2, 3], {}),
    ("rank4_seanet_style", (1, 4, 9, 8), [0, -2, 0, 0], [0, 0, 0, 8], [1, 1, 1, 1],
     {"begin_mask": 13, "end_mask": 15}),
    ("rank4_shrink_and_reverse", (2, 3, 4, 5), [1, -1, 0, 4], [2, 0, 4, 0], [1, -1, 1, -2],
     {"shrink_axis_mask": 1, "end_mask": 2}),
    ("rank4_shrink_two_axes", (2, 3, 4, 5), [0, 2, 0, -1], [1, 3, 4, 0], [1, 1, 3, 1],
     {"shrink_axis_mask": 10}),
    # TFLM's Prepare drops offset, ellipsis_mask and new_axis_mask: the declared shapes below are
    # those of the slice without them, which TFLM (and so we) then compute.
    ("offset_true_ignored_by_tflm", (6, 4), [1, 0], [3, 4], [1, 1], {"offset": True}),
    ("ellipsis_mask_ignored_by_tflm", (4, 6), [1, 0], [3, 6], [1, 1], {"ellipsis_mask": 1}),
    ("new_axis_mask_ignored_by_tflm", (4, 6), [1, 2], [3, 6], [1, 2], {"new_axis_mask": 2}),
]


def _slice_model(dtype, shape, begin, end, strides, attrs, out_shape=None):
    out_shape = _slice_shape(shape, begin, end, strides, **attrs) if out_shape is None else out_shape
    inputs = [In(shape), np.array(begin, np.int32), np.array(end, np.int32), np.array(strides, np.int32)]
    return build("STRIDED_SLICE", dtype, inputs, [out_shape], "StridedSliceOptions", **attrs)


@pytest.mark.parametrize("name,shape,begin,end,strides,attrs", SLICES, ids=_ids(SLICES))
def test_strided_slice(name, shape, begin, end, strides, attrs):
    check(_slice_model("int8", shape, begin, end, strides, attrs), "int8")


DTYPE_SLICES = [case for case in SLICES if case[0] in {"rank1_negative_stride", "rank2_shrink_axis0",
                                                       "rank3_all_reversed", "rank4_shrink_and_reverse"}]


@pytest.mark.parametrize("dtype", ["int16", "int32", "float32", "bool"])
@pytest.mark.parametrize("name,shape,begin,end,strides,attrs", DTYPE_SLICES, ids=_ids(DTYPE_SLICES))
def test_strided_slice_dtypes(name, shape, begin, end, strides, attrs, dtype):
    check(_slice_model(dtype, shape, begin, end, strides, attrs), dtype, seed=2)


REJECTED_SLICES = [
    ("rank5", (1, 2, 1, 2, 2), [0] * 5, [1, 2, 1, 2, 2], [1] * 5, {}, None),
    ("offset_shaped_output", (6, 4), [1, 0], [2, 4], [1, 1], {"offset": True}, (2, 4)),
    ("new_axis_shaped_output", (4, 6), [0, 0, 0], [4, 1, 6], [1, 1, 1], {"new_axis_mask": 2}, (4, 1, 6)),
    ("zero_stride", (4, 6), [0, 0], [4, 6], [1, 0], {}, (4, 6)),
]


@pytest.mark.parametrize("name,shape,begin,end,strides,attrs,out_shape", REJECTED_SLICES, ids=_ids(REJECTED_SLICES))
def test_strided_slice_rejected_like_tflm(name, shape, begin, end, strides, attrs, out_shape):
    assert_both_reject(_slice_model("float32", shape, begin, end, strides, attrs, out_shape))


def test_strided_slice_runtime_begin_rejected_like_tflm():
    inputs = [In((4, 6)), In((2,), "int32"), np.array([4, 6], np.int32), np.array([1, 1], np.int32)]
    assert_both_reject(build("STRIDED_SLICE", "float32", inputs, [(4, 6)], "StridedSliceOptions"))


@pytest.mark.parametrize("begin,strides", [([4, 0], [1, 1]), ([1, 0], [-1, 1])],
                         ids=["begin_past_end", "negative_stride"])
def test_strided_slice_shrink_selecting_nothing_rejected(begin, strides):
    # TFLM accepts these but writes no element, leaving the output buffer's stale contents.
    model = _slice_model("float32", (4, 6), begin, [begin[0] + 1, 6], strides, {"shrink_axis_mask": 1}, (6,))
    with pytest.raises(UnsupportedModelError, match="unwritten"):
        Executor(read_model(model))


# -- SPLIT, SPLIT_V -----------------------------------------------------------------------------
SPLITS = [
    ("6_axis0_by3", (6,), 0, 3), ("4x6_axis1_by2", (4, 6), 1, 2), ("4x6_axis-1_by3", (4, 6), -1, 3),
    ("4x6_axis0_by4", (4, 6), 0, 4), ("rank4_axis2_by2", (2, 3, 4, 6), 2, 2),
    ("rank4_axis-4_by2", (2, 3, 4, 6), -4, 2), ("3x5_axis1_by1", (3, 5), 1, 1),
    ("rank5_axis3_by3", (2, 1, 3, 6, 2), 3, 3),
]
SPLIT_DTYPES = ["int8", "int16", "int32", "float32"]


@pytest.mark.parametrize("dtype", SPLIT_DTYPES)
@pytest.mark.parametrize("name,shape,axis,count", SPLITS, ids=_ids(SPLITS))
def test_split(name, shape, axis, count, dtype):
    out_shapes = [piece.shape for piece in np.split(np.empty(shape), count, axis=axis)]
    model = build("SPLIT", dtype, [np.array(axis, np.int32), In(shape)], out_shapes, "SplitOptions",
                  num_splits=count)
    check(model, dtype)


SPLIT_VS = [
    ("10_axis0_with_-1", (10,), [3, -1, 2], 0), ("4x9_axis1", (4, 9), [2, 3, 4], 1),
    ("4x9_axis-1_with_-1", (4, 9), [-1, 5], -1), ("6x3x2_axis0", (6, 3, 2), [1, 2, 3], 0),
    ("rank4_axis-2_with_-1", (2, 3, 7, 2), [4, -1], -2), ("2x5_single", (2, 5), [5], 1),
    ("rank4_axis3_four_pieces", (1, 2, 2, 10), [1, 4, -1, 2], 3),
]


@pytest.mark.parametrize("dtype", SPLIT_DTYPES)
@pytest.mark.parametrize("name,shape,sizes,axis", SPLIT_VS, ids=_ids(SPLIT_VS))
def test_split_v(name, shape, sizes, axis, dtype):
    known = sum(s for s in sizes if s >= 0)
    resolved = [shape[axis] - known if s == -1 else s for s in sizes]
    out_shapes = [piece.shape for piece in np.split(np.empty(shape), np.cumsum(resolved)[:-1], axis=axis)]
    model = build("SPLIT_V", dtype, [In(shape), np.array(sizes, np.int32), np.array(axis, np.int32)], out_shapes,
                  "SplitVOptions", num_splits=len(sizes))
    check(model, dtype)


def test_split_runtime_axis_rejected_like_tflm():
    assert_both_reject(build("SPLIT", "int8", [In((), "int32"), In((4, 6))], [(2, 6), (2, 6)],
                             "SplitOptions", num_splits=2))


# -- TRANSPOSE ----------------------------------------------------------------------------------
TRANSPOSES = [
    ("rank1", (5,), (0,)), ("rank2", (3, 5), (1, 0)), ("rank3_201", (2, 3, 4), (2, 0, 1)),
    ("rank3_021", (2, 3, 4), (0, 2, 1)), ("rank3_120", (2, 3, 4), (1, 2, 0)),
    ("rank4_nhwc_to_nchw", (1, 3, 5, 2), (0, 3, 1, 2)), ("rank4_reverse", (2, 3, 5, 7), (3, 2, 1, 0)),
    ("rank4_2031", (3, 1, 4, 2), (2, 0, 3, 1)), ("rank5_40312", (2, 3, 1, 4, 5), (4, 0, 3, 1, 2)),
    ("rank5_10243", (3, 2, 5, 1, 3), (1, 0, 2, 4, 3)), ("rank5_identity", (2, 1, 3, 1, 2), (0, 1, 2, 3, 4)),
]


@pytest.mark.parametrize("dtype", ["int8", "int16", "float32"])
@pytest.mark.parametrize("name,shape,perm", TRANSPOSES, ids=_ids(TRANSPOSES))
def test_transpose(name, shape, perm, dtype):
    out_shape = np.transpose(np.empty(shape), perm).shape
    check(build("TRANSPOSE", dtype, [In(shape), np.array(perm, np.int32)], [out_shape]), dtype)


@pytest.mark.parametrize("dtype,shape", [("float32", (1, 2, 1, 2, 1, 2)), ("int32", (2, 3))],
                         ids=["rank6", "int32"])
def test_transpose_rejected_like_tflm(dtype, shape):
    perm = tuple(reversed(range(len(shape))))
    assert_both_reject(build("TRANSPOSE", dtype, [In(shape), np.array(perm, np.int32)], [shape[::-1]]))


def test_expand_dims_int32_rejected_like_tflm():
    assert_both_reject(build("EXPAND_DIMS", "int32", [In((2, 3)), np.array(0, np.int32)], [(1, 2, 3)]))

"""Models mcucompile cannot compile are refused with one line naming every offending operator."""
import numpy as np
import pytest

from mcucompile.errors import UnsupportedModelError
from mcucompile.executor import Executor
from mcucompile.reader import read_model_file
from mcucompile.support import check_supported
from tests.support.corpus import REJECTED_MODELS, SUPPORTED_WHOLE_MODELS, model_path
from tests.support.modelbuilder import ModelBuilder
from mcucompile.reader import read_model


@pytest.mark.parametrize("name", sorted(REJECTED_MODELS))
def test_rejected_models_name_the_reason(name):
    with pytest.raises(UnsupportedModelError) as info:
        Executor(read_model_file(model_path(name)))
    message = str(info.value)
    assert REJECTED_MODELS[name] in message
    assert "\n" not in message


@pytest.mark.parametrize("name", SUPPORTED_WHOLE_MODELS)
def test_supported_models_pass_the_check(name):
    check_supported(read_model_file(model_path(name)))


def test_every_unsupported_operator_is_listed_with_its_index():
    b = ModelBuilder()
    x = b.tensor([1, 4], "float32")
    y = b.tensor([1, 4], "float32")
    z = b.tensor([1, 4], "float32")
    w = b.tensor([1, 4], "float32")
    b.op("FLOOR", [x], [y])
    b.op("RELU", [y], [z])
    b.op("CEIL", [z], [w])
    b.io([x], [w])
    with pytest.raises(UnsupportedModelError, match=r"unsupported operators: FLOOR #0, CEIL #2$"):
        check_supported(read_model(b.build()))


def test_unsupported_tensor_types_are_named():
    b = ModelBuilder()
    x = b.tensor([1, 4], "float32")
    w = b.tensor([2, 4], "int8", data=np.zeros((2, 4), np.int8))
    b.current.tensors[w].type = 17  # INT4 in the schema
    y = b.tensor([1, 2], "float32")
    b.op("FULLY_CONNECTED", [x, w, -1], [y], "FullyConnectedOptions")
    b.io([x], [y])
    with pytest.raises(UnsupportedModelError, match=r"unsupported tensor types: int4 \(tensor 't1'\)"):
        check_supported(read_model(b.build()))

"""The bundled test vector: fixed inputs of the right size and type, the reference's outputs."""
from __future__ import annotations

import numpy as np

from mcucompile.executor import Executor
from mcucompile.pipeline import load_model
from mcucompile.planning.plan import plan_memory
from mcucompile.projects.reference_vector import reference_vector
from tests.support.corpus import model_path


def test_vector_is_fixed_and_is_the_reference():
    model = load_model(model_path("tiny_cnn_int16x8"))
    plan = plan_memory(model)
    vector = reference_vector(model, plan)
    assert vector == reference_vector(model, plan)
    tensors = model.main.tensors
    inputs = [np.frombuffer(data, tensors[i].dtype).reshape(tensors[i].shape)
              for data, i in zip(vector.inputs, model.main.inputs)]
    assert [len(data) for data in vector.inputs] == [tensors[i].nbytes for i in model.main.inputs]
    assert len({int(x) for x in inputs[0].reshape(-1)}) > 100, "inputs should cover the int16 range"
    expected = Executor(model, plan).invoke(inputs)
    assert vector.outputs == tuple(y.tobytes() for y in expected)


def test_float_inputs_are_in_unit_range():
    model = load_model(model_path("tflm_hello_world_float"))
    vector = reference_vector(model, plan_memory(model))
    values = np.frombuffer(vector.inputs[0], np.float32)
    assert np.all(np.abs(values) <= 1.0)

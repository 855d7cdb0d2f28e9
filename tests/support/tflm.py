"""TFLM's own interpreter (the tflite-micro package) as the oracle for bit-exactness."""
from __future__ import annotations

import numpy as np
from tflite_micro import runtime

from mcucompile.reader import read_model
from mcucompile.verify import tflm_arena_bytes


def tflm_interpreter(model_bytes: bytes, preserve_all_tensors: bool = False):
    config = (runtime.InterpreterConfig.kPreserveAllTensors if preserve_all_tensors
              else runtime.InterpreterConfig.kAllocationRecording)
    arena = tflm_arena_bytes(model_bytes, read_model(model_bytes))
    return runtime.Interpreter.from_bytes(model_bytes, arena_size=arena, intrepreter_config=config)


def run_tflm(model_bytes: bytes, invocations: list[list[np.ndarray]], n_outputs: int) -> list[list[np.ndarray]]:
    """Run consecutive invocations on one interpreter (state carries over); outputs per invocation."""
    interpreter = tflm_interpreter(model_bytes)
    results = []
    for inputs in invocations:
        for i, value in enumerate(inputs):
            interpreter.set_input(value, i)
        interpreter.invoke()
        results.append([np.array(interpreter.get_output(j)) for j in range(n_outputs)])
    return results

"""The int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels' DSP variants (SMLAD, compiled
where __ARM_FEATURE_DSP is defined, which the host never is) on Cortex-M4F under QEMU: every int8
sweep model of the reference tests, plus shapes that reach the variants' paired and tail paths,
byte-identical with the Python reference."""
from __future__ import annotations

from dataclasses import replace

from mcucompile.boards import load_board
from mcucompile.engines.qemu import run_qemu_batch
from mcucompile.passes import run_passes
from mcucompile.reader import read_model
from tests.kernels import test_conv, test_fully_connected
from tests.support.compare import random_invocations, run_optimised

DW = "DEPTHWISE_CONV_2D"
# Depths of 4 and more, odd widths and channel counts: two pixels by two channels with their
# leftovers, words of four channels with their tails, one run per filter row or one per tap;
# filters of up to 256 weights per output channel gather patches, larger ones clip windows.
DSP_CONV_CASES = {
    "conv-1x1-16-to-7": test_conv.Case(kernel=(1, 1), padding="VALID", in_depth=16, out_depth=7, width=7),
    "conv-1x1-s2-12-to-8": test_conv.Case(kernel=(1, 1), stride=(2, 2), in_depth=12, out_depth=8, height=7, width=9),
    "conv-3x3-same-8-to-6": test_conv.Case(in_depth=8, out_depth=6, width=7, activation="RELU"),
    "conv-3x3-s2-same-9-to-5": test_conv.Case(in_depth=9, out_depth=5, height=7, width=9, stride=(2, 2)),
    "conv-dil2-same-8-to-4": test_conv.Case(in_depth=8, height=8, width=7, dilation=(2, 2)),
    "conv-3x3-s2-same-32-to-5": test_conv.Case(in_depth=32, out_depth=5, height=7, width=9, stride=(2, 2)),
    "conv-dil2-same-30-to-3": test_conv.Case(in_depth=30, out_depth=3, height=8, width=7, dilation=(2, 2)),
    "conv-2-groups-8-to-6": test_conv.Case(in_depth=8, out_depth=6, groups=2),
    "conv-10x4-depth-1": test_conv.Case(kernel=(10, 4), in_depth=1, out_depth=5, height=13, width=9, stride=(2, 2)),
    "conv-per-tensor-16-to-5": test_conv.Case(kernel=(1, 1), in_depth=16, out_depth=5, per_channel=False),
    "dw-3x3-same-8": test_conv.Case(kind=DW, in_depth=8, width=7, activation="RELU6"),
    "dw-3x3-s2-same-11": test_conv.Case(kind=DW, in_depth=11, height=7, width=9, stride=(2, 2)),
    "dw-dil2-valid-12": test_conv.Case(kind=DW, in_depth=12, height=9, width=10, dilation=(2, 3), padding="VALID"),
    "dw-5x5-larger-than-input-4": test_conv.Case(kind=DW, in_depth=4, kernel=(5, 5), height=3, width=2),
    "dw-batch2-16": test_conv.Case(kind=DW, in_depth=16, batch=2, height=5, width=4, per_channel=False),
    "dw-depth-multiplier-2-of-4": test_conv.Case(kind=DW, in_depth=4, depth_multiplier=2),
}


def _cases() -> list[tuple[str, bytes]]:
    conv = [(param.id, param.values[0]) for param in test_conv.ALL_CASES if param.values[0].dtype == "int8"]
    conv += list(DSP_CONV_CASES.items())
    cases = [(name, test_conv.build_model(case, 1 + number % 2)) for number, (name, case) in enumerate(conv)]
    fully_connected = [param for param in test_fully_connected._cases()
                       if param.values[0].dtype == "int8" and not param.values[0].weights_as_input]
    cases += [(param.id, test_fully_connected.build_model(param.values[0], seed))
              for param in fully_connected for seed in range(2)]
    cases += [(f"fc-deep-{depth}-odd-outputs", test_fully_connected.build_model(
        replace(fully_connected[0].values[0], input_shape=(1, depth), output_shape=(1, 9), accum_depth=depth), depth))
        for depth in (64, 67)]
    return [(name.replace("-", "_").replace(".", "_"), data) for name, data in cases]


def test_int8_kernels_on_cortex_m4f():
    cases = _cases()
    assert len(cases) > 100
    prepared = [(f"m{number}_{name}", run_passes(read_model(data)), [random_invocations(data, number, 2)], data)
                for number, (name, data) in enumerate(cases)]
    firmware, runs = run_qemu_batch([(name, model, inputs) for name, model, inputs, _ in prepared],
                                    load_board("mps2-an386"), profile=False)
    assert firmware.machine == "mps2-an386"
    for (name, _, inputs, data), run in zip(prepared, runs):
        for k, (ours, reference) in enumerate(zip(run.outputs[0], run_optimised(data, inputs[0]))):
            for j, (a, b) in enumerate(zip(ours, reference)):
                assert a.tobytes() == b.tobytes(), f"{name} invocation {k} output {j} differs from the Python reference"

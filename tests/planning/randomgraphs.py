"""Random DAG models in the IR, for property tests of passes and the planner."""
from __future__ import annotations

from hypothesis import strategies as st

from mcucompile.ir import Graph, Model, Operator, Tensor


@st.composite
def random_models(draw, max_ops: int = 14) -> Model:
    tensors: list[Tensor] = []

    def new_tensor(size: int) -> int:
        tensors.append(Tensor(index=len(tensors), name=f"t{len(tensors)}", shape=(size,), dtype="int8"))
        return len(tensors) - 1

    sizes = st.sampled_from([1, 3, 8, 16, 33, 64, 100])
    inputs = [new_tensor(draw(sizes)) for _ in range(draw(st.integers(1, 2)))]
    available = list(inputs)
    operators = []
    for index in range(draw(st.integers(1, max_ops))):
        kind = draw(st.sampled_from(["ADD", "RELU", "RESHAPE", "CONV_2D", "CONCATENATION"]))
        if kind in ("ADD", "CONCATENATION"):
            a, b = draw(st.sampled_from(available)), draw(st.sampled_from(available))
            size = tensors[a].shape[0] if kind == "ADD" else tensors[a].shape[0] + tensors[b].shape[0]
            if kind == "ADD":
                # Same shapes, so the output may be written over either input.
                b = next((t for t in reversed(available) if tensors[t].shape == tensors[a].shape), a)
            op_inputs = (a, b)
        else:
            a = draw(st.sampled_from(available))
            op_inputs = (a,)
            size = tensors[a].shape[0] if kind in ("RELU", "RESHAPE") else draw(sizes)
        out = new_tensor(size)
        operators.append(Operator(index=index, kind=kind, inputs=op_inputs, outputs=(out,)))
        available.append(out)
    consumed = {t for op in operators for t in op.inputs}
    outputs = tuple(t for op in operators for t in op.outputs if t not in consumed) or (available[-1],)
    graph = Graph(name="main", tensors=tensors, operators=operators, inputs=tuple(inputs), outputs=outputs)
    return Model(graphs=[graph])

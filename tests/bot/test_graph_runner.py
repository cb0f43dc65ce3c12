"""bot/rasa_speedups.py runs Rasa's graphs without dask: the same nodes, results and errors."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot import rasa_speedups

CALLS: list[str] = []


class Step(GraphComponent):
    """A node that records its call and joins what it was given."""

    def __init__(self, name: str, fail: bool) -> None:
        self.name, self.fail = name, fail

    @classmethod
    def create(cls, config: dict, model_storage: Any, resource: Any, execution_context: Any):
        return cls(config["name"], config.get("fail", False))

    def run(self, **given: Any) -> str:
        CALLS.append(self.name)
        if self.fail:
            raise ValueError(f"{self.name} failed")
        return self.name + "(" + ",".join(f"{k}={given[k]}" for k in sorted(given)) + ")"


def _node(name: str, needs: dict[str, str], **config: Any) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn="run",
                      config={"name": name, **config}, is_target=True)  # fmt: skip


# A diamond (`d` needs `b` and `c`, both need `a`), a node fed by an input, one fed by a name
# nothing provides, and a branch that only some targets need.
SCHEMA = GraphSchema({
    "a": _node("a", {"m": "__message__"}),
    "b": _node("b", {"x": "a"}),
    "c": _node("c", {"x": "a", "t": "__tracker__"}),
    "d": _node("d", {"left": "b", "right": "c"}),
    "lonely": _node("lonely", {"x": "nobody"}),
    "other": _node("other", {}),
    "broken": _node("broken", {"x": "a"}, fail=True),
})  # fmt: skip
RUNS = [
    ({"__message__": "hello", "__tracker__": "T"}, ["d"]),
    ({"__message__": "hi", "__tracker__": "T2"}, ["d", "b", "other"]),
    ({"__message__": "x"}, ["b"]),
    ({}, ["other"]),
    ({}, ["lonely"]),  # Rasa's error: a missing input
    ({"__message__": "m"}, ["broken"]),  # Rasa's error: a failing component
]


@pytest.fixture
def runner(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner(SCHEMA, storage, ExecutionContext(SCHEMA, "test"))


def _run(run, runner, inputs, targets):
    CALLS.clear()
    try:
        result = run(runner, dict(inputs), targets)
    except Exception as error:  # noqa: BLE001  (compared with dask's)
        result = (type(error), str(error))
    return result, sorted(CALLS)


@pytest.mark.parametrize("inputs, targets", RUNS)
def test_same_results_errors_and_calls_as_dask(runner, inputs, targets):
    ours = _run(rasa_speedups._run_graph, runner, inputs, targets)
    assert ours == _run(rasa_speedups._rasa_run_graph, runner, inputs, targets)


def test_each_node_runs_once_after_what_it_needs(runner):
    CALLS.clear()
    result = rasa_speedups._run_graph(runner, {"__message__": "m", "__tracker__": "t"}, ["d"])
    assert result == {"d": "d(left=b(x=a(m=m)),right=c(t=t,x=a(m=m)))"}
    assert CALLS[0] == "a" and CALLS[-1] == "d" and sorted(CALLS) == ["a", "b", "c", "d"]


def test_a_failing_node_raises_rasas_error(runner):
    with pytest.raises(GraphComponentException, match="node broken"):
        rasa_speedups._run_graph(runner, {"__message__": "m"}, ["broken"])


def test_an_input_named_like_a_node_is_refused(runner):
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        rasa_speedups._run_graph(runner, {"__message__": "a"}, ["b"])

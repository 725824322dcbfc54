"""serve.js (tests/conformance/synaptic_oracle.py): one Node process answers every oracle request of a test
process, each exactly as a new ``node script < request`` process answers it, whatever was asked before."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import synaptic_oracle
from synaptic_oracle import NODE_DIR, SERVED, OracleError, run_node

pytestmark = [pytest.mark.node]

STEPS = [{"input": [0.2, 0.9], "target": [1.0], "rate": 0.3}, {"input": [0.7, 0.1]}]
XOR = [{"input": [0, 0], "output": [0]}, {"input": [0, 1], "output": [1]}, {"input": [1, 0], "output": [1]}]
#: A request for each served script whose answer draws on Math.random or the packages' id counters.
REQUESTS = {
    "oracle.js": {"build": {"kind": "LSTM", "args": [2, 3, 1]}, "seed": 5, "steps": STEPS},
    "trainer_oracle.js": {
        "op": "train",
        "network": {"build": "perceptron"},  # filled in below from oracle.js's own answer
        "set": XOR,
        "seed": 2,
        "options": {"rate": 0.3, "iterations": 40, "shuffle": True},
    },
    "bridges_oracle.js": {
        "cases": [
            # no "seed": Math.random as common.js seeds it on loading, so only a fresh load answers the same
            {"runtime": "neataptic", "build": {"kind": "mutated", "args": [2, 1], "mutations": ["ADD_NODE", "ADD_CONN"],
                                               "squash": "TANH"}, "inputs": [[0.5, -0.5]]},
            {"runtime": "brain.js", "build": {"hiddenLayers": [3], "inputs": 2, "outputs": 1}, "seed": 4,
             "inputs": [[0.1, 0.8]]},
        ]
    },
    "brainjs2_oracle.js": {
        "cases": [{"build": {"hiddenLayers": [3], "inputs": 2, "outputs": 1}, "seed": 4, "inputs": [[0.1, 0.8]]}]
    },
}


@pytest.fixture(autouse=True)
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNJSON_ORACLE_CACHE", raising=False)
    monkeypatch.delenv("SYNJSON_ORACLE_SERVER", raising=False)


def texts() -> dict[str, str]:
    perceptron = json.loads(run_node(NODE_DIR / "oracle.js", stdin=json.dumps({"build": {"kind": "Perceptron",
                                                                                           "args": [2, 3, 1]}})))
    requests = {**REQUESTS, "trainer_oracle.js": {**REQUESTS["trainer_oracle.js"], "network": perceptron["network"]}}
    return {script: json.dumps(request) for script, request in requests.items()}


def test_every_served_script_answers_as_a_new_process_does(monkeypatch: pytest.MonkeyPatch) -> None:
    assert set(REQUESTS) == SERVED
    asked = texts()
    served = {script: run_node(NODE_DIR / script, stdin=text) for script, text in asked.items()}
    again = {script: run_node(NODE_DIR / script, stdin=text) for script, text in reversed(asked.items())}
    monkeypatch.setenv("SYNJSON_ORACLE_SERVER", "0")
    alone = {script: run_node(NODE_DIR / script, stdin=text) for script, text in asked.items()}
    assert served == alone and again == alone
    assert json.loads(alone["bridges_oracle.js"])["results"][0]["outputs"]  # the cases ran, not failed


def test_what_a_script_writes_besides_its_answer_comes_first_as_from_a_new_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = json.loads(texts()["trainer_oracle.js"])
    request["options"]["rate_js"] = "(console.info('a stray line'), 0.3)"  # evaluated by the script itself
    answers = []
    for server in ("1", "0"):
        monkeypatch.setenv("SYNJSON_ORACLE_SERVER", server)
        answers.append(run_node(NODE_DIR / "trainer_oracle.js", stdin=json.dumps(request)))
    assert answers[0] == answers[1]
    assert answers[0].startswith("a stray line\n{")


def test_a_refused_request_is_the_same_error_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    messages = []
    for server in ("1", "0"):
        monkeypatch.setenv("SYNJSON_ORACLE_SERVER", server)
        with pytest.raises(OracleError) as refused:
            run_node(NODE_DIR / "oracle.js", stdin="{}")
        messages.append(str(refused.value).splitlines()[0])
    assert messages[0] == messages[1]
    assert messages[0].startswith('oracle.js exited with status 2: oracle.js: Error: request needs "network" or "build"')


def test_a_server_that_died_is_started_again() -> None:
    request = json.dumps(REQUESTS["oracle.js"])
    first = run_node(NODE_DIR / "oracle.js", stdin=request)
    assert synaptic_oracle._server is not None
    synaptic_oracle._server.process.kill()
    synaptic_oracle._server.process.wait()
    assert run_node(NODE_DIR / "oracle.js", stdin=request) == first

"""synjson.engine.facts: one owner for the squash codes and the plan's fields (issue 21, item 1).

Every copy in another runtime is either generated from the table (the C header) or compared with
it here (the browser runtime, the document layer's name list, the Plan dataclass). The checks are
functions of the copies' text, so the last tests can show that editing any one copy alone fails.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from synjson.document.squashes import SYNAPTIC_SQUASHES
from synjson.engine import facts
from synjson.model.plan import Plan
from synjson.model.squash import SQUASHES

ROOT = Path(__file__).resolve().parents[3]
ENGINE = ROOT / "synjson" / "engine"
PLAN_JS = ROOT / "web" / "plan.js"


def header_differences(committed: str) -> list[str]:
    """Why the committed _facts.h is not what the table generates (empty when it is)."""
    return [] if committed == facts.c_header() else ["synjson/engine/_facts.h differs from facts.c_header()"]


def kernel_differences(sources: dict[str, str]) -> list[str]:
    """Squash codes, squash counts or buffer numbers the kernel's sources write instead of _facts.h's names."""
    found = []
    for name, text in sources.items():
        for pattern, what in (
            (r"\bSQ_[A-Z]+\s*=", "defines a squash code"),
            (r"\b(?:LEN|INTS)\(\d", "indexes a plan buffer by a bare number"),
            (r"check_range\([^;]*\b\d+, \"squash\"", "bounds the squash codes by a bare number"),
            (r"\"(?:order|nb_ptr|conn_gater)\",", "lists the plan's field names"),
        ):
            if re.search(pattern, text):
                found.append(f"{name} {what}")
    return found


def js_differences(text: str) -> list[str]:
    """Where web/plan.js's squash names and codes differ from the table."""
    found = []
    names = re.search(r"const SQUASH_NAMES = \[([^\]]*)\];", text)
    listed = tuple(re.findall(r'"(\w+)"', names.group(1))) if names else ()
    if listed != facts.SQUASH_NAMES:
        found.append(f"plan.js SQUASH_NAMES {listed} != {facts.SQUASH_NAMES}")
    for name, value in re.findall(r"^const (LOGISTIC|TANH|IDENTITY|HLIM|RELU|CUSTOM) = (\d+);", text, re.MULTILINE):
        expected = facts.CUSTOM if name == "CUSTOM" else facts.SQUASH_NAMES.index(name)
        if int(value) != expected:
            found.append(f"plan.js {name} = {value}, the table says {expected}")
    return found


def _kernel_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(ENGINE.glob("_kernel*")) if path.suffix in (".c", ".inc")}


def test_the_committed_header_is_the_generated_one() -> None:
    assert header_differences((ENGINE / "_facts.h").read_text(encoding="utf-8")) == []


def test_the_kernel_takes_its_codes_and_buffer_numbers_from_the_header() -> None:
    assert kernel_differences(_kernel_sources()) == []
    assert '#include "_facts.h"' in (ENGINE / "_kernel_run.inc").read_text(encoding="utf-8")


def test_the_browser_runtime_uses_the_same_squash_codes() -> None:
    assert js_differences(PLAN_JS.read_text(encoding="utf-8")) == []


def test_python_copies_follow_the_table() -> None:
    assert SYNAPTIC_SQUASHES is facts.SQUASH_NAMES  # the document layer owns the list; facts takes it
    assert tuple(SQUASHES) == facts.SQUASH_NAMES
    assert facts.SQUASH_CODES == 6 and facts.CUSTOM == 5


def test_the_plan_has_every_field_the_kernel_reads() -> None:
    declared = [f.name for f in dataclasses.fields(Plan)]
    ints = [name for name in declared if name in facts.PLAN_INT_TABLES]
    assert sorted(ints) == sorted(facts.PLAN_INT_TABLES)
    for name in facts.PLAN_DOUBLE_ARRAYS:
        assert isinstance(getattr(Plan, name, None), property) or name in declared, name


def test_the_header_carries_every_code_and_field() -> None:
    text = facts.c_header()
    assert "    SQ_RELU = 4," in text and "    SQ_CUSTOM = 5," in text and "    N_SQUASH_CODES = 6," in text
    assert "    B_CONN_TO = 18," in text and "    B_BIAS = 19," in text and "    B_AUX = 31," in text
    assert "    X(activation) \\" in text and "    X(nb_ptr) \\" in text


# Editing one copy alone fails the suite: each check above reports the edited copy.


def test_an_edited_header_alone_is_caught() -> None:
    committed = (ENGINE / "_facts.h").read_text(encoding="utf-8")
    assert header_differences(committed.replace("SQ_RELU = 4", "SQ_RELU = 5")) == [
        "synjson/engine/_facts.h differs from facts.c_header()"
    ]


def test_an_edited_table_alone_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    committed = (ENGINE / "_facts.h").read_text(encoding="utf-8")
    monkeypatch.setattr(facts, "SQUASH_NAMES", ("LOGISTIC", "TANH", "IDENTITY", "RELU", "HLIM"))
    assert header_differences(committed) != []
    assert js_differences(PLAN_JS.read_text(encoding="utf-8")) == [
        "plan.js SQUASH_NAMES ('LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU') != "
        "('LOGISTIC', 'TANH', 'IDENTITY', 'RELU', 'HLIM')",
        "plan.js HLIM = 3, the table says 4",
    ]


def test_an_edited_kernel_alone_is_caught() -> None:
    sources = _kernel_sources()
    sources["_kernel_run.inc"] += "\nenum { SQ_EXTRA = 6 };\n"
    sources["_kernel.c"] = sources["_kernel.c"].replace("LEN(B_CONN_TO)", "LEN(18)")
    assert kernel_differences(sources) == [
        "_kernel.c indexes a plan buffer by a bare number",
        "_kernel_run.inc defines a squash code",
    ]


def test_an_edited_browser_runtime_alone_is_caught() -> None:
    text = PLAN_JS.read_text(encoding="utf-8")
    assert js_differences(text.replace("const TANH = 1;", "const TANH = 2;")) == ["plan.js TANH = 2, the table says 1"]
    assert js_differences(text.replace('"HLIM", "RELU"', '"RELU", "HLIM"')) == [
        "plan.js SQUASH_NAMES ('LOGISTIC', 'TANH', 'IDENTITY', 'RELU', 'HLIM') != "
        "('LOGISTIC', 'TANH', 'IDENTITY', 'HLIM', 'RELU')"
    ]


def js_field_differences(text: str) -> list[str]:
    """Plan tables web/*.js name otherwise than the Python plan, and quirks numbered instead of tagged."""
    found = [f"names {old}" for old in re.findall(r"\b(neighbourStart|pairSelfGated|traceStart|influence(?:Start|Conns))\b", text)]
    found += [f"names the plan field {name}, which the plan lacks" for name in sorted(set(re.findall(r"\b(?:nb|inf)_\w+", text)))
              if name not in facts.PLAN_INT_TABLES]
    found += [f"numbers a quirk: {hit}" for hit in re.findall(r"[Qq]uirk \d", text)]
    return found


@pytest.mark.parametrize("name", ["plan.js", "runtime.js"])
def test_the_browser_runtime_names_the_plan_fields_as_python_does(name: str) -> None:
    assert js_field_differences((ROOT / "web" / name).read_text(encoding="utf-8")) == []


def test_a_renamed_browser_field_alone_is_caught() -> None:
    text = (ROOT / "web" / "runtime.js").read_text(encoding="utf-8")
    assert js_field_differences(text.replace("nb_xtrace", "traceStart")) == ["names traceStart"] * text.count("nb_xtrace")
    assert js_field_differences(text.replace("nb_old", "nb_gated_self")) == [
        "names the plan field nb_gated_self, which the plan lacks"
    ]
    assert js_field_differences(text + "\n// quirk 3\n") == ["numbers a quirk: quirk 3"]


def test_the_generated_python_binds_every_value_column_and_no_other() -> None:
    from synjson.engine.python import _COLUMNS

    assert sorted(_COLUMNS.values()) == sorted(facts.PLAN_DOUBLE_ARRAYS)

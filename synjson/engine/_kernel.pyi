"""Type stubs for synjson's native kernel (synjson/engine/_kernel.c); docs/engine.md has the contract."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from _typeshed import ReadableBuffer, WriteableBuffer

ABI: Final[int]

class Program:
    """A plan's tables and the store's arrays, run in place."""

    def __init__(self, plan: Any) -> None: ...
    @property
    def size(self) -> int: ...
    @property
    def n_inputs(self) -> int: ...
    @property
    def n_outputs(self) -> int: ...
    @property
    def iteration(self) -> int: ...
    @property
    def rows_independent(self) -> bool: ...
    @property
    def native(self) -> bool: ...
    def activate(self, inputs: Sequence[float] | ReadableBuffer, /) -> list[float]: ...
    def propagate(self, rate: float, targets: Sequence[float] | ReadableBuffer, /) -> None: ...
    def activate_batch(
        self, rows: ReadableBuffer, n_rows: int, out: WriteableBuffer, threads: int | None = None, /
    ) -> None: ...
    def train(
        self,
        /,
        rows: ReadableBuffer,
        targets: ReadableBuffer,
        n_rows: int,
        iterations: int,
        error: float,
        cost: int | Callable[[Sequence[float], Sequence[float]], float],
        rate: float | ReadableBuffer | Callable[[int, float], float],
        *,
        orders: Callable[[], ReadableBuffer] | None = None,
        every: int = 0,
        schedule: Callable[[dict[str, Any]], Any] | None = None,
        log_every: int = 0,
        log: Callable[[int, float, float], Any] | None = None,
        history: WriteableBuffer | None = None,
        test_rows: ReadableBuffer | None = None,
        test_targets: ReadableBuffer | None = None,
        n_test: int = 0,
        test_error: float | None = None,
        guard: bool = True,
    ) -> tuple[float, int, tuple[int, str] | None]: ...

class Core:
    """The C base of Network: activate/propagate run the installed program."""

    _activated: bool
    @property
    def _program(self) -> Any: ...
    @property
    def _version(self) -> Any: ...
    @property
    def _bound(self) -> int: ...
    def activate(self, inputs: Sequence[float] | ReadableBuffer | Mapping[str, float], /) -> Any: ...
    def propagate(self, rate: float, targets: Sequence[float] | ReadableBuffer | Mapping[str, float], /) -> None: ...
    def _install(self, program: Any, version: WriteableBuffer, /) -> None: ...

def dump_connections(
    source: ReadableBuffer, target: ReadableBuffer, gater: ReadableBuffer, weight: ReadableBuffer,
    order: ReadableBuffer, /,
) -> str: ...
def js_number(value: float, /) -> str: ...
def connection_table(
    connections: Sequence[Any], count: int, allow_nan: bool, refuse: bool, /
) -> tuple[bytes, bytes, bytes, bytes, bytes, bool] | None: ...
def scan_connections(data: bytes, start: int, /) -> tuple[int, bytes, bytes, bytes, bytes, bool] | None: ...
def group(keys: ReadableBuffer, size: int, start: int, /) -> tuple[bytes, bytes]: ...

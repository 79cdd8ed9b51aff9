"""How many files the forecast horizon of ``omniops forecast`` passes through on its way to its use.

Runs ``omniops forecast --horizon 7`` on a two-series CSV with the horizon tagged (an ``int`` subclass:
arithmetic on it gives a plain ``int``, so only the value itself is followed, not what is computed from
it) and records, in call order, every call of the repository's code that receives it, as an argument or
as an attribute of an argument (the parsed command line, a settings object). Consecutive calls in
one file are one stay.
Prints the files, the stays, the file-to-file hops (stays − 1) and the returns to a file already left.
Prophet's child processes are not traced (the CSV's short series never get Prophet anyway).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/setting_path.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent


class Tagged(int):
    """The horizon being followed."""


def _carries(value: object) -> bool:
    if isinstance(value, Tagged):
        return True
    fields = getattr(value, "__dict__", None) if not isinstance(value, type) else None
    return isinstance(fields, dict) and any(isinstance(v, Tagged) for v in fields.values())


def trace_horizon(horizon: int = 7) -> list[str]:
    from orchestration.cli import build_parser

    folder = Path(tempfile.mkdtemp(prefix="setting_path_"))
    ds = pd.date_range("2025-01-06", periods=84, freq="D")
    history = pd.concat(
        [
            pd.DataFrame({"unique_id": "a", "ds": ds, "y": np.tile([10.0, 12, 15, 20, 25, 30, 8], 12)}),
            pd.DataFrame({"unique_id": "b", "ds": ds, "y": 50 + 2.0 * np.arange(84)}),
        ]
    )
    history.to_csv(folder / "history.csv", index=False)
    args = build_parser().parse_args(
        ["forecast", "--input", str(folder / "history.csv"), "--horizon", str(horizon)]
        + ["--output", str(folder / "forecast.csv")]
    )
    args.horizon = Tagged(args.horizon)
    calls: list[str] = []

    def tracer(frame, event, arg):
        if event != "call":
            return None
        path = Path(frame.f_code.co_filename)
        if REPO not in path.parents or "benchmarks" in path.parts:
            return None
        code = frame.f_code
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        if any(_carries(frame.f_locals.get(name)) for name in names):
            calls.append(f"{path.relative_to(REPO)}:{code.co_name}")
        return None

    sys.setprofile(None)
    sys.settrace(tracer)
    try:
        assert args.func(args) == 0
    finally:
        sys.settrace(None)
    return calls


def main() -> None:
    calls = trace_horizon()
    stays: list[tuple[str, list[str]]] = []
    for call in calls:
        file, function = call.split(":")
        if stays and stays[-1][0] == file:
            stays[-1][1].append(function)
        else:
            stays.append((file, [function]))
    seen: set[str] = set()
    returns = 0
    for file, functions in stays:
        returns += file in seen
        seen.add(file)
        print(f"{file}: {', '.join(functions)}")
    files = sorted(seen)
    print(f"\n{len(calls)} calls, {len(stays)} stays in {len(files)} files, {len(stays) - 1} hops, ", end="")
    print(f"{returns} returns to a file already left: {', '.join(files)}")


if __name__ == "__main__":
    main()

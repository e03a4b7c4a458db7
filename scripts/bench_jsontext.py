"""Time nq57's JSON writer (nq57.render.jsontext) against the standard library's.

    .venv/bin/python scripts/bench_jsontext.py [--data data] [--times 6]

The payload is `nq57 status --format json --limit 0` of the data folder with its task
lists repeated ``--times`` times (6 on the bundled data: ~4.8 MB, the size of the status
of 30,000 tasks). Both writers must give the same text; the best of 5 runs is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time

from nq57.cli.app import run
from nq57.render import jsontext


def best(function, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="data")
    parser.add_argument("--times", type=int, default=6)
    args = parser.parse_args()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run(["status", "--data", args.data, "--format", "json", "--limit", "0"])
    payload = json.loads(out.getvalue())
    for key, value in payload.items():
        if isinstance(value, list) and key not in ("counts", "by_agency", "by_plan"):
            payload[key] = value * args.times
    text = jsontext.dumps(payload)
    assert text == json.dumps(payload, ensure_ascii=False, indent=2)
    own = best(lambda: jsontext.dumps(payload))
    stdlib = best(lambda: json.dumps(payload, ensure_ascii=False, indent=2))
    compact = best(lambda: json.dumps(payload, ensure_ascii=False))
    print(f"{len(text.encode()) / 1e6:.1f} MB of JSON")
    print(f"jsontext.dumps:                  {own * 1000:6.0f} ms")
    print(f"json.dumps(indent=2):            {stdlib * 1000:6.0f} ms")
    print(f"json.dumps, no indent (C, ref.): {compact * 1000:6.0f} ms")


if __name__ == "__main__":
    main()

"""Fuzz the readers with the mutation corpus of tests/fuzzing.py and print the figures.

.venv/bin/python scripts/fuzz.py            # the corpus the test suite runs
.venv/bin/python scripts/fuzz.py --seed 5   # another draw of offsets and flips
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fuzzing import corpus, run_all  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every case")
    args = parser.parse_args()
    cases = list(corpus(args.seed))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        outcomes = run_all(cases, Path(folder))
    seconds = time.perf_counter() - started
    for outcome, items in sorted(outcomes.items()):
        for name, detail in items if args.verbose or outcome not in ("ok", "located") else []:
            print(f"{outcome:10} {name}: {detail}")
    counts = {k: len(v) for k, v in outcomes.items()}
    print(
        f"fuzz: {len(cases)} cases in {seconds:.0f} s: {counts.get('located', 0)} clean located errors, "
        f"{counts.get('ok', 0)} read, {counts.get('unlocated', 0)} unlocated errors, "
        f"{counts.get('traceback', 0)} tracebacks, {counts.get('crash', 0)} crashes, {counts.get('hang', 0)} hangs"
    )
    return 0 if not set(counts) - {"ok", "located"} else 1


if __name__ == "__main__":
    sys.exit(main())

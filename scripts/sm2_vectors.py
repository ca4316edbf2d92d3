#!/usr/bin/env python3
"""Generate SM-2 test vectors with the reference implementation.

    pip install supermemo2==3.0.1
    python3 scripts/sm2_vectors.py > tests/fixtures/sm2_vectors.txt

One line per random grade sequence:
    q1 q2 ...|ef,interval,repetitions;ef,interval,repetitions;...
with the state after every review (EF written with repr, exact).
"""
import random

from supermemo2 import first_review, review

SEQUENCES = 10_000
SEED = 20261123


def main():
    rng = random.Random(SEED)
    print("# supermemo2 3.0.1 vectors, seed %d, %d sequences" % (SEED, SEQUENCES))
    for _ in range(SEQUENCES):
        grades = [rng.randint(0, 5) for _ in range(rng.randint(1, 12))]
        steps = []
        state = None
        for q in grades:
            if state is None:
                state = first_review(q, "2026-01-01")
            else:
                state = review(q, state["easiness"], state["interval"], state["repetitions"], "2026-01-01")
            steps.append("%r,%d,%d" % (state["easiness"], state["interval"], state["repetitions"]))
        print(" ".join(map(str, grades)) + "|" + ";".join(steps))


if __name__ == "__main__":
    main()

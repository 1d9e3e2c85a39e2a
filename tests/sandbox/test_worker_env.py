"""``Sandbox(env=...)``: variables set in its workers' environment, over the client's own; a
str hash seed given so is the one every run of that sandbox hashes with."""

from __future__ import annotations

from sandbox import Sandbox

SHOW = (
    "import os, sys\nprint(os.environ['PYTHONHASHSEED'], sys.flags.hash_randomization, hash('abc'))"
)


def test_a_sandboxs_env_reaches_its_runs() -> None:
    lines = {}
    for seed in ("1", "2"):
        with Sandbox(timeout_s=30, env={"PYTHONHASHSEED": seed}) as box:
            first, again = (box.run(SHOW).stdout.split() for _ in range(2))
        assert first == again  # every run forks from the one worker, with its seed
        assert first[:2] == [seed, "1"]
        lines[seed] = first
    assert lines["1"][2] != lines["2"][2]  # another seed hashes "abc" to another number

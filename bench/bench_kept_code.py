"""What keeping the learner's code costs the UI thread: one autosave of the sandbox or an exercise.

Run: python bench/bench_kept_code.py [--runs N]
A KeptEditor saves on the UI thread, a second after typing stops (and when it leaves), through
``write_text_atomic`` (temporary file, fsync, rename). Prints medians for a typical sandbox file
and a long one, beside a plain ``Path.write_text`` (no fsync, not atomic) for scale, interleaved,
in a temporary folder on the same disk as the data dir. Goal: well under a 16 ms frame.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _timing import interleaved, median, print_table

from tutor.paths import default_data_dir
from tutor.scratch import ScratchFile

STARTER = "# starter\nmodel = nn.Linear(4, 2)\n"


def sandbox_code(lines: int) -> str:
    return "".join(
        f"h{i} = torch.relu(nn.Linear(8, 8)(torch.randn(3, 8)))  # {i}\n" for i in range(lines)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    home = default_data_dir()
    disk = home if home.is_dir() else None  # the data dir's disk, where there is one
    with tempfile.TemporaryDirectory(dir=disk, prefix=".bench-") as folder:
        root = Path(folder)
        scratch = ScratchFile(root / "sandbox.py", STARTER)
        variants = {}
        for lines in (30, 1000):
            text = sandbox_code(lines)
            variants[f"autosave, {lines} lines"] = lambda text=text: scratch.save(text)
            plain = root / f"plain-{lines}.py"
            variants[f"write_text, {lines} lines"] = lambda p=plain, t=text: p.write_text(t)
        variants["untouched starter (unlink)"] = lambda: scratch.save(STARTER)
        samples = interleaved(variants, args.runs, warmup=2)
    print(f"median of {args.runs} runs each, interleaved, in {disk or tempfile.gettempdir()}")
    print_table(["variant", "ms"], [[name, f"{median(ms):.3f}"] for name, ms in samples.items()])


if __name__ == "__main__":
    main()

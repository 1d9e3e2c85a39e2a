"""Deck load + validate time: the shipped decks, and a generated 10,000-card deck.

Run: python bench/bench_decks.py [--repeat N]
Prints medians; the goal for the shipped decks is <= 150 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tutor.decks import DeckLoader
from tutor.paths import default_deck_paths


def generated_deck(path: Path, cards: int) -> Path:
    lines = ["kind: cards", "id: bench-big", "title: {en: Big, zh: 大}", "cards:"]
    for i in range(cards):
        lines += [
            f"  - id: bench.card-{i}",
            f"    front: {{en: 'What is fact {i}?', zh: '第 {i} 条事实是什么？'}}",
            f"    back: {{en: 'It is the fact numbered {i}.', zh: '它是第 {i} 条事实。'}}",
            "    tags: [bench]",
            "    verify: |",
            f"      assert {i} + 1 == {i + 1}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def median_ms(paths: list[Path], repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        library = DeckLoader(paths).load()
        times.append((time.perf_counter() - started) * 1000)
    if library.errors:
        print(f"  note: deck errors: {len(library.errors)}, e.g. {library.errors[0]}")
    return statistics.median(times), library.counts()["cards"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shipped = default_deck_paths(Path(tmp) / "home")
        ms, cards = median_ms(shipped, args.repeat)
        print(
            f"shipped decks: load+validate median {ms:.1f} ms over {args.repeat} runs "
            f"({cards} cards; goal <= 150 ms)"
        )
        big = generated_deck(Path(tmp) / "big.yaml", 10_000)
        ms, cards = median_ms([big], max(3, args.repeat // 3))
        print(
            f"generated deck: load+validate median {ms:.1f} ms ({cards} cards, "
            f"{big.stat().st_size / 1e6:.1f} MB)"
        )


if __name__ == "__main__":
    main()

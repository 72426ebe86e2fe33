"""Hard webcam frames (bench/scan_frames.py): per frame and per one-second 30 fps stream.

    python -m bench.scan_hard                      # 25 frames and 10 streams of each kind
    python -m bench.scan_hard --frames 50 --streams 25 --seed 7
    python -m bench.scan_hard --ablation           # also every pass prefix of the pipeline
    git show REV:desktop/services/scanner/decode.py > /tmp/decode_rev.py
    python -m bench.scan_hard --previous /tmp/decode_rev.py   # also that revision's pipeline

Readers, same run, same frames: the project's pipeline (desktop/services/scanner/decode.py),
raw zxing-cpp (one default call) and raw pyzbar (one default call).

Per frame: % of frames read, by kind, and the median and p95 time per 1280x720 frame.
Per stream: a code held in front of a 30 fps camera for one second. The decoder is paced
as the app's decode thread is: it takes the newest frame, decodes it for as long as it
takes (measured), and frames delivered meanwhile are dropped; a stream counts as read when
a decode that started on one of its 30 frames reads the code within 1000 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.scan_corpus import Reader, matches, pipeline_reader, raw_pyzbar_reader, raw_zxing
from bench.scan_frames import FPS, KINDS, STREAM_FRAMES, Stream, hard_frames
from desktop.services.scanner.decode import ALL_PASSES, QrDecoder

FRAME_MS = 1000 / FPS
BUDGET_MS = 1000.0


def readers(ablation: bool, previous: Path | None) -> dict[str, Reader]:
    chosen: dict[str, Reader] = {"raw zxing": raw_zxing}
    pyzbar = raw_pyzbar_reader()
    if pyzbar is not None:
        chosen["raw pyzbar"] = pyzbar
    if previous is not None:
        chosen["previous"] = pipeline_reader(_decoder_from(previous), Counter())
    if ablation:
        for size in range(1, len(ALL_PASSES)):
            passes = ALL_PASSES[:size]
            label = passes[0] if size == 1 else "+" + passes[-1]
            chosen[label] = pipeline_reader(QrDecoder(passes), Counter())
    chosen["pipeline"] = pipeline_reader(QrDecoder(), Counter())
    return chosen


def _decoder_from(path: Path) -> Any:
    """The QrDecoder of another revision's decode.py (the baseline of a change)."""
    spec = importlib.util.spec_from_file_location("previous_decode", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["previous_decode"] = module
    spec.loader.exec_module(module)
    return module.QrDecoder()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def per_frame(count: int, seed: int, chosen: dict[str, Reader]) -> None:
    frames = hard_frames(count, seed)
    print(f"\nPer frame: {count} frames of each kind, 1280x720, seed {seed}")
    print(f"{'kind':<14}" + "".join(f"{name:>12}" for name in chosen))
    reads: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)
    # Frame by frame, every reader in turn: the machine's varying load weighs on all alike.
    for frame in frames:
        for name, read in chosen.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            found = read(frame.image)
            times[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - cpu_started) * 1000)
            reads[name][frame.hold.kind] += matches(frame.payload, found)
    for kind in KINDS:
        cells = "".join(f"{100 * reads[name][kind] / count:>11.0f}%" for name in chosen)
        print(f"{kind:<14}{cells}")
    total = len(frames)
    cells = "".join(f"{100 * sum(reads[name].values()) / total:>11.1f}%" for name in chosen)
    print(f"{'all kinds':<14}{cells}")
    # Wall time is what the decode thread takes on this shared machine; CPU time (all the
    # process's threads) is the cost itself, less disturbed by the other jobs' load.
    for label, values, fraction in (
        ("median ms", times, 0.5),
        ("p95 ms", times, 0.95),
        ("median CPU ms", cpu, 0.5),
        ("p95 CPU ms", cpu, 0.95),
    ):
        cells = "".join(f"{percentile(values[name], fraction):>12.1f}" for name in chosen)
        print(f"{label:<14}{cells}")


def time_to_read(stream: Stream, read: Reader, cache: dict[int, Any]) -> float | None:
    """Milliseconds from the code's first frame to its payload, paced like the decode thread."""
    now = 0.0
    while now < BUDGET_MS:
        number = int(now // FRAME_MS)  # the newest frame delivered by now
        if number >= STREAM_FRAMES:
            return None
        if number not in cache:
            cache[number] = stream.frame(number)
        started = time.perf_counter()
        found = read(cache[number])
        now += (time.perf_counter() - started) * 1000
        if matches(stream.payload, found):
            return now if now <= BUDGET_MS else None
        now = max(now, (number + 1) * FRAME_MS)  # wait for the next frame
    return None


def per_stream(count: int, seed: int, chosen: dict[str, Reader]) -> None:
    print(f"\nPer stream: {count} codes of each kind held {STREAM_FRAMES} frames at {FPS} fps")
    print(f"{'kind':<14}" + "".join(f"{name:>12}" for name in chosen))
    read_in: dict[str, list[float]] = defaultdict(list)
    missed: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for kind in KINDS:
        for number in range(count):
            stream = Stream(kind, seed, number)
            cache: dict[int, Any] = {}
            for name, read in chosen.items():
                elapsed = time_to_read(stream, read, cache)
                if elapsed is None:
                    missed[name][kind] += 1
                else:
                    read_in[name].append(elapsed)
        cells = "".join(f"{100 * (1 - missed[n][kind] / count):>11.0f}%" for n in chosen)
        print(f"{kind:<14}{cells}")
    total = count * len(KINDS)
    cells = "".join(f"{100 * len(read_in[name]) / total:>11.1f}%" for name in chosen)
    print(f"{'read in 1 s':<14}{cells}")
    cells = "".join(
        f"{statistics.median(read_in[name]) if read_in[name] else float('nan'):>12.0f}"
        for name in chosen
    )
    print(f"{'median ms':<14}{cells}")


def main(argv: Callable[[], list[str]] = lambda: sys.argv[1:]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=25, help="frames of each kind")
    parser.add_argument("--streams", type=int, default=10, help="streams of each kind (0: none)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ablation", action="store_true", help="also every pass prefix")
    parser.add_argument("--previous", type=Path, help="another revision's decode.py, to compare")
    arguments = parser.parse_args(argv())
    chosen = readers(arguments.ablation, arguments.previous)
    if arguments.frames:
        per_frame(arguments.frames, arguments.seed, chosen)
    if arguments.streams:
        per_stream(arguments.streams, arguments.seed, chosen)


if __name__ == "__main__":
    main()

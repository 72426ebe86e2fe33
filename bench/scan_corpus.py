"""Decode a QR corpus through the app's pipeline, and through raw zxing-cpp and raw pyzbar.

    python -m bench.scan_corpus "$QR_CORPUS"          # images with NAME.txt beside them
    python -m bench.scan_corpus --synthetic 300                 # generated 1280x720 webcam frames
    python -m bench.scan_corpus DIR --ablation                  # gain of each pass, in order

(from the repository root, like every benchmark: `tests.support` must be importable).

The expected payload is NAME.txt read as bytes; a read counts when the decoded bytes, or
the decoded text encoded as UTF-8, equal them (the corpus stores Shift_JIS codes as UTF-8
text). The closing line is the pipeline's: `decoded K/N (P %), median X ms, p95 Y ms
(CPU median Z ms)`. The real photographs are not in the repository (docs/scanning.md says
where they come from); `make bench` passes QR_CORPUS, and a corpus directory that does not
exist is skipped with one line, so the other benchmarks still run on a bare clone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cv2
import zxingcpp

from desktop.services.scanner.decode import ALL_PASSES, QrDecoder, load_pyzbar
from tests.support import scanner_images

Sample = tuple[str, Any, bytes]  # name, BGR image, expected payload
Reader = Callable[[Any], list[tuple[bytes, str | None]]]


def corpus_samples(directory: Path) -> Iterator[Sample]:
    for expected_file in sorted(directory.rglob("*.txt")):
        if expected_file.name.endswith(".metadata.txt"):
            continue
        images = [
            p for p in expected_file.parent.glob(expected_file.stem + ".*") if p.suffix != ".txt"
        ]
        if not images:
            continue
        image = cv2.imread(str(images[0]), cv2.IMREAD_COLOR)
        if image is None:
            print(f"unreadable image skipped: {images[0]}", file=sys.stderr)
            continue
        yield str(images[0].relative_to(directory)), image, expected_file.read_bytes()


def synthetic_samples(count: int, seed: int) -> Iterator[Sample]:
    for number, (frame, payload, scene) in enumerate(scanner_images.synthetic_corpus(count, seed)):
        yield f"synthetic-{number:03d} {scene}", frame, payload


def matches(expected: bytes, found: list[tuple[bytes, str | None]]) -> bool:
    return any(
        data == expected or (text is not None and text.encode("utf-8") == expected)
        for data, text in found
    )


def raw_zxing(image: Any) -> list[tuple[bytes, str | None]]:
    return [(r.bytes, r.text) for r in zxingcpp.read_barcodes(image)]


def raw_pyzbar_reader() -> Reader | None:
    pyzbar = load_pyzbar()
    if pyzbar is None:
        return None
    return lambda image: [(r.data, None) for r in pyzbar.decode(image)]


def pipeline_reader(decoder: QrDecoder, methods: Counter[str]) -> Reader:
    def read(image: Any) -> list[tuple[bytes, str | None]]:
        found = decoder.decode(image)
        methods.update(p.method for p in found[:1])
        return [(p.data, p.text) for p in found]

    return read


def measure(samples: list[Sample], read: Reader, verbose: bool = False) -> str:
    times, cpu_times, decoded = [], [], 0
    for name, image, expected in samples:
        started, cpu_started = time.perf_counter(), time.process_time()
        found = read(image)
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
        if matches(expected, found):
            decoded += 1
        elif verbose:
            print(f"  missed: {name}")
    total = len(samples)
    times.sort()
    p95 = times[min(total - 1, round(0.95 * (total - 1)))]
    return (
        f"decoded {decoded}/{total} ({100 * decoded / total:.1f} %), "
        f"median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
        # CPU time (the process's threads): the cost, less disturbed by other jobs' load.
        f"(CPU median {statistics.median(cpu_times):.1f} ms)"
    )


def run(samples: list[Sample], ablation: bool, verbose: bool) -> None:
    print(f"{len(samples)} images, {samples[0][1].shape[1]}x{samples[0][1].shape[0]} first")
    print(f"raw zxing-cpp (one call):  {measure(samples, raw_zxing)}")
    pyzbar = raw_pyzbar_reader()
    if pyzbar is not None:
        print(f"raw pyzbar (one call):     {measure(samples, pyzbar)}")
    else:
        print("raw pyzbar: unavailable (libzbar0 missing)")
    if ablation:
        for size in range(1, len(ALL_PASSES)):
            passes = ALL_PASSES[:size]
            line = measure(samples, pipeline_reader(QrDecoder(passes), Counter()))
            print(f"passes {'+'.join(passes):<26} {line}")
    methods: Counter[str] = Counter()
    decoder = QrDecoder()
    closing = measure(samples, pipeline_reader(decoder, methods), verbose)
    by_pass = ", ".join(f"{name} {methods[name]}" for name in decoder.passes)
    print(f"pipeline reads by pass: {by_pass}")
    print(f"pipeline ({'+'.join(decoder.passes)}):")
    print(closing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, help="corpus with NAME.txt payloads")
    parser.add_argument("--synthetic", type=int, metavar="N", help="generate N webcam frames")
    parser.add_argument("--seed", type=int, default=20250, help="seed of the synthetic corpus")
    parser.add_argument("--ablation", action="store_true", help="also time each pass prefix")
    parser.add_argument("--verbose", action="store_true", help="list the images missed")
    arguments = parser.parse_args()
    if arguments.synthetic:
        samples = list(synthetic_samples(arguments.synthetic, arguments.seed))
    elif arguments.directory is not None:
        if not arguments.directory.is_dir():
            print(f"QR corpus {arguments.directory} absent: skipped (give QR_CORPUS=DIR)")
            return
        samples = list(corpus_samples(arguments.directory))
    else:
        parser.error("give a corpus directory or --synthetic N")
    if not samples:
        parser.error("no image with a NAME.txt payload found")
    run(samples, arguments.ablation, arguments.verbose)


if __name__ == "__main__":
    main()

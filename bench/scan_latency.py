"""Latency from a code entering a 30 fps source to its payload, and the preview rate meanwhile.

    bench/scan_latency.py [--runs 5] [--frames 90] [--enter 30]

Each run writes a 1280x720 MJPG video (an empty room, then a phone held up from frame
ENTER on), plays it through FileSource paced at 30 fps, and runs the app's ScanLoop
(capture thread + decode thread, no Qt). Latency = payload callback time minus the
capture time of frame ENTER; preview rate = frames delivered to on_frame per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scan_corpus import load_image_helpers  # noqa: E402

from desktop.services.scanner import FileSource, Frame, ScanLoop  # noqa: E402
from desktop.services.scanner.decode import DecodedPayload  # noqa: E402

FPS = 30.0


def make_video(directory: Path, frames: int, enter: int, seed: int) -> tuple[Path, bytes]:
    images = load_image_helpers()
    rng = np.random.default_rng(seed)
    payload = images.request_payload(rng)
    scene = images.random_scene(rng)
    scene = images.with_scene(scene, module_px=max(scene.module_px, 3.5))  # inside the aim
    room = images.empty_frame(rng)
    sequence = [room] * enter + [images.compose(payload, scene, rng) for _ in range(frames - enter)]
    return images.write_video(directory / f"run{seed}.avi", sequence, FPS), payload


def one_run(video: Path, payload: bytes, enter: int) -> tuple[float | None, float, float]:
    captured: dict[int, float] = {}
    read_at: list[float] = []
    done = threading.Event()

    def on_frame(frame: Frame) -> None:
        captured[frame.number] = frame.captured_at

    def on_payload(found: DecodedPayload, frame: Frame) -> None:
        if found.data == payload:
            read_at.append(time.monotonic())

    loop = ScanLoop(
        lambda: FileSource(video, fps=FPS),
        on_frame=on_frame,
        on_payload=on_payload,
        on_ended=done.set,
    )
    started = time.monotonic()
    loop.start()
    done.wait(60)
    elapsed = time.monotonic() - started
    loop.stop()
    latency = (read_at[0] - captured[enter]) * 1000 if read_at and enter in captured else None
    return latency, loop.frames_captured / elapsed, loop.frames_decoded / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frames", type=int, default=90)
    parser.add_argument("--enter", type=int, default=30)
    arguments = parser.parse_args()
    latencies, previews, decodes, missed = [], [], [], 0
    with tempfile.TemporaryDirectory() as directory:
        for run in range(arguments.runs):
            video, payload = make_video(Path(directory), arguments.frames, arguments.enter, run)
            latency, preview_fps, decode_fps = one_run(video, payload, arguments.enter)
            shown = "not read" if latency is None else f"{latency:.0f} ms"
            print(f"run {run}: latency {shown}, preview {preview_fps:.1f} fps, "
                  f"decoded {decode_fps:.1f} frames/s")  # fmt: skip
            previews.append(preview_fps)
            decodes.append(decode_fps)
            if latency is None:
                missed += 1
            else:
                latencies.append(latency)
    if latencies:
        median = statistics.median(latencies)
        print(
            f"read {len(latencies)}/{arguments.runs}, latency median {median:.0f} ms, "
            f"max {max(latencies):.0f} ms; preview {statistics.median(previews):.1f} fps, "
            f"decode {statistics.median(decodes):.1f} frames/s"
        )
    else:
        print(f"read 0/{arguments.runs}")


if __name__ == "__main__":
    main()

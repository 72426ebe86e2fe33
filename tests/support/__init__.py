"""Fakes and generated data shared by the tests, the benchmarks and the screenshot scripts.

Nothing in the production packages (`procuration`, `backend`, `desktop`) imports from here.
Import a module, not this package (`from tests.support.clock import FakeClock`): each one
pulls only what it needs (cv2 for the scanner images, httpx for the fake backend...).

The repository root must be on `sys.path`: pytest puts it there (`pythonpath` in
pyproject.toml); the benchmarks and scripts are run as modules from the root
(`python -m bench.journal`, `python -m scripts.render_screens`), which does the same.

- `clock`: `FakeClock`, a clock that moves only when told to.
- `fake_backend`: the sync backend served through httpx.MockTransport, an in-memory keyring.
- `fake_counter`: an in-memory `CounterService` for the UI tests and the screenshots.
- `fake_journal`: a generated station journal and an in-memory `JournalApi`.
- `scanner_images`: webcam-like QR code images and videos.
"""

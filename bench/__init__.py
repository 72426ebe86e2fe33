"""Benchmarks: they print figures beside their targets and assert nothing.

Run each as a module from the repository root (`python -m bench.journal`), so that the
shared fakes and generated data import as `tests.support` (see tests/support/__init__.py).
"""

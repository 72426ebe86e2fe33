"""The test suite; a package so that `tests.support` imports the same way from the tests,
the benchmarks and the screenshot scripts (run from the repository root, see tests/support)."""

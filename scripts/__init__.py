"""Developer scripts. The Python ones run as modules from the repository root
(`python -m scripts.render_screens`), so that `tests.support` imports."""

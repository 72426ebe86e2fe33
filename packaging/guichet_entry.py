"""Entry script of the frozen client: the `guichet` console script, i.e. desktop.startup:main.

`--self-check` goes straight to desktop.selfcheck, before the application builds any
service or window: IT must get the table even on a PC where the GUI cannot start, and the
answer must not depend on desktop.app's wiring. desktop.app:main handles `--self-check`
the same way for the pip-installed console script.
"""

import sys


def _main() -> int:
    if "--self-check" in sys.argv[1:]:
        from desktop.selfcheck import main as self_check

        return self_check(sys.argv[1:])
    from desktop.startup import main

    result = main()
    return int(result) if result is not None else 0


if __name__ == "__main__":
    sys.exit(_main())

"""Entry script of the frozen client: the `guichet` console script, i.e. desktop.app:main.

`guichet --self-check` is handled by desktop.app:main itself. Until desktop/app.py exists
(it is being written), the self-check's own `main` stands in, so that the packaging can be
built and tested; the fallback only triggers when the module `desktop.app` is absent.
"""

import sys


def _main() -> int:
    try:
        from desktop.app import main
    except ModuleNotFoundError as error:
        if error.name != "desktop.app":
            raise
        from desktop.selfcheck import main
    result = main()
    return int(result) if result is not None else 0


if __name__ == "__main__":
    sys.exit(_main())

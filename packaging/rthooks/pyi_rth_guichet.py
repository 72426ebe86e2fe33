# PyInstaller run-time hook, run before the client's first import.
#
# pyzbar finds ZBar with ctypes.util.find_library("zbar"), which on Linux searches the PC's
# ldconfig cache, never the bundle. Point it at the bundled copy only: a bundle must not work
# by accident because the build machine (or this PC) happens to have libzbar0 installed, and
# must fail loudly (self-check names the file) when the bundled copy is missing.
import ctypes.util
import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))
_bundled = {"zbar": "libzbar.so.0"} if sys.platform.startswith("linux") else {}
_system_find_library = ctypes.util.find_library


def _find_library(name):
    if name in _bundled:
        path = os.path.join(_bundle, _bundled[name])
        return path if os.path.exists(path) else None
    return _system_find_library(name)


ctypes.util.find_library = _find_library

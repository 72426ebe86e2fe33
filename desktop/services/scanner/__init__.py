"""QR code scanning, Qt-free: frame sources (capture), decoding pipeline (decode), threads (worker).

On Windows the Media Foundation environment switch must be set before OpenCV is first
imported, hence here, ahead of the submodules (opencv/opencv#17687: without it some
webcams take seconds to minutes to open).
"""

import os
import sys

if sys.platform == "win32":
    os.environ.setdefault("OPENCV_VIDEOIO_MSMF_ENABLE_HW_TRANSFORMS", "0")

from desktop.services.scanner.capture import (
    CameraInfo,
    CameraSource,
    CaptureError,
    CaptureFailure,
    FileSource,
    FrameSource,
    list_cameras,
    open_source,
)
from desktop.services.scanner.decode import DecodedPayload, QrDecoder, load_pyzbar
from desktop.services.scanner.worker import Frame, ScanLoop

__all__ = [
    "CameraInfo",
    "CameraSource",
    "CaptureError",
    "CaptureFailure",
    "DecodedPayload",
    "FileSource",
    "Frame",
    "FrameSource",
    "QrDecoder",
    "ScanLoop",
    "list_cameras",
    "load_pyzbar",
    "open_source",
]

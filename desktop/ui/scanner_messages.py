"""What the scanner says when the camera fails: one French sentence per failure, saying
what to do."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.services.scanner import CaptureFailure


def failure_message(reason: CaptureFailure) -> str:
    """One French sentence per failure, saying what to do."""
    tr = QApplication.translate
    messages = {
        CaptureFailure.NO_CAMERA: tr(
            "ScannerWidget",
            "Aucune caméra détectée : branchez une webcam puis cliquez sur Réessayer.",
        ),
        CaptureFailure.CAMERA_BUSY: tr(
            "ScannerWidget",
            "La caméra est utilisée par une autre application : fermez-la puis cliquez "
            "sur Réessayer.",
        ),
        CaptureFailure.CAMERA_LOST: tr(
            "ScannerWidget",
            "La caméra a été débranchée ou ne répond plus : rebranchez-la puis cliquez "
            "sur Réessayer.",
        ),
        CaptureFailure.NOT_RESPONDING: tr(
            "ScannerWidget",
            "La caméra n'envoie aucune image : débranchez-la, rebranchez-la puis cliquez "
            "sur Réessayer.",
        ),
        CaptureFailure.FILE_MISSING: tr(
            "ScannerWidget",
            "Le fichier d'images est introuvable : vérifiez le chemin donné à --camera.",
        ),
        CaptureFailure.FILE_UNREADABLE: tr(
            "ScannerWidget",
            "Le fichier d'images est illisible : donnez à --camera une image, un dossier "
            "d'images ou une vidéo.",
        ),
    }
    return messages[reason]

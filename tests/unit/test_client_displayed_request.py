"""What the counter shows of a request: complete from the backend, partial from a QR code."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from desktop.services.ports import DisplayedRequest, LookupResult, LookupSource
from procuration.models import (
    Commune,
    Identity,
    LookupResponse,
    RequestQrPayload,
    RequestStatus,
    Scope,
)

IDENTITY = Identity(
    birth_name="DUPONT",
    usage_name=None,
    first_names="Marie",
    birth_date="1961-03-12",
    birth_place="Lyon",
    sex="F",
)
WIRE = LookupResponse(
    reference="7K3QZ9",
    status=RequestStatus.SUBMITTED,
    expires_at="2026-08-12T09:31:07Z",
    identity=IDENTITY,
    identity_digest=IDENTITY.compared().digest(),
    commune=Commune(insee="69383", name="Lyon"),
    scope=Scope(kind="period", start="2026-01-01", end="2026-12-31"),
)
QR = RequestQrPayload(
    reference="7K3QZ9",
    birth_name="DUPONT",
    first_names="Marie",
    birth_date="1961-03-12",
    commune="69383",
    iat="2026-06-01T09:31:07Z",
    exp="2026-08-01T09:31:07Z",
)


def test_the_backend_answer_is_kept_whole() -> None:
    shown = DisplayedRequest.from_lookup(WIRE)
    assert not shown.partial
    assert shown.status is RequestStatus.SUBMITTED
    assert shown.commune.name == "Lyon"
    assert shown.identity.birth_place == "Lyon"
    assert shown.scope == WIRE.scope


def test_a_qr_code_gives_the_compared_identity_and_nothing_more() -> None:
    shown = DisplayedRequest.from_qr(QR)
    assert shown.partial
    assert shown.identity.compared() == QR.compared_identity()
    assert shown.identity_digest == QR.compared_identity().digest()
    assert shown.commune.insee == "69383"
    unknown = (shown.status, shown.scope, shown.commune.name, shown.identity.birth_place)
    assert unknown == (None, None, None, None)
    # The same person, whichever way it was looked up: the signed digest matches.
    assert shown.identity_digest == DisplayedRequest.from_lookup(WIRE).identity_digest


def test_a_full_answer_with_a_hole_is_refused() -> None:
    data = DisplayedRequest.from_lookup(WIRE).model_dump()
    data["scope"] = None
    with pytest.raises(ValidationError, match="scope"):
        DisplayedRequest.model_validate(data)


def test_fields_are_validated_not_trusted() -> None:
    data = DisplayedRequest.from_qr(QR).model_dump()
    data["identity"]["birth_date"] = "12/03/1961"
    with pytest.raises(ValidationError):
        DisplayedRequest.model_validate(data)


def test_the_source_matches_the_completeness() -> None:
    with pytest.raises(ValueError, match="partial"):
        LookupResult(DisplayedRequest.from_qr(QR), LookupSource.ONLINE)
    with pytest.raises(ValueError, match="partial"):
        LookupResult(DisplayedRequest.from_lookup(WIRE), LookupSource.SIGNED_QR)

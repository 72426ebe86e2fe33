from __future__ import annotations

from backend_helpers import Client, World, create_request, login, payload, post_validation, sign

from backend.context import Backend
from backend.services import register


def test_lookup_validate_establish(client: Client, world: World, backend: Backend) -> None:
    reference = create_request(backend)
    headers = login(client, world)
    found = client.get(f"/v1/requests/{reference.lower()}", headers=headers)
    assert found.status_code == 200, found.text
    assert found.json()["identity"]["birth_name"] == "DUPONT-MOREAU"
    answer = post_validation(client, headers, sign(world, payload(world, reference)))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "transmitted"
    assert register.run_checks(backend) == 1
    again = client.get(f"/v1/requests/{reference}", headers=headers).json()
    assert again["status"] == "established"

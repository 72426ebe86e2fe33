"""The demo's identity provider, "FranceConnect — démonstration": oidc-provider-mock on
loopback with the demo voters (backend/demo/voters.py). Usage: python -m scripts.demo_idp PORT."""

import sys

import werkzeug.serving
from oidc_provider_mock import User, app

from backend.demo.voters import VOTERS, provider_claims


def main() -> None:
    port = int(sys.argv[1])
    provider = app(
        require_nonce=True,
        issue_refresh_token=False,
        user_claims=[
            User(sub=v["sub"], claims={k: x for k, x in provider_claims(v).items() if k != "sub"})
            for v in VOTERS
        ],
    )
    # The package turns Werkzeug's interactive debugger on: never on a listening socket.
    provider.debug = False
    provider.wsgi_app = provider.wsgi_app.app  # type: ignore[attr-defined]
    werkzeug.serving.run_simple("127.0.0.1", port, provider, threaded=True)


if __name__ == "__main__":
    main()

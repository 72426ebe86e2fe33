"""What the JSON-taking commands of `guichet-backend` tell an administrator: the expected
input (an example in `--help`) and, when the input is wrong, one `field: problem` line per
problem instead of pydantic's "9 validation errors"."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

REQUEST_EXAMPLE = """\
input: one JSON object, in a file or on stdin (--json -), for example:

  {"birth_name": "DUPONT-MOREAU", "usage_name": null, "first_names": "Élodie Marie",
   "birth_date": "1984-03-09", "birth_place": "Lyon 3e", "sex": "F",
   "email": "elodie@example.fr", "commune_insee": "75056",
   "scope": {"kind": "election", "election": "presidentielle-2027", "rounds": [1, 2]},
   "mandataire": {"birth_name": "N'DIAYE", "first_names": "Jean-Baptiste",
                  "birth_date": "1979-11-30", "commune_insee": "92050"}}

fields (all required, but usage_name may be null or left out):
  birth_name, usage_name, first_names, birth_place   civil status, as on the ID document
  birth_date                  YYYY-MM-DD
  sex                         "F" or "M"
  email                       where the reference and the QR code are sent
  commune_insee               the mandant's commune, INSEE code (e.g. 75056, 2A004)
  scope                       one of:
    {"kind": "election", "election": ID, "rounds": [1, 2]}
                              ID as `guichet-backend election list` prints it;
                              rounds [1], [2] or [1, 2]
    {"kind": "period", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}
                              from today on, less than one year long
  mandataire                  the proxy holder: birth_name, first_names, birth_date,
                              commune_insee (the commune where they vote)

prints the reference; the QR code image goes to DATA_DIR/qr/REFERENCE.png"""

# The scope is a union tagged by "kind": pydantic puts the tag in the error's location
# ("scope.period.end"), which is not a field the administrator can find in the input.
_SCOPE_TAGS = ("election", "period")

_PLAIN_MESSAGES = {
    "missing": "missing (required)",
    "extra_forbidden": "unknown field",
    "union_tag_invalid": 'unknown "kind": use "election" or "period"',
    "union_tag_not_found": 'missing "kind": "election" or "period"',
}


def _field(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location]
    if len(parts) > 2 and parts[0] == "scope" and parts[1] in _SCOPE_TAGS:
        del parts[1]
    return ".".join(parts) or "input"


# A regular expression says nothing to an administrator: say what the field must look like.
_PATTERN_MESSAGES = {
    "email": "not an e-mail address",
    "commune_insee": "not an INSEE code (5 digits, or 2A/2B and 3 digits, e.g. 75056)",
    "id": "lower-case letters, digits and - only, e.g. presidentielle-2027",
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error["type"])
    if kind == "string_pattern_mismatch" and error["loc"][-1] in _PATTERN_MESSAGES:
        return _PATTERN_MESSAGES[error["loc"][-1]]
    message = _PLAIN_MESSAGES.get(kind, str(error["msg"]))
    return message.removeprefix("Value error, ")


def problem_lines(exc: ValidationError) -> str:
    """One `field: problem` line per error, e.g. `scope.end: missing (required)`."""
    return "\n".join(
        f"{_field(error['loc'])}: {_message(dict(error))}"
        for error in exc.errors(include_url=False)
    )

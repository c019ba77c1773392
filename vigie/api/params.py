"""Reading the API's parameters (identifiers, text filters): a 400 naming the parameter, never a 500.

Primary keys are 64-bit (BigAutoField): a number outside 1 … 2**63 − 1 cannot name an object, and
passed to the database it raises an overflow error (SQLite) or an out-of-range error (PostgreSQL).
"""

from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

MAX_ID = 2**63 - 1
# The schema of an identifier: what `parse_id` accepts, so that the schema promises no 400 to a valid client.
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


def id_parameter(name: str, description: str, location: str = OpenApiParameter.QUERY):
    """The OpenAPI description of an identifier given as parameter `name` (query string by default)."""
    return OpenApiParameter(name, ID_SCHEMA, location, description=description)


def parse_id(raw, name: str) -> int:
    """The identifier `raw` given as parameter `name`, or a French 400 that names the parameter."""
    text = str(raw).strip()
    if not text.isascii() or not text.lstrip("+-").isdigit():
        raise exceptions.ValidationError(
            {name: [f"Le paramètre « {name} » doit être un identifiant entier (par exemple 12)."]}
        )
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise exceptions.ValidationError(
            {
                name: [
                    f"Le paramètre « {name} » est hors limites : un identifiant va de 1 à {MAX_ID}."
                ]
            }
        )
    return value


def id_param(request, name: str) -> int | None:
    """An optional identifier filter of the query string (absent or empty: None)."""
    raw = request.query_params.get(name)
    if raw is None or raw.strip() == "":
        return None
    return parse_id(raw, name)


def text_param(request, name: str) -> str:
    """An optional text filter of the query string, stripped ("" when absent).

    A NUL character is a French 400: PostgreSQL text cannot hold one, and the query would fail (500).
    """
    raw = request.query_params.get(name, "").strip()
    if "\x00" in raw:
        raise exceptions.ValidationError(
            {name: [f"Le paramètre « {name} » contient un caractère nul."]}
        )
    return raw

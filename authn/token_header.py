"""The unverified header of a bearer JWT: which algorithm and key a token claims, read before
its signature is checked to pick the key, never trusted for anything else."""

import jwt

from errors.catalog import ErrorSpec
from errors.exceptions import ApiError


def token_header(token: str, *, malformed: ErrorSpec) -> dict:
    """The header of `token`; `malformed`, the API's own error, when it is no JWT."""
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise ApiError(malformed) from None

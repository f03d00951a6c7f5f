"""Scope checks for Geog views."""

from rest_framework.permissions import BasePermission

from accounts.principal import GeogPrincipal
from errors import catalog
from errors.exceptions import ApiError


def geog_principal(request) -> GeogPrincipal:
    """The Geog token holder of the request; AUTH_REQUIRED for any other caller."""
    if not isinstance(request.user, GeogPrincipal):
        raise ApiError(catalog.AUTH_REQUIRED)
    return request.user


def scope_required(*scopes: str, long_lived: bool = False) -> type[BasePermission]:
    """A permission class that lets through only principals holding one of `scopes`.

    A refusal names the first scope. With `long_lived`, a short-lived (exchanged) token never
    holds them, whatever its claim says.
    """

    class ScopeRequired(BasePermission):
        raises = (catalog.AUTH_REQUIRED, catalog.GEOG_INSUFFICIENT_SCOPE)

        def has_permission(self, request, view) -> bool:
            user = geog_principal(request)
            held = any(user.has_scope(scope) for scope in scopes)
            if not held or (long_lived and user.is_short_lived):
                raise ApiError(catalog.GEOG_INSUFFICIENT_SCOPE, scope=scopes[0])
            return True

    ScopeRequired.__name__ = f"ScopeRequired[{'|'.join(scopes)}]"
    return ScopeRequired


# Exchanged tokens lack this implicit scope: only long-lived tokens may exchange.
EXCHANGE_SCOPE = "token:exchange"


class LongLivedTokenRequired(BasePermission):
    """Only long-lived tokens may be exchanged; a short-lived one gets INSUFFICIENT_SCOPE."""

    raises = (catalog.AUTH_REQUIRED, catalog.GEOG_INSUFFICIENT_SCOPE)

    def has_permission(self, request, view) -> bool:
        if geog_principal(request).is_short_lived:
            raise ApiError(catalog.GEOG_INSUFFICIENT_SCOPE, scope=EXCHANGE_SCOPE)
        return True

"""Every LatentGEO route answers with and without a trailing slash, for every method.

The LatentGEO web app calls some routes with a trailing slash (`POST /api/v1/audits/`) and
others without; a redirect would lose a POST body and costs a round trip. So each route of
the namespace gets an alias with the slash toggled, placed right after it (the order of
resolution does not change), pointing at the same view with the same arguments. It is done
once, where the namespace's patterns are assembled, so routes added there later get their
alias too. The aliases have no name (`reverse()` keeps the canonical form) and stay out of
the OpenAPI schema (`schema_aliases_drop`).
"""

from django.urls import URLPattern, URLResolver
from django.urls.resolvers import RegexPattern, RoutePattern


def trailing_slash_optional(patterns: list) -> list:
    """`patterns` with, after each endpoint, an alias of it with its trailing slash toggled."""
    answered: list = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            answered.append(
                URLResolver(
                    pattern.pattern,
                    trailing_slash_optional(pattern.url_patterns),
                    pattern.default_kwargs,
                    pattern.app_name,
                    pattern.namespace,
                )
            )
            continue
        answered.append(pattern)
        alias = _alias_pattern(pattern.pattern)
        if alias is not None:
            answered.append(URLPattern(alias, pattern.callback, pattern.default_args, None))
    return answered


def _alias_pattern(pattern) -> RoutePattern | RegexPattern | None:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        if not text:
            return None
        toggled = text.removesuffix("/") if text.endswith("/") else f"{text}/"
        return RoutePattern(toggled, is_endpoint=True)
    if isinstance(pattern, RegexPattern) and text.endswith("$") and not text.endswith("/?$"):
        stem = text.removesuffix("$")
        toggled = f"{stem.removesuffix('/')}$" if stem.endswith("/") else f"{stem}/$"
        return RegexPattern(toggled, is_endpoint=True)
    return None


def schema_aliases_drop(endpoints: list, **kwargs) -> list:
    """drf-spectacular preprocessing hook: document each route once, in its canonical form."""
    canonical = {(path, method) for path, _regex, method, _view in endpoints}
    return [
        (path, regex, method, view)
        for path, regex, method, view in endpoints
        if not _is_alias(path, method, canonical)
    ]


def _is_alias(path: str, method: str, canonical: set) -> bool:
    if path.endswith("/"):
        return (path.removesuffix("/"), method) in canonical
    return False

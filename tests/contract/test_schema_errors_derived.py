"""Every error an operation's code can raise has its status documented in the schema.

The code is read, not run: starting from the view's authentication, permission and throttle
classes and its handler, every `catalog.X` it names (directly, through a module-level table,
or in a project function it calls) counts as raisable.
"""

import ast
import inspect
import textwrap
from types import FunctionType

import pytest
from drf_spectacular.generators import SchemaGenerator

from errors import catalog
from errors.catalog import ErrorSpec

PROJECT_PACKAGES = {
    "accounts",
    "authn",
    "connections",
    "errors",
    "places",
    "rate_limits",
    "reports",
    "tiles",
}
SPEC_NAMES = {
    id(value): name for name, value in vars(catalog).items() if isinstance(value, ErrorSpec)
}


def _project_function(value) -> bool:
    return (
        isinstance(value, FunctionType)
        and value.__module__.split(".")[0] in PROJECT_PACKAGES
        and not value.__module__.startswith("errors.schema")
    )


def _specs_in(value) -> set[str]:
    values = value.values() if isinstance(value, dict) else value
    if not isinstance(values, (list, tuple, set, frozenset, type({}.values()))):
        return set()
    return {SPEC_NAMES[id(item)] for item in values if id(item) in SPEC_NAMES}


def raisable(code_object, namespace: dict, seen: set) -> set[str]:
    """Names of the catalog specs that `code_object` can raise, following project calls."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(code_object)))
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "catalog"
        ):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in namespace:
            value = namespace[node.id]
            names |= _specs_in(value)
            if _project_function(value) and value not in seen:
                seen.add(value)
                names |= raisable(value, value.__globals__, seen)
    return names


def _class_raisable(cls) -> set[str]:
    namespace = vars(inspect.getmodule(cls))
    return raisable(cls, namespace, set())


def _endpoints():
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    return [
        (path, method.lower(), type(view))
        for path, _regex, method, view in generator._get_paths_and_endpoints()
        if path.startswith(("/v1/", "/api/v1/"))
    ]


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/?format=json").json()


@pytest.mark.parametrize(("path", "method", "view_class"), _endpoints())
def test_every_raisable_error_status_is_documented(schema, path, method, view_class):
    operation = schema["paths"].get(path, {}).get(method)
    if operation is None:
        pytest.skip("excluded from the schema")
    documented = {int(status) for status in operation["responses"]}
    classes = [
        *view_class.authentication_classes,
        *view_class.permission_classes,
        *view_class.throttle_classes,
    ]
    applying = [
        cls for cls in classes if method.upper() in getattr(cls, "methods", (method.upper(),))
    ]
    raised = set().union(*(_class_raisable(cls) for cls in applying)) if applying else set()
    handler = getattr(view_class, method)
    raised |= raisable(handler, handler.__globals__, set())
    missing = sorted(name for name in raised if getattr(catalog, name).status not in documented)
    assert not missing, f"{method.upper()} {path} can raise {missing} but documents {documented}"


@pytest.mark.parametrize(("path", "method", "view_class"), _endpoints())
def test_classes_declare_what_they_raise(path, method, view_class):
    for cls in [
        *view_class.authentication_classes,
        *view_class.permission_classes,
        *view_class.throttle_classes,
    ]:
        declared = {SPEC_NAMES[id(spec)] for spec in getattr(cls, "raises", ())}
        undeclared = _class_raisable(cls) - declared
        assert not undeclared, f"{cls.__name__} raises {sorted(undeclared)} without declaring them"

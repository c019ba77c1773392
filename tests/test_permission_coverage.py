"""Every named URL of the project appears in some permission matrix (tests/<app>/test_permissions.py, or
tests/<app>/test_permissions_<part>.py for an app whose matrix is split by part)."""

import importlib
import pkgutil

from django.urls import URLPattern, URLResolver, get_resolver

import tests

# Framework pages, not ours: the Django admin has its own staff-only permission system.
IGNORED_NAMESPACES = {"admin"}


def _named_urls(resolver, namespace=""):
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in IGNORED_NAMESPACES:
                continue
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            names |= _named_urls(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def _covered_names():
    covered = set()
    for module_info in pkgutil.walk_packages(tests.__path__, prefix="tests."):
        # test_permissions.py, or test_permissions_<part>.py for an app whose pages come in parts.
        if module_info.name.rsplit(".", 1)[-1].startswith("test_permissions"):
            module = importlib.import_module(module_info.name)
            covered |= set(getattr(module, "URL_NAMES_COVERED", ()))
    return covered


def test_every_named_url_is_in_a_permission_matrix():
    missing = sorted(_named_urls(get_resolver()) - _covered_names())
    assert not missing, f"URLs missing from every permission matrix: {missing}"

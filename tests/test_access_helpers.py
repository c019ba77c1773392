"""Every app's access.py has the shape of vigie/plans/access.py.

One `get_<kind>_for_user(user, pk_or_code, *, for_…=…)` per kind, flags keyword-only and named
`for_…`, and a docstring saying when it is a 404 and when a 403 (the module's or the function's).
"""

import importlib
import inspect
from pathlib import Path

import pytest

VIGIE = Path(__file__).resolve().parents[1] / "vigie"
MODULES = sorted(f"vigie.{path.parent.name}.access" for path in VIGIE.glob("*/access.py"))


@pytest.mark.parametrize("name", MODULES)
def test_access_helpers_share_one_shape(name):
    module = importlib.import_module(name)
    assert "404" in (module.__doc__ or "") and "403" in (module.__doc__ or ""), name
    helpers = {
        attr: fn
        for attr, fn in vars(module).items()
        if inspect.isfunction(fn) and fn.__module__ == name and attr.startswith("get_")
    }
    assert helpers, name
    for attr, fn in helpers.items():
        assert attr.endswith("_for_user") or attr == "get_action_for_delete", f"{name}.{attr}"
        parameters = list(inspect.signature(fn).parameters.values())
        assert [p.name for p in parameters[:2]] in (["user", "pk"], ["user", "code"]), attr
        for parameter in parameters[:2]:
            assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, attr
        for parameter in parameters[2:]:
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}.{attr}"
            if parameter.annotation is bool or parameter.annotation == "bool":
                assert parameter.name.startswith("for_"), f"{name}.{attr}({parameter.name})"
    public = [attr for attr in vars(module) if not attr.startswith("_")]
    assert "check_department" not in public and "get_department_for_import" not in public

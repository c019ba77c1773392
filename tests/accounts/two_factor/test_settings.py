"""VIGIE_TWO_FACTOR_REQUIRED: on by default in production, off by default in development, strictly parsed."""

import json
import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import importlib, json, os, sys
from django.core.exceptions import ImproperlyConfigured
results = {}
for module, value in json.loads(sys.argv[1]):
    if value is None:
        os.environ.pop("VIGIE_TWO_FACTOR_REQUIRED", None)
    else:
        os.environ["VIGIE_TWO_FACTOR_REQUIRED"] = value
    try:
        importlib.reload(importlib.import_module("config.settings.base"))
        loaded = importlib.reload(importlib.import_module(module))
        results[f"{module}={value}"] = loaded.VIGIE_TWO_FACTOR_REQUIRED
    except ImproperlyConfigured as error:
        results[f"{module}={value}"] = str(error)
print(json.dumps(results))
"""


def test_the_setting_comes_from_the_environment():
    cases = [
        ["config.settings.prod", None],
        ["config.settings.prod", "false"],
        ["config.settings.prod", "peut-être"],
        ["config.settings.dev", None],
        ["config.settings.dev", "true"],
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "VIGIE_", "DATABASE_URL"))
    }
    env["DJANGO_SECRET_KEY"] = "cle-de-test-des-reglages-0123456789-abcdefghijklmnop"
    output = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(cases)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    results = json.loads(output)
    assert results["config.settings.prod=None"] is True
    assert results["config.settings.prod=false"] is False
    assert (
        "VIGIE_TWO_FACTOR_REQUIRED must be a boolean" in results["config.settings.prod=peut-être"]
    )
    assert results["config.settings.dev=None"] is False
    assert results["config.settings.dev=true"] is True


def test_the_suite_runs_with_the_rule_off_unless_a_test_turns_it_on():
    from config.settings import test

    assert test.VIGIE_TWO_FACTOR_REQUIRED is False

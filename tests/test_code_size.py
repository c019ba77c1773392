"""scripts/check_code_size.py: the size rule of docs/conventions.md, as `make lint` runs it."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_code_size.py"


@pytest.fixture(scope="module")
def size():
    spec = importlib.util.spec_from_file_location("check_code_size", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def function(name, lines, *, above=""):
    body = "".join(f"    x{i} = {i}\n" for i in range(lines - 1))
    return f"{above}def {name}():\n{body}"


def write(tmp_path, text, name="module.py"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_function_of_80_lines_passes_and_81_fails(size, tmp_path):
    path = write(tmp_path, function("short", 80) + "\n\n" + function("long", 81))
    problems = size.check([tmp_path])
    assert len(problems) == 1
    assert "long is 81 lines" in problems[0]
    assert size.check([path]) == problems  # a file given by name is checked too


def test_a_long_method_and_a_nested_function_are_named(size, tmp_path):
    method = "class Thing:\n" + "".join(
        "    " + line + "\n" for line in function("run", 81).splitlines()
    )
    write(tmp_path, method)
    assert "Thing.run is 81 lines" in size.check([tmp_path])[0]


def test_the_marker_above_the_def_or_above_its_decorators_allows_a_long_function(size, tmp_path):
    marked = function("long", 90, above="# long-function: one table, read top to bottom\n")
    decorated = function(
        "decorated", 90, above="# long-function: a state machine\n@staticmethod\n@property\n"
    )
    write(tmp_path, marked + "\n\n" + decorated)
    assert size.check([tmp_path]) == []


def test_a_marker_without_reason_or_not_directly_above_does_not_count(size, tmp_path):
    no_reason = function("a", 90, above="# long-function:\n")
    apart = function("b", 90, above="# long-function: reason\n\n")
    between = function("c", 90, above="@staticmethod\n# long-function: reason\n@property\n")
    write(tmp_path, no_reason + "\n\n" + apart + "\n\n" + between)
    assert len(size.check([tmp_path])) == 3


def test_a_file_over_800_lines_fails_except_in_migrations(size, tmp_path):
    long_text = "".join(f"x{i} = {i}\n" for i in range(801))
    write(tmp_path, "".join(f"x{i} = {i}\n" for i in range(800)), "ok.py")
    write(tmp_path, long_text, "app/migrations/0001_initial.py")
    assert size.check([tmp_path]) == []
    write(tmp_path, long_text, "app/big.py")
    problems = size.check([tmp_path])
    assert problems == [f"{tmp_path / 'app' / 'big.py'}: 801 lines (max 800)"]

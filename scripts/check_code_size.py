"""Fail when a module of vigie/ is too long, or a function too long without a stated reason.

- A file (migrations excluded) may have at most MAX_FILE_LINES lines.
- A function or method may have at most MAX_FUNCTION_LINES lines, from its ``def`` to its last
  line, unless a comment line starting with ``# long-function:`` and giving the reason stands
  directly above its ``def`` (above its decorators, if any).

Usage: ``python scripts/check_code_size.py [directory or file ...]`` (default: ``vigie``). Run by
``make lint``; see docs/conventions.md.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MAX_FILE_LINES = 800
MAX_FUNCTION_LINES = 80
MARKER = "# long-function:"


def _has_marker(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    if first < 2:
        return False
    above = lines[first - 2].strip()
    return above.startswith(MARKER) and bool(above[len(MARKER) :].strip())


def _functions(tree: ast.AST, prefix: str = ""):
    """(qualified name, node) of every function and method, nested ones included."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{node.name}"
            yield name, node
            yield from _functions(node, f"{name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node, f"{prefix}{node.name}.")
        else:
            yield from _functions(node, prefix)


def check_file(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems = []
    if len(lines) > MAX_FILE_LINES:
        problems.append(f"{path}: {len(lines)} lines (max {MAX_FILE_LINES})")
    for name, node in _functions(ast.parse(text, filename=str(path))):
        length = node.end_lineno - node.lineno + 1
        if length > MAX_FUNCTION_LINES and not _has_marker(lines, node):
            problems.append(
                f"{path}:{node.lineno}: {name} is {length} lines (max {MAX_FUNCTION_LINES}; "
                f"split it, or state why above its def in a '{MARKER}' comment)"
            )
    return problems


def check(roots: list[Path]) -> list[str]:
    problems = []
    for root in roots:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            if "migrations" not in path.parts:
                problems.extend(check_file(path))
    return problems


def main(argv: list[str]) -> int:
    problems = check([Path(arg) for arg in argv] or [Path("vigie")])
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) of code size.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

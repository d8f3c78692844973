"""Views only parse, call and render: no function of a views module runs past 40 lines."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 40


def test_no_view_function_is_longer_than_forty_lines():
    modules = sorted(ROOT.glob("*/views/*.py"))
    assert len(modules) > 10
    long = []
    for module in modules:
        for node in ast.parse(module.read_text()).body:
            if isinstance(node, ast.FunctionDef):
                start = min([d.lineno for d in node.decorator_list] + [node.lineno])
                if node.end_lineno - start + 1 > LIMIT:
                    long.append(f"{module.relative_to(ROOT)}::{node.name}")
    assert long == []

"""docs/architecture.md names files and functions: each must exist, so the map stays true."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text()


def test_every_path_the_architecture_page_names_exists():
    paths = set(
        re.findall(r"`((?:assessments|cadres|kaohe|templates|tests|docs)/[\w/.\-]*\w/?)", DOC)
    )
    assert paths, "the page names no file"
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == []


def test_every_function_the_architecture_page_names_is_defined_there():
    named = re.findall(r"`((?:assessments|cadres|kaohe)/[\w/]+\.py)::(\w+)", DOC)
    assert len(named) > 20
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not re.search(rf"^\s*(def|class) {name}\b", (ROOT / path).read_text(), re.M)
    ]
    assert missing == []

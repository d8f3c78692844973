"""The Chinese catalog is complete and the committed ``.mo`` is compiled from the ``.po``."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture
def compiled(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext's msgfmt is not installed")
    out = tmp_path / "django.mo"
    run = subprocess.run(  # noqa: S603 (a fixed command on the project's own file)
        [msgfmt, "--check", "--statistics", "-o", str(out), str(CATALOG / "django.po")],
        capture_output=True,
        text=True,
        check=False,
    )
    return run, out


def test_every_message_has_a_checked_chinese_translation(compiled):
    run, _ = compiled
    assert run.returncode == 0, run.stderr
    assert "fuzzy" not in run.stderr, run.stderr
    assert "untranslated" not in run.stderr, run.stderr


def test_the_committed_mo_file_is_the_compiled_po_file(compiled):
    _, out = compiled
    with open(out, "rb") as fresh, open(CATALOG / "django.mo", "rb") as committed:
        expected = gettext.GNUTranslations(fresh)._catalog
        actual = gettext.GNUTranslations(committed)._catalog
    assert actual == expected, "run `make messages` and commit locale/"

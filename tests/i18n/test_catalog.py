"""Every user-facing string of the project has a Korean translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "*.mo")


def test_the_korean_catalog_translates_every_string_in_code_and_templates(
    tmp_path: Path,
) -> None:
    # Extract from a copy, so the test never rewrites the catalog in the working tree.
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=IGNORED)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ko",
            "--ignore",
            "tests/*",
            "--ignore",
            "benchmarks/*",
            "--no-obsolete",
        ],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_READ_DOT_ENV_FILE": "false"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    catalog = polib.pofile(str(copy / "locale/ko/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []

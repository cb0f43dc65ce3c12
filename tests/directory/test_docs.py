"""The README documents every environment variable the directory reads."""

from pathlib import Path

import pytest

from services_directory.settings import SETTINGS, Setting

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_readme_documents_the_setting(setting: Setting) -> None:
    assert setting.env in README.read_text(encoding="utf-8"), (
        f"{setting.env} is missing from README.md"
    )

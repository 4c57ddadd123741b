"""`flask export DIR [--revisions]` on the command line: a round trip through a database that only ran
`flask init` (the reference organisations) gives the same bytes; errors are clear."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.conftest import fresh_app
from tests.conftest import CONTENT

DEMO = len(list((CONTENT / "pilots").glob("*.md")))  # the demo entries: pilots, best practices and challenges


def files(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run(runner, *args: str):
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow  # two databases migrated from scratch: about 5 s
def test_export_then_import_into_a_new_database_gives_the_same_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    with fresh_app(f"sqlite:///{tmp_path / 'one.db'}", tmp_path / "data-one") as app:
        runner = app.test_cli_runner()
        run(runner, "init")
        run(runner, "import-content", str(CONTENT / "pilots"))
        output = run(runner, "export", str(a), "--revisions")
        assert re.search(rf"{DEMO} pilots, {DEMO} revisies, 0 organisaties", output), output
    assert len(list((a / "revisions").rglob("0001.md"))) == DEMO
    with fresh_app(f"sqlite:///{tmp_path / 'two.db'}", tmp_path / "data-two") as app:
        runner = app.test_cli_runner()
        run(runner, "init")
        assert f"Pilots: {DEMO} nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 met fouten." in run(
            runner, "import-content", str(a)
        )
        run(runner, "export", str(b))
    pilots_a = {k: v for k, v in files(a).items() if k.startswith("pilots/")}
    assert pilots_a == files(b) and len(pilots_a) == DEMO


def test_export_into_a_file_is_a_clear_error(runner, tmp_path):
    target = tmp_path / "bestand"
    target.write_text("geen map")
    result = runner.invoke(args=["export", str(target)])
    assert result.exit_code != 0 and "bestand" in result.output

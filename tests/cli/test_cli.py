"""The command line: init, import-content, create-user, demo-accounts. Idempotent, clear errors, exit codes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from pilotstarter_web.demo_cli import DEMO_ACCOUNTS, DEMO_PASSWORD
from pilotstarter_web.extensions import db
from pilotstarter_web.markdown import WIKI_LINK_RE
from pilotstarter_web.models import Organisation, Pilot, Revision, User
from pilotstarter_web.services.accounts import user_by_email
from pilotstarter_web.services.pilot_queries import resolve_wiki_titles
from tests.cli.conftest import fresh_app, head_revision
from tests.conftest import CONTENT, REFERENCE_CODES

GOOD = """---
title: Slimme afvalcontainers
summary: Containers melden zelf wanneer ze vol zijn.
organisation: GM0344
partners: [GM0599]
themes: [openbare-ruimte]
status: lopend
---
## Aanleiding

Te vaak rijden we langs halflege containers.
"""

# The demo content links to two pages nobody has written yet, to show red links in the wiki.
DELIBERATELY_MISSING = {
    ("eherkenning-verenigingen-stichtingen", "Landelijke bouwsteen voor digitale handtekeningen"),
    ("openbaar-algoritmeregister-regio-nijmegen", "Landelijke bouwsteen voor algoritme-impactassessments"),
}


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(content, encoding="utf-8")
    return path


def pilot_count() -> int:
    return db.session.scalar(select(func.count(Pilot.id)))


def test_init_creates_the_database_and_is_idempotent(tmp_path):
    with fresh_app(f"sqlite:///{tmp_path / 'new.db'}", tmp_path / "data") as app:
        runner = app.test_cli_runner()
        first = runner.invoke(args=["init"])
        assert first.exit_code == 0, first.output
        created = int(re.search(r"Organisaties: (\d+) nieuw, 0 gewijzigd", first.output).group(1))
        assert created == db.session.scalar(select(func.count(Organisation.id))) > 700
        assert user_by_email("nobody@example.nl") is None  # the users table exists
        assert db.session.scalar(text("select version_num from alembic_version")) == head_revision()
        db.session.rollback()  # end this read: SQLite would make the next migration wait for it

        second = runner.invoke(args=["init"])
        assert second.exit_code == 0, second.output
        assert "Organisaties: 0 nieuw, 0 gewijzigd" in second.output
        assert db.session.scalar(select(func.count(Organisation.id))) == created
        assert pilot_count() == 0  # init loads no demo pilots


def test_import_content_imports_good_files_and_names_the_bad_ones(runner, tmp_path):
    write(tmp_path, "slimme-afvalcontainers.md", GOOD)
    write(tmp_path, "kapotte-front-matter.md", "---\ntitle: Kapot\nthemes: [data\n---\nTekst\n")
    write(tmp_path, "onbekende-organisatie.md", GOOD.replace("organisation: GM0344", "organisation: Atlantis"))
    write(tmp_path, "zonder-titel.md", GOOD.replace("title: Slimme afvalcontainers\n", ""))

    result = runner.invoke(args=["import-content", str(tmp_path)])

    assert result.exit_code == 1
    assert "Pilots: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd, 3 met fouten." in result.stdout
    errors = result.stderr
    assert f"FOUT {tmp_path / 'kapotte-front-matter.md'}:" in errors
    assert re.search(r"kapotte-front-matter\.md:[34]: ongeldige YAML", errors)
    assert f"{tmp_path / 'onbekende-organisatie.md'}:4: onbekende organisatie 'Atlantis'" in errors
    assert f"{tmp_path / 'zonder-titel.md'}:1: verplicht veld 'title' ontbreekt" in errors
    assert "slimme-afvalcontainers" not in errors
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "slimme-afvalcontainers"))
    assert pilot.title == "Slimme afvalcontainers" and pilot.owner.code == "GM0344" and pilot.status == "lopend"
    assert pilot_count() == 1


def test_import_content_twice_does_not_duplicate(runner, tmp_path):
    write(tmp_path, "slimme-afvalcontainers.md", GOOD)
    assert runner.invoke(args=["import-content", str(tmp_path)]).exit_code == 0
    again = runner.invoke(args=["import-content", str(tmp_path)])
    assert again.exit_code == 0
    assert "Pilots: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd, 0 met fouten." in again.output
    assert pilot_count() == 1
    assert db.session.scalar(select(func.count(Revision.id))) == 1


def test_import_content_needs_an_existing_directory(runner, tmp_path):
    result = runner.invoke(args=["import-content", str(tmp_path / "bestaat-niet")])
    assert result.exit_code != 0
    assert "bestaat-niet" in result.output
    assert pilot_count() == 0


def test_create_user_with_password_from_stdin_makes_an_admin_who_can_log_in(runner, client, auth):
    result = runner.invoke(
        args=["create-user", "--email", "Beheer@Example.nl", "--name", "Eerste Beheerder", "--organisation", "vng",
              "--role", "admin", "--password-stdin"],
        input="een-lang-geheim-wachtwoord\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Account Beheer@Example.nl (admin, Vereniging van Nederlandse Gemeenten) is aangemaakt." in result.output
    user = user_by_email("beheer@example.nl")
    assert user.role == "admin" and user.verified and user.organisation.code == "vng"
    assert auth.login("beheer@example.nl", "een-lang-geheim-wachtwoord").status_code == 302
    assert client.get("/admin/accounts").status_code == 200


@pytest.mark.parametrize(
    "args,password,message",
    [
        (["--role", "superuser"], "een-lang-geheim-wachtwoord", "Invalid value for '--role'"),
        (["--organisation", "Atlantis"], "een-lang-geheim-wachtwoord", "Onbekende organisatie: Atlantis"),
        ([], "kort", "Kies een wachtwoord van minstens 10 tekens."),
        ([], "", "Kies een wachtwoord van minstens 10 tekens."),
    ],
    ids=["bad-role", "unknown-organisation", "weak-password", "no-password"],
)
def test_create_user_refuses_bad_input_with_a_clear_error(runner, args, password, message):
    base = {"--email": "x@example.nl", "--name": "X", "--organisation": "GM0344", "--role": "member"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    argv = ["create-user", *[part for pair in base.items() for part in pair], "--password-stdin"]
    result = runner.invoke(args=argv, input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_refuses_an_existing_email(runner):
    argv = ["create-user", "--email", "x@example.nl", "--name", "X", "--organisation", "GM0344", "--password-stdin"]
    assert runner.invoke(args=argv, input="een-lang-geheim-wachtwoord\n").exit_code == 0
    again = runner.invoke(args=argv, input="nog-een-lang-wachtwoord\n")
    assert again.exit_code == 1
    assert "Er bestaat al een account met dit e-mailadres." in again.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_demo_accounts_are_created_once_and_printed(runner, auth):
    first = runner.invoke(args=["demo-accounts"])
    assert first.exit_code == 0, first.output
    assert DEMO_PASSWORD in first.output
    for email, _name, _code, role in DEMO_ACCOUNTS:
        assert re.search(rf"{re.escape(email)}\s+{role}\b", first.output)
    second = runner.invoke(args=["demo-accounts"])
    assert second.exit_code == 0 and second.output == first.output
    assert db.session.scalar(select(func.count(User.id))) == len(DEMO_ACCOUNTS)
    assert auth.login("rotterdam@pilotstarter.example", DEMO_PASSWORD).status_code == 302


def test_the_demo_content_imports_completely(runner, client):
    result = runner.invoke(args=["import-content", str(CONTENT / "pilots")])
    assert result.exit_code == 0, result.output
    pilots = db.session.scalars(select(Pilot)).all()
    assert len(pilots) >= 40
    assert len(pilots) == len(list((CONTENT / "pilots").glob("*.md")))
    assert all(p.owner.code in REFERENCE_CODES for p in pilots)

    missing = set()
    for pilot in pilots:
        for match in re.finditer(WIKI_LINK_RE, pilot.current_revision.body):
            if not resolve_wiki_titles([match.group(1).strip()]):
                missing.add((pilot.slug, match.group(1).strip()))
    assert missing == DELIBERATELY_MISSING
    # ... and the page shows exactly those as links to a page still to write.
    for slug, title in DELIBERATELY_MISSING:
        html = client.get(f"/pilots/{slug}").get_data(as_text=True)
        assert html.count("wikilink--missing") == 1 and title in html

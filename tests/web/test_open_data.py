"""Open data: /export/pilots.csv and /export/pilots.json hold the public fields of exactly the pilots the
pilot list shows with the same filters, safe for spreadsheets, streamed; /open-data explains them."""

from __future__ import annotations

import csv
import gc
import io
import re
from datetime import date

import pytest

from pilotstarter_web.extensions import db
from pilotstarter_web.models import Pilot
from pilotstarter_web.services import open_data
from pilotstarter_web.services.adoptions import AdoptionInput, declare
from pilotstarter_web.services.matchmaking.duplicates import mark_duplicate, merge_duplicate
from pilotstarter_web.services.pilot_queries import PilotFilters
from pilotstarter_web.services.pilots import delete_pilot
from pilotstarter_web.services.portfolio import create_meeting
from pilotstarter_web.services.scaleup import decide, flag, schedule
from tests.factories import make_pilot, make_user


def csv_rows(response) -> list[dict[str, str]]:
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_a_bom_a_header_and_neutralised_formula_cells(client):
    make_pilot(title='=HYPERLINK("http://evil")', summary="+31 20 1234567 is het nummer")
    make_pilot(title="@SUM(1)", summary="-1 is geen samenvatting")
    response = client.get("/export/pilots.csv")
    assert response.status_code == 200 and response.content_type == "text/csv; charset=utf-8"
    assert response.get_data().decode("utf-8-sig").startswith(",".join(open_data.CSV_COLUMNS) + "\r\n")
    rows = {row["slug"]: row for row in csv_rows(response)}
    assert rows["hyperlink-http-evil"]["title"] == '\'=HYPERLINK("http://evil")'
    assert rows["hyperlink-http-evil"]["summary"] == "'+31 20 1234567 is het nummer"
    assert rows["sum-1"]["title"] == "'@SUM(1)" and rows["sum-1"]["summary"] == "'-1 is geen samenvatting"
    for row in rows.values():  # no cell at all starts a formula
        assert not any(value[:1] in ("=", "+", "-", "@", "\t", "\r") for value in row.values())


def test_csv_joins_lists_and_names_the_participants_the_page_shows(client):
    pilot = make_pilot(title="Samen parkeren", themes=["mobiliteit", "data"], partners=["GM0363", "datalab-noord"])
    row = csv_rows(client.get("/export/pilots.csv"))[0]
    assert row["slug"] == pilot.slug and row["url"] == f"http://localhost/pilots/{pilot.slug}"
    assert row["themes"] == "data; mobiliteit" and row["owner_code"] == "GM0344" and row["owner_name"] == "Utrecht"
    assert row["participant_codes"] == "GM0344; GM0363; datalab-noord"
    assert row["participant_roles"] == "initiator; partner; supplier"
    assert row["revision"] == "1" and row["scale_up_state"] == "geen" and row["decision"] == ""


def test_download_headers_name_the_day_and_allow_caching(client):
    make_pilot()
    response = client.get("/export/pilots.json")
    today = date.today().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="pilotstarter-pilots-{today}.json"'
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    assert client.get("/export/pilots.json", headers={"If-None-Match": etag}).status_code == 304
    make_pilot()  # any change gives a new ETag
    assert client.get("/export/pilots.json", headers={"If-None-Match": etag}).status_code == 200
    other = client.get("/export/pilots.json?theme=zorg").headers["ETag"]
    assert other != client.get("/export/pilots.json").headers["ETag"]  # each filter is its own download


def test_json_has_the_documented_shape_and_types(client):
    author = make_user(name="Jan Geheim", email="jan.geheim@example.nl")
    make_pilot(author=author, title="Slimme lantaarnpalen", status="lopend", partners=["GM0363"])
    body = client.get("/export/pilots.json").json
    assert set(body) == {"generated_at", "license", "count", "items"}
    assert body["license"] == open_data.LICENSE and body["count"] == len(body["items"]) == 1
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["generated_at"])
    item = body["items"][0]
    assert set(item) == {
        "slug", "url", "type", "title", "summary", "status", "themes", "tags", "owner", "participants", "created_at",
        "updated_at", "revision", "scale_up", "adoptions",
    }  # fmt: skip
    assert item["adoptions"] == []  # not adoptable before a decision to scale up
    assert item["type"] == "pilot" and csv_rows(client.get("/export/pilots.csv"))[0]["type"] == "pilot"
    assert item["revision"] == 1 and item["themes"] == ["data"] and item["tags"] == []
    assert item["owner"] == {"code": "GM0344", "name": "Utrecht"}
    assert item["participants"][1] == {"code": "GM0363", "name": "Amsterdam", "role": "partner"}
    assert item["scale_up"] == {"state": "geen", "decision": None}
    text = client.get("/export/pilots.json").get_data(as_text=True) + client.get("/export/pilots.csv").get_data(
        as_text=True
    )
    assert "Jan Geheim" not in text and "example.nl" not in text  # no names or addresses of people


def scaled_up_pilot(follow_up: str = ""):
    """A pilot the portfolio consultation decided to scale up today."""
    staff = make_user(organisation="vng", role="vng_staff")
    pilot = make_pilot(title="Digitale aangifte toeristenbelasting", status="afgerond")
    meeting = create_meeting(staff, date.today(), "Portfolio-overleg december")
    flag(staff, pilot, "Werkt in vier gemeenten.")
    schedule(staff, pilot, meeting.id)
    decide(staff, pilot, "opschalen", "Bewezen in vier gemeenten.", follow_up)
    db.session.commit()
    return pilot


def test_a_public_decision_is_exported_with_its_reasons(client):
    scaled_up_pilot("Bouwblok maken\nBroncode delen")
    item = client.get("/export/pilots.json").json["items"][0]
    assert item["scale_up"]["state"] == "wordt_opgeschaald"
    assert item["scale_up"]["decision"]["rationale"] == "Bewezen in vier gemeenten."
    row = csv_rows(client.get("/export/pilots.csv"))[0]
    assert row["decision"] == "opschalen" and row["decision_follow_up"] == "Bouwblok maken; Broncode delen"
    assert row["decision_meeting"] == f"{date.today().isoformat()} Portfolio-overleg december"


def test_who_adopts_a_scaled_up_pilot_is_exported_without_contacts(client):
    pilot = scaled_up_pilot()
    etag = client.get("/export/pilots.json").headers["ETag"]
    adopter = make_user("GM0599", email="adopter@example.nl")
    declare(adopter, pilot, AdoptionInput(stage="in_gebruik", contact_name="An Geheim", contact_email="an@example.nl"))
    db.session.commit()
    response = client.get("/export/pilots.json", headers={"If-None-Match": etag})
    assert response.status_code == 200  # an adoption is a change: the old download is stale
    adoption = response.json["items"][0]["adoptions"]
    assert adoption == [{"organisation": {"code": "GM0599", "name": "Rotterdam"}, "stage": "in_gebruik",
                         "since": date.today().isoformat()}]  # fmt: skip
    row = csv_rows(client.get("/export/pilots.csv"))[0]
    assert (row["adopter_codes"], row["adopter_names"], row["adoption_stages"]) == ("GM0599", "Rotterdam", "in_gebruik")
    text = response.get_data(as_text=True)
    assert "An Geheim" not in text and "an@example.nl" not in text


def test_deleted_and_merged_pilots_are_not_exported(client):
    staff = make_user(organisation="vng", role="vng_staff")
    author = make_user()
    kept = make_pilot(author=author, title="Blijft staan")
    deleted = make_pilot(author=author, title="Wordt verwijderd")
    merged = make_pilot(author=author, title="Wordt samengevoegd")
    delete_pilot(author, deleted)
    mark_duplicate(staff, merged, kept)
    merge_duplicate(staff, merged)
    db.session.commit()
    assert [r["slug"] for r in csv_rows(client.get("/export/pilots.csv"))] == [kept.slug]
    assert [i["slug"] for i in client.get("/export/pilots.json").json["items"]] == [kept.slug]


@pytest.mark.parametrize(
    "query",
    ["", "theme=zorg", "status=lopend", "province=Noord-Holland", "organisation=GM0363", "sort=changed",
     "sort=partners", "theme=zorg&status=idee&sort=changed", "theme=onzin&status=%3D1"],
)  # fmt: skip
def test_filters_give_the_pilots_of_the_list_in_its_order(client, query):
    amsterdam, utrecht = make_user(organisation="GM0363"), make_user(organisation="GM0344")
    make_pilot(author=amsterdam, title="Zorg in Amsterdam", themes=["zorg"], status="lopend")
    make_pilot(author=utrecht, title="Zorg in Utrecht", themes=["zorg"], partners=["GM0363", "GM0599"])
    make_pilot(author=utrecht, title="Data in Utrecht", themes=["data"], status="lopend")
    make_pilot(author=amsterdam, title="Data in Amsterdam", themes=["data"], partners=["GM0344"])
    api_query = "" if "onzin" in query else query  # the page ignores values it does not know, as the export does
    listed = [i["slug"] for i in client.get(f"/api/v1/pilots?per_page=100&{api_query}").json["items"]]
    page = client.get(f"/pilots?per_page=100&{query}").get_data(as_text=True)
    assert [s for s in re.findall(r'href="/pilots/([a-z0-9-]+)"', page) if s != "new"] == listed
    assert [r["slug"] for r in csv_rows(client.get(f"/export/pilots.csv?{query}"))] == listed
    json_body = client.get(f"/export/pilots.json?{query}&page=2&per_page=1").json  # paging does not apply
    assert [i["slug"] for i in json_body["items"]] == listed and json_body["count"] == len(listed)


def test_the_pilot_list_links_to_the_exports_with_its_filters(client):
    page = client.get("/pilots?theme=zorg&status=lopend&sort=changed&page=1").get_data(as_text=True)
    assert 'href="/export/pilots.csv?theme=zorg&amp;status=lopend&amp;sort=changed"' in page
    assert 'href="/export/pilots.json?theme=zorg&amp;status=lopend&amp;sort=changed"' in page
    assert 'href="/open-data"' in page


def test_exports_are_streamed_in_batches(client, monkeypatch):
    monkeypatch.setattr(open_data, "BATCH", 2)
    for _ in range(5):
        make_pilot()
    for kind in ("csv", "json"):
        response = client.get(f"/export/pilots.{kind}", buffered=False)
        assert response.is_streamed
        chunks = [c for c in response.iter_encoded() if c]
        assert len(chunks) >= 4, chunks  # header, then one chunk per batch of two pilots: 3 batches
        response.close()


def test_exports_are_rate_limited(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_EXPORT", "2/minute")
    assert [client.get("/export/pilots.csv").status_code for _ in range(2)] == [200, 200]
    refused = client.get("/export/pilots.json")
    assert refused.status_code == 429 and "Retry-After" in refused.headers


def test_the_open_data_page_explains_fields_licence_and_api(client):
    page = client.get("/open-data").get_data(as_text=True)
    assert "Open data" in page and "CC0 1.0" in page and open_data.LICENSE["url"] in page
    for column in ("participant_roles", "scale_up_state", "decision_rationale"):
        assert column in page
    assert 'href="/export/pilots.csv"' in page and 'href="/export/pilots.json"' in page
    assert 'href="/api/v1/docs"' in page


def test_the_footer_and_the_api_page_link_to_open_data(client):
    for path in ("/", "/api/v1/docs"):
        assert 'href="/open-data"' in client.get(path).get_data(as_text=True), path


def test_a_long_export_holds_at_most_about_one_batch_of_pilots_in_memory(monkeypatch):
    monkeypatch.setattr(open_data, "BATCH", 3)
    author = make_user()
    for n in range(12):
        make_pilot(author=author, title=f"Pilot nummer {n}", partners=["GM0363"])
    db.session.expunge_all()  # the test itself holds none of them
    export = open_data.PilotExport.start(PilotFilters(), lambda slug: f"/pilots/{slug}")
    held, rows = [], 0
    for chunk in export.csv_chunks():
        rows += chunk.count("\r\n")
        gc.collect(1)  # the young generations: where a batch just written out lives
        held.append(sum(isinstance(obj, Pilot) for obj in db.session.identity_map.values()))
    assert rows == 13 and max(held) <= 2 * open_data.BATCH, held

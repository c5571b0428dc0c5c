"""T6: the OCDS 1.1.5 release package — schema validity, identifiers, parties, money, sealing, and the
export command and public URL serving the same document."""

import datetime
import filecmp
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from directory.models import Organisation
from procurement.models import Tender
from procurement.services.ocds import (
    SCHEMA_DIR,
    ocds_amount,
    release_package,
    release_package_json,
    release_package_validator,
    validate_release_package,
)
from tests.factories import OrganisationFactory
from tests.procurement.factories import AgencyFactory, BidFactory, TenderFactory

from .conftest import (
    LOSING_PRICE,
    LOSING_PROPOSAL,
    SEALED_PRICE,
    SEALED_PROPOSAL,
    WINNING_PRICE,
    WINNING_PROPOSAL,
    awarded_tender,
    money_forms,
)

URI = "http://testserver/procurement/public/ocds/releases.json"
SHARED_SCHEMA_DIR = Path(settings.BASE_DIR).parent / "shared" / "ocds" / "1.1.5"


def release_doc():
    return release_package(uri=URI)


def releases_of(doc: dict, tender: Tender) -> list[dict]:
    return [r for r in doc["releases"] if r["ocid"].endswith(f"-{tender.pk}") and r["tender"]["id"] == str(tender.pk)]


def tags_of(doc: dict, tender: Tender) -> list[str]:
    return [tag for r in releases_of(doc, tender) for tag in r["tag"]]


# --- schema -------------------------------------------------------------------------------------


def test_t6_package_is_valid_ocds_1_1_5(public_tenders):
    doc = release_doc()
    # Round-trip through JSON text: what is validated is what readers get.
    doc = json.loads(release_package_json(doc))
    validator = release_package_validator()
    assert validator.__class__.__name__ == "Draft4Validator"
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []
    assert validate_release_package(doc) == []
    tags = {tag for r in doc["releases"] for tag in r["tag"]}
    assert tags == {"tender", "tenderUpdate", "award", "contract", "tenderCancellation"}
    assert doc["version"] == "1.1"
    assert doc["uri"] == URI


def test_t6_validator_reports_schema_errors():
    """The offline validator resolves the release schema and checks formats: a broken package fails."""
    good_release = {
        "ocid": "ocds-sz0sw1-1",
        "id": "ocds-sz0sw1-1-tender-20260101T000000Z",
        "date": "2026-01-01T08:00:00+08:00",
        "tag": ["tender"],
        "initiationType": "tender",
        "tender": {"id": "1", "value": {"amount": 1, "currency": "CNY"}, "status": "active"},
    }
    good = {
        "uri": URI,
        "version": "1.1",
        "publishedDate": "2026-01-01T08:00:00+08:00",
        "publisher": {"name": "苏州市民政局"},
        "releases": [good_release],
    }
    assert validate_release_package(good) == []
    broken = [
        ("releases/0/tender/value/currency", {"tender": {"id": "1", "value": {"amount": 1, "currency": "RMB"}}}),
        ("releases/0/tag/0", {"tag": ["opened"]}),
        ("releases/0/tender/status", {"tender": {"id": "1", "status": "evaluation"}}),
        ("releases/0/date", {"date": "2026-01-01 08:00"}),
        ("releases/0/date", {"date": "2026-01-01T08:00:00"}),
    ]
    for path, change in broken:
        doc = {**good, "releases": [{**good_release, **change}]}
        errors = validate_release_package(doc)
        assert any(e.startswith(path) for e in errors), (change, errors)
    assert any(e.startswith("uri") for e in validate_release_package({**good, "uri": "releases.json"}))
    assert any(e.startswith("releases") for e in validate_release_package({**good, "releases": []}))


def test_t6_shipped_schema_is_the_standard_unchanged():
    assert {p.name for p in SCHEMA_DIR.glob("*.json")} == {
        "release-package-schema.json",
        "release-schema.json",
        "record-package-schema.json",
    }
    package_schema = json.loads((SCHEMA_DIR / "release-package-schema.json").read_text(encoding="utf-8"))
    release_schema = json.loads((SCHEMA_DIR / "release-schema.json").read_text(encoding="utf-8"))
    assert package_schema["properties"]["releases"]["items"]["$ref"] == release_schema["id"]
    assert release_schema["id"] == "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
    if not SHARED_SCHEMA_DIR.is_dir():
        pytest.skip("the shared OCDS files are not beside this checkout")
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("codelists/*.csv")]:
        original = SHARED_SCHEMA_DIR / path.relative_to(SCHEMA_DIR)
        assert filecmp.cmp(path, original, shallow=False), path


# --- identifiers and releases -------------------------------------------------------------------


def test_t6_ocid_is_prefix_plus_tender_id(public_tenders, settings):
    settings.OCDS_PREFIX = "ocds-ab12cd-"
    doc = release_doc()
    for tender in public_tenders.public:
        releases = releases_of(doc, tender)
        assert releases, tender
        assert {r["ocid"] for r in releases} == {f"ocds-ab12cd-{tender.pk}"}


def test_t6_ocid_prefix_has_a_default(public_tenders, settings):
    del settings.OCDS_PREFIX
    doc = release_doc()
    assert {r["ocid"] for r in releases_of(doc, public_tenders.published)} == {
        f"ocds-suzhou-{public_tenders.published.pk}"
    }


def test_t6_one_release_per_event(public_tenders):
    doc = release_doc()
    t = public_tenders
    assert tags_of(doc, t.published) == ["tender"]
    assert tags_of(doc, t.evaluation) == ["tender", "tenderUpdate"]
    assert tags_of(doc, t.awarded) == ["tender", "tenderUpdate", "award"]
    assert tags_of(doc, t.contracted) == ["tender", "tenderUpdate", "award", "contract"]
    assert tags_of(doc, t.cancelled) == ["tender", "tenderCancellation"]
    assert tags_of(doc, t.unsuccessful) == ["tender", "tenderUpdate", "tenderUpdate"]
    statuses = {tender: [r["tender"]["status"] for r in releases_of(doc, tender)] for tender in t.public}
    assert statuses[t.contracted] == ["active", "active", "complete", "complete"]
    assert statuses[t.cancelled] == ["active", "cancelled"]
    assert statuses[t.unsuccessful] == ["active", "active", "unsuccessful"]
    for release in doc["releases"]:
        assert release["initiationType"] == "tender"
        assert release["language"] == "zh"
        assert release["tender"]["procurementMethod"] == "open"
        assert release["tender"]["mainProcurementCategory"] == "services"


def test_t6_release_ids_are_unique_and_stable(public_tenders):
    first, second = release_doc(), release_doc()
    ids = [r["id"] for r in first["releases"]]
    assert len(ids) == len(set(ids))
    assert ids == [r["id"] for r in second["releases"]]
    assert release_package_json(first) == release_package_json(second)
    tender_release = releases_of(first, public_tenders.published)[0]
    stamp = public_tenders.published.published_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert tender_release["id"] == f"{tender_release['ocid']}-tender-{stamp}"


def test_t6_dates_are_iso_8601_with_timezone(public_tenders):
    doc = release_doc()
    published = datetime.datetime.fromisoformat(doc["publishedDate"])
    assert published.utcoffset() == datetime.timedelta(hours=8)
    tender = public_tenders.published
    release = releases_of(doc, tender)[0]
    assert datetime.datetime.fromisoformat(release["date"]) == tender.published_at.replace(microsecond=0)
    period = release["tender"]["tenderPeriod"]
    assert datetime.datetime.fromisoformat(period["endDate"]) == tender.bid_deadline.replace(microsecond=0)
    # publishedDate is the newest release's: the same data always gives the same document.
    assert doc["publishedDate"] == max(doc["releases"], key=lambda r: r["date"])["date"]


def test_t6_drafts_never_appear(public_tenders):
    text = release_package_json(release_doc())
    assert "DRAFT-4410" not in text
    assert not releases_of(json.loads(text), public_tenders.draft)


# --- parties --------------------------------------------------------------------------------------


def test_t6_buyer_is_the_city_bureau_with_cn_uscc(public_tenders, world):
    doc = release_doc()
    bureau = world.city_bureau
    for release in doc["releases"]:
        buyer = release["parties"][0]
        assert buyer["id"] == f"CN-USCC-{bureau.uscc}"
        assert buyer["identifier"] == {"scheme": "CN-USCC", "id": bureau.uscc, "legalName": "苏州市民政局"}
        assert buyer["roles"] == ["buyer", "procuringEntity"]
        assert release["buyer"] == {"id": buyer["id"], "name": "苏州市民政局"}
        assert release["tender"]["procuringEntity"] == release["buyer"]
    assert doc["publisher"] == {"name": settings.OCDS_PUBLISHER_NAME, "scheme": "CN-USCC", "uid": bureau.uscc}


def test_t6_buyer_without_a_city_bureau_falls_back_to_the_name(db, round_2018, settings):
    settings.OCDS_PUBLISHER_NAME = "苏州市民政局"
    OrganisationFactory(kind=Organisation.Kind.BUREAU, name="姑苏区民政局", district=TenderFactory().town.district)
    doc = release_doc()
    assert doc["releases"][0]["parties"] == [
        {"id": "SZSW-BUREAU", "name": "苏州市民政局", "roles": ["buyer", "procuringEntity"]}
    ]
    assert validate_release_package(doc) == []


def test_t6_supplier_and_tenderers_have_cn_uscc_identifiers(public_tenders, agency, other_agency):
    doc = release_doc()
    award_release, contract_release = releases_of(doc, public_tenders.contracted)[2:]
    for release in (award_release, contract_release):
        parties = {p["id"]: p for p in release["parties"]}
        winner = parties[f"CN-USCC-{agency.organisation.uscc}"]
        assert winner["roles"] == ["tenderer", "supplier"]
        assert winner["identifier"] == {
            "scheme": "CN-USCC",
            "id": agency.organisation.uscc,
            "legalName": "乐仁社工服务社",
        }
        assert parties[f"CN-USCC-{other_agency.organisation.uscc}"]["roles"] == ["tenderer"]
        assert release["awards"][0]["suppliers"] == [{"id": winner["id"], "name": "乐仁社工服务社"}]


def test_t6_agency_without_uscc_gets_a_stable_internal_id(world, round_2018):
    no_uscc = AgencyFactory(organisation__uscc=None, organisation__name="无代码社工站")
    other = AgencyFactory()
    tender = awarded_tender(town=world.town_a1, winner=no_uscc, loser=other)
    doc = release_doc()
    award = releases_of(doc, tender)[-1]
    party = next(p for p in award["parties"] if p["name"] == "无代码社工站")
    assert party["id"] == f"SZSW-ORG-{no_uscc.organisation.pk}"
    assert "identifier" not in party
    assert award["awards"][0]["suppliers"] == [{"id": party["id"], "name": "无代码社工站"}]
    assert validate_release_package(doc) == []


# --- T2 sealing in the feed -------------------------------------------------------------------------


def test_t6_no_tenderers_or_bids_before_the_deadline(public_tenders, other_agency):
    doc = release_doc()
    text = release_package_json(doc)
    (release,) = releases_of(doc, public_tenders.published)
    assert "tenderers" not in release["tender"]
    assert "numberOfTenderers" not in release["tender"]
    assert [p["roles"] for p in release["parties"]] == [["buyer", "procuringEntity"]]
    # The bid on the open tender and the never-opened bid on the cancelled one leave no trace.
    assert SEALED_PROPOSAL not in text
    assert all(form not in text for form in money_forms(SEALED_PRICE))
    for cancelled in releases_of(doc, public_tenders.cancelled):
        assert "tenderers" not in cancelled["tender"]
        assert len(cancelled["parties"]) == 1


def test_t6_bids_are_counted_after_the_deadline_but_never_published(public_tenders, agency, other_agency):
    doc = release_doc()
    text = release_package_json(doc)
    opening = releases_of(doc, public_tenders.evaluation)[1]
    assert opening["tag"] == ["tenderUpdate"]
    assert opening["date"] == timezone.localtime(public_tenders.evaluation.bid_deadline).isoformat(timespec="seconds")
    assert opening["tender"]["numberOfTenderers"] == 2
    assert {t["name"] for t in opening["tender"]["tenderers"]} == {"乐仁社工服务社", "和光社工服务中心"}
    # Neither proposals nor losing prices are part of OCDS: only the awarded value.
    for secret in (LOSING_PROPOSAL, WINNING_PROPOSAL, SEALED_PROPOSAL):
        assert secret not in text
    assert all(form not in text for form in money_forms(LOSING_PRICE))


# --- money ------------------------------------------------------------------------------------------


def test_t6_amounts_are_cny_computed_in_decimal(world, round_2018, agency, other_agency):
    tender = TenderFactory(town=world.town_a1, annual_ceiling=Decimal("123456.78"), period_years=3)
    doc = release_doc()
    (release,) = releases_of(doc, tender)
    # 123456.78 × 3 in float arithmetic is 370370.33999999997; in Decimal it is 370370.34.
    assert release["tender"]["value"] == {"amount": 370370.34, "currency": "CNY"}
    assert '"amount": 370370.34,' in release_package_json(doc)
    assert release["tender"]["items"][0]["quantity"] == 3
    assert release["tender"]["items"][0]["unit"]["value"] == {"amount": 123456.78, "currency": "CNY"}
    assert ocds_amount(Decimal("1000000.00")) == 1000000
    assert isinstance(ocds_amount(Decimal("1000000.00")), int)
    assert ocds_amount(Decimal("99999999999.99")) == 99999999999.99


def test_t6_every_value_is_in_cny(public_tenders):
    doc = release_doc()

    def values(node):
        if isinstance(node, dict):
            if "amount" in node:
                yield node
            for child in node.values():
                yield from values(child)
        elif isinstance(node, list):
            for child in node:
                yield from values(child)

    found = list(values(doc))
    assert found
    assert {v["currency"] for v in found} == {"CNY"}
    assert all(isinstance(v["amount"], int | float) and not isinstance(v["amount"], bool) for v in found)


def test_t6_award_and_contract(public_tenders, agency):
    doc = release_doc()
    tender = public_tenders.contracted
    _tender, _opening, award_release, contract_release = releases_of(doc, tender)
    (award,) = award_release["awards"]
    assert award["status"] == "active"
    assert award["value"] == {"amount": float(WINNING_PRICE * 2), "currency": "CNY"}
    assert award["items"][0]["unit"]["value"] == {"amount": float(WINNING_PRICE), "currency": "CNY"}
    assert datetime.datetime.fromisoformat(award["date"]) == tender.awarded_at.replace(microsecond=0)
    assert award_release["tender"]["status"] == "complete"
    assert award_release["tender"]["numberOfTenderers"] == 2
    assert "contracts" not in award_release
    (contract,) = contract_release["contracts"]
    assert contract["id"] == tender.contract.number
    assert contract["awardID"] == award["id"]
    assert contract["status"] == "active"
    assert contract["value"] == {"amount": float(tender.contract.value), "currency": "CNY"}
    assert contract["dateSigned"].startswith(tender.contract.signed_on.isoformat())
    assert contract["period"]["startDate"].startswith(tender.package.starts_on.isoformat())
    # Awarded but not yet contracted: no contract release.
    assert "contract" not in tags_of(doc, public_tenders.awarded)


def test_t6_unsigned_contract_is_pending(world, round_2018, agency, other_agency):
    tender = awarded_tender(
        town=world.town_a1, winner=agency, loser=other_agency, status=Tender.Status.CONTRACTED, signed_on=None
    )
    doc = release_doc()
    contract_release = releases_of(doc, tender)[-1]
    assert contract_release["contracts"][0]["status"] == "pending"
    assert "dateSigned" not in contract_release["contracts"][0]
    assert validate_release_package(doc) == []


def test_t6_cancellation_after_the_deadline_publishes_the_bid_count(world, round_2018, agency):
    tender = TenderFactory(
        town=world.town_a1,
        bid_deadline=timezone.now() - datetime.timedelta(days=2),
        published_at=timezone.now() - datetime.timedelta(days=20),
    )
    BidFactory(tender=tender, agency=agency)
    tender.status = Tender.Status.CANCELLED
    tender.save()  # the history records when it was cancelled: after the deadline
    doc = release_doc()
    assert tags_of(doc, tender) == ["tender", "tenderUpdate", "tenderCancellation"]
    assert releases_of(doc, tender)[-1]["tender"]["numberOfTenderers"] == 1
    assert validate_release_package(doc) == []


# --- the command and the public URL ---------------------------------------------------------------


def test_t6_export_command_writes_utf8_json(public_tenders, tmp_path):
    out = tmp_path / "ocds" / "releases.json"
    call_command("export_ocds", "--output", str(out), "--base-url", "http://testserver", "--validate")
    text = out.read_text(encoding="utf-8")
    assert "苏州市民政局" in text  # not \u-escaped
    assert text.startswith('{\n  "uri": "http://testserver/procurement/public/ocds/releases.json"')
    doc = json.loads(text)
    assert validate_release_package(doc) == []
    assert len(doc["releases"]) == 15


def test_t6_old_package_address_moved_to_the_paged_list(public_tenders, client):
    response = client.get(reverse("procurement:ocds-release-package") + "?limit=5")
    assert response.status_code == 308
    assert response["Location"] == "/ocds/releases/?limit=5"


def test_t6_export_command_refuses_an_unwritable_path(public_tenders, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_ocds", "--output", str(blocker / "releases.json"))


def test_t6_export_command_to_stdout(public_tenders, capsys):
    call_command("export_ocds", "--output", "-")
    assert json.loads(capsys.readouterr().out)["version"] == "1.1"


def test_t6_ocds_endpoints_need_no_login_for_any_persona(public_tenders, client, personas, outsiders):
    year = int(release_doc()["releases"][0]["date"][:4])
    ocid = f"{settings.OCDS_PREFIX}{public_tenders.contracted.pk}"
    urls = [
        reverse("ocds:release-list"),
        reverse("ocds:release-year", args=[year]),
        reverse("ocds:release-year-gz", args=[year]),
        reverse("ocds:record", args=[ocid]),
    ]
    expected = {}
    for user in [None, *personas.values(), *outsiders.values()]:
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            # Everyone gets the same document: drafts are not added for the bureau.
            assert response.content == expected.setdefault(url, response.content)
            assert b"DRAFT-4410" not in response.content
            assert response["Access-Control-Allow-Origin"] == "*"


def test_t6_ocds_endpoints_refuse_writes(client, db):
    for url in (reverse("procurement:ocds-release-package"), reverse("ocds:release-list")):
        assert client.post(url).status_code == 405

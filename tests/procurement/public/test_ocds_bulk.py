"""T6 at scale (issue 14): release packages per year as bulk files, the paged release list with `links.next`,
records per ocid, and `export_ocds --output-dir` writing the same files — all valid OCDS 1.1.5."""

import datetime
import gzip
import json
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from procurement.models import Tender
from procurement.services.ocds import release_package, validate_record_package, validate_release_package
from procurement.services.ocds_bulk import MAX_PAGE_SIZE, encode_cursor
from tests.factories import TownFactory
from tests.procurement.factories import TenderFactory

from .conftest import awarded_tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


@pytest.fixture
def older_years(world, round_2018):
    """Tenders published (and opened) in 2019 and 2021: releases in more than one year."""
    return [
        TenderFactory(town=world.town_b1, published_at=at(2019, 3, 1), bid_deadline=at(2019, 3, 20)),
        TenderFactory(town=world.town_a2, published_at=at(2021, 6, 1), bid_deadline=at(2021, 12, 31)),
    ]


def all_releases() -> list[dict]:
    return release_package(uri="http://testserver/x")["releases"]


def years_of(releases) -> set[int]:
    return {int(r["date"][:4]) for r in releases}


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def follow_pages(client, url) -> tuple[list[dict], int]:
    seen, pages = [], 0
    while url:
        doc = get_json(client, url)
        assert validate_release_package(doc) == [] if doc["releases"] else True
        seen.extend(doc["releases"])
        pages += 1
        url = doc.get("links", {}).get("next")
        if url:
            parts = urlsplit(url)
            assert parts.scheme == "http" and parts.netloc == "testserver"
            url = f"{parts.path}?{parts.query}"
    return seen, pages


# --- per-year bulk files ------------------------------------------------------------------------------


def test_t6_each_year_file_is_a_valid_package_of_that_years_releases(public_tenders, older_years, client):
    expected = all_releases()
    years = years_of(expected)
    assert {2019, 2021} <= years
    served = []
    for year in sorted(years):
        url = reverse("ocds:release-year", args=[year])
        doc = get_json(client, url)
        assert validate_release_package(doc) == []
        assert doc["uri"] == f"http://testserver/ocds/releases/{year}.json"
        assert years_of(doc["releases"]) == {year}
        keys = [(r["date"], r["id"]) for r in doc["releases"]]
        assert keys == sorted(keys)
        assert doc["publishedDate"] == max(r["date"] for r in doc["releases"])
        # The .json.gz is the same document, gzip-compressed.
        gz = client.get(reverse("ocds:release-year-gz", args=[year]))
        assert gz.status_code == 200
        assert gz["Content-Type"] == "application/gzip"
        assert json.loads(gzip.decompress(gz.content)) == doc
        served.extend(doc["releases"])
    assert sorted(r["id"] for r in served) == sorted(r["id"] for r in expected)


def test_t6_a_year_without_releases_is_404(public_tenders, older_years, client):
    assert client.get(reverse("ocds:release-year", args=[2020])).status_code == 404
    assert client.get(reverse("ocds:release-year-gz", args=[1999])).status_code == 404
    assert client.get("/ocds/releases/abcd.json").status_code == 404


def test_t6_year_file_is_cached_and_follows_a_change(world, round_2018, older_years, client):
    url = reverse("ocds:release-year", args=[2019])
    first = get_json(client, url)
    with CaptureQueriesContext(connection) as cached:
        assert get_json(client, url) == first
    # A cache hit runs only the fingerprint's two small queries.
    assert len(cached.captured_queries) == 2
    tender = older_years[0]
    tender.status = Tender.Status.CANCELLED
    tender.save()  # a new history row: a new fingerprint, so the next request recomputes
    assert client.get(url).status_code == 200
    now_year = timezone.localtime().year
    cancelled = get_json(client, reverse("ocds:release-year", args=[now_year]))
    assert "tenderCancellation" in {tag for r in cancelled["releases"] for tag in r["tag"]}


def test_t6_a_passing_deadline_publishes_the_bid_count_despite_the_cache(world, round_2018, agency, client):
    tender = TenderFactory(
        town=world.town_a1, published_at=at(2022, 5, 1), bid_deadline=timezone.now() + datetime.timedelta(days=1)
    )
    assert [r["tag"] for r in get_json(client, reverse("ocds:release-list"))["releases"]] == [["tender"]]
    Tender.objects.filter(pk=tender.pk).update(bid_deadline=at(2022, 5, 20))  # no history row written
    tags = [r["tag"] for r in get_json(client, reverse("ocds:release-list"))["releases"]]
    assert tags == [["tender"], ["tenderUpdate"]]


# --- the paged list ------------------------------------------------------------------------------------


def test_t6_paging_follows_links_next_and_sees_every_release_once(public_tenders, older_years, client):
    expected = all_releases()
    seen, pages = follow_pages(client, reverse("ocds:release-list") + "?limit=3")
    assert pages == -(-len(expected) // 3)
    ids = [r["id"] for r in seen]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(r["id"] for r in expected)
    keys = [(r["date"], r["id"]) for r in seen]
    assert keys == sorted(keys)


def test_t6_last_page_has_no_next_link_and_every_page_is_bounded(public_tenders, client):
    doc = get_json(client, reverse("ocds:release-list"))
    assert "links" not in doc  # fewer releases than the default page size: one page
    assert validate_release_package(doc) == []
    assert client.get(reverse("ocds:release-list") + f"?limit={MAX_PAGE_SIZE + 1}").status_code == 400


@pytest.mark.parametrize("query", ["limit=0", "limit=x", "after=%%%", "after=bm90IGpzb24", "limit=-1"])
def test_t6_bad_paging_parameters_are_400_with_field_errors(db, client, query):
    response = client.get(reverse("ocds:release-list") + "?" + query)
    assert response.status_code == 400
    assert set(json.loads(response.content)) <= {"limit", "after"}


def test_t6_a_cursor_past_the_end_gives_an_empty_last_page(public_tenders, client):
    cursor = encode_cursor(("9999-01-01T00:00:00+08:00", "z"))
    doc = get_json(client, reverse("ocds:release-list") + f"?after={cursor}")
    assert doc["releases"] == [] and "links" not in doc


def test_t6_release_list_queries_are_constant_per_page(
    world, round_2018, agency, other_agency, client, django_assert_max_num_queries
):
    def add_tenders(n):
        for i in range(n):
            winner, loser = (agency, other_agency) if i % 2 else (other_agency, agency)
            town = TownFactory(district=world.district_a)  # one active package per town (P1)
            awarded_tender(town=town, winner=winner, loser=loser, status=Tender.Status.CONTRACTED)
            TenderFactory(town=world.town_b1)

    def first_and_deep_page():
        counts = []
        url = reverse("ocds:release-list") + "?limit=2"
        for _ in range(3):
            cache.clear()  # a miss: the build is counted too
            with CaptureQueriesContext(connection) as ctx:
                doc = get_json(client, url)
            counts.append(len(ctx.captured_queries))
            parts = urlsplit(doc["links"]["next"])
            url = f"{parts.path}?{parts.query}"
        return counts

    add_tenders(2)
    few = first_and_deep_page()
    add_tenders(4)
    many = first_and_deep_page()
    assert few == many
    assert len(set(many)) == 1  # a deep page costs what the first one does
    with django_assert_max_num_queries(7):
        client.get(reverse("ocds:release-list"))
    with django_assert_max_num_queries(2):  # cached
        client.get(reverse("ocds:release-list"))


# --- records -------------------------------------------------------------------------------------------


def test_t6_record_package_of_an_ocid_is_valid_with_every_release_and_a_compiled_one(public_tenders, client):
    tender = public_tenders.contracted
    ocid = f"{settings.OCDS_PREFIX}{tender.pk}"
    doc = get_json(client, reverse("ocds:record", args=[ocid]))
    assert validate_record_package(doc) == []
    (record,) = doc["records"]
    assert record["ocid"] == ocid
    expected = [r for r in all_releases() if r["ocid"] == ocid]
    assert [r["id"] for r in record["releases"]] == [r["id"] for r in expected]
    assert [tag for r in record["releases"] for tag in r["tag"]] == ["tender", "tenderUpdate", "award", "contract"]
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["contracts"][0]["id"] == tender.contract.number
    assert compiled["tender"]["status"] == "complete"
    assert doc["publishedDate"] == record["releases"][-1]["date"]


def test_t6_every_public_tender_has_a_valid_record_with_constant_queries(
    public_tenders, client, django_assert_max_num_queries
):
    for tender in public_tenders.public:
        with django_assert_max_num_queries(5):
            doc = get_json(client, reverse("ocds:record", args=[f"{settings.OCDS_PREFIX}{tender.pk}"]))
        assert validate_record_package(doc) == [], tender


def test_t6_unknown_or_draft_ocid_is_404(public_tenders, client):
    prefix = settings.OCDS_PREFIX
    for ocid in (
        f"{prefix}{public_tenders.draft.pk}",
        f"{prefix}999999",
        "ocds-other-1",
        f"{prefix}x",
        prefix,
        f"{prefix}0{public_tenders.published.pk}",
    ):
        assert client.get(f"/ocds/records/{ocid}/").status_code == 404, ocid


# --- the command ----------------------------------------------------------------------------------------


def test_t6_export_command_writes_the_served_year_files(public_tenders, older_years, client, tmp_path):
    out = tmp_path / "ocds"
    call_command("export_ocds", "--output-dir", str(out), "--base-url", "http://testserver/", "--validate")
    years = years_of(all_releases())
    assert {p.name for p in out.iterdir()} == {f"{year}.json.gz" for year in years}
    for year in years:
        written = (out / f"{year}.json.gz").read_bytes()
        cache.clear()
        assert client.get(reverse("ocds:release-year-gz", args=[year])).content == written
        doc = json.loads(gzip.decompress(written).decode("utf-8"))
        assert validate_release_package(doc) == []
        assert "苏州市民政局" in gzip.decompress(written).decode("utf-8")  # UTF-8, not \u-escaped


def test_t6_public_notice_links_to_its_record_and_drafts_do_not(public_tenders, client, personas):
    tender = public_tenders.contracted
    page = client.get(reverse("procurement:tender-public-detail", args=[tender.pk])).content.decode()
    record_url = reverse("ocds:record", args=[f"{settings.OCDS_PREFIX}{tender.pk}"])
    assert f'href="{record_url}"' in page
    assert client.get(record_url).status_code == 200
    client.force_login(personas[Role.BUREAU_ADMIN])
    draft = client.get(reverse("procurement:tender-public-detail", args=[public_tenders.draft.pk]))
    assert draft.status_code == 200
    assert 'data-testid="ocds-record-link"' not in draft.content.decode()

"""Publication of tenders and their results as an OCDS 1.1.5 release package (T6).

Every tender that left draft is one contracting process (`ocid` = prefix + tender id) with one release per
event, each a snapshot of what was public at that moment:

- `tender` when it was published (status active; no bidders: bids are sealed, T2);
- `tenderUpdate` at the bid deadline: the number of bids and the bidders' names become public;
- `award` when awarded (tender complete, the winner as supplier), `contract` once contracted;
- `tenderCancellation` when cancelled, `tenderUpdate` when unsuccessful.

The document is built from `tender_public_list()`, so drafts never appear; bids are read only for tenders
whose deadline has passed, and never their prices or proposals — only the winner's award is published.
Its text is fixed Chinese (`language` "zh"), not translated per request: one document for every reader.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from directory.models import Organisation
from procurement.models import Agency, Bid, Contract, ServicePackage, Tender
from procurement.selectors import tender_public_list

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "ocds" / "schema" / "1.1.5"
OCDS_VERSION = "1.1"
CURRENCY = "CNY"
USCC_SCHEME = "CN-USCC"
DEFAULT_PREFIX = "ocds-suzhou-"
DEFAULT_PUBLISHER = "苏州市民政局"

# Our T2 states on the closed tenderStatus codelist. Evaluation is still "active": the process goes on.
TENDER_STATUS = {
    Tender.Status.PUBLISHED: "active",
    Tender.Status.EVALUATION: "active",
    Tender.Status.AWARDED: "complete",
    Tender.Status.CONTRACTED: "complete",
    Tender.Status.UNSUCCESSFUL: "unsuccessful",
    Tender.Status.CANCELLED: "cancelled",
}
RESULT_STATUSES = (Tender.Status.AWARDED, Tender.Status.CONTRACTED)
ENDED_STATUSES = (Tender.Status.CANCELLED, Tender.Status.UNSUCCESSFUL)
# States whose first time in the tender's history dates a release.
DATED_STATUSES = (Tender.Status.PUBLISHED, Tender.Status.AWARDED, Tender.Status.CONTRACTED, *ENDED_STATUSES)


def ocds_prefix() -> str:
    return getattr(settings, "OCDS_PREFIX", DEFAULT_PREFIX) or DEFAULT_PREFIX


def tender_ocid(tender: Tender) -> str:
    return f"{ocds_prefix()}{tender.pk}"


# --- the published result (shared with the public pages) ------------------------------------------


@dataclass(frozen=True)
class TenderResult:
    """What is published of an awarded tender: the winner and its price, never the other bids."""

    agency: Agency
    annual_price: Decimal | None
    period_years: int
    contract: Contract | None
    package: ServicePackage | None
    awarded_at: datetime.datetime | None

    @property
    def contract_value(self) -> Decimal | None:
        return self.contract.value if self.contract else None

    @property
    def award_value(self) -> Decimal | None:
        """The award over the whole period, computed in Decimal; the contract's value when no annual price."""
        if self.annual_price is not None:
            return self.annual_price * self.period_years
        return self.contract_value


def _one_to_one(obj, name: str):
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


def tender_result(tender: Tender) -> TenderResult | None:
    """The winner of an awarded or contracted tender, from its contract (or the package it created).

    Reads `contract` and `package` through the reverse one-to-ones: select them with the tender
    (`contract__agency__organisation`, `contract__bid`, `package__agency__organisation`)."""
    if tender.status not in RESULT_STATUSES:
        return None
    contract = _one_to_one(tender, "contract")
    package = _one_to_one(tender, "package")
    if contract is not None:
        agency = contract.agency
        bid = contract.bid if contract.bid_id else None
    elif package is not None:
        agency, bid = package.agency, None
    else:
        return None
    if bid is not None:
        annual_price = bid.price
    elif package is not None:
        annual_price = package.annual_amount
    else:
        annual_price = None
    return TenderResult(
        agency=agency,
        annual_price=annual_price,
        period_years=tender.period_years,
        contract=contract,
        package=package,
        awarded_at=tender.awarded_at,
    )


# --- values ---------------------------------------------------------------------------------------


def ocds_amount(value: Decimal) -> int | float:
    """A Decimal CNY amount as a JSON number, converted once at the end (sums stay in Decimal).

    Amounts have at most 14 digits with 2 decimals, which a float's shortest repr writes back exactly."""
    value = Decimal(value).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _value(amount: Decimal) -> dict:
    return {"amount": ocds_amount(amount), "currency": CURRENCY}


def _timestamp(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _release_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _period(start: datetime.date, end: datetime.date) -> dict:
    return {
        "startDate": _timestamp(_day_start(start)),
        "endDate": _timestamp(_day_end(end)),
        "durationInDays": (end - start).days + 1,
    }


def _service_period(tender: Tender, result: TenderResult | None = None) -> dict:
    package = result.package if result else None
    if package is not None:
        return _period(package.starts_on, package.ends_on)
    start = tender.service_starts_on
    return _period(start, _add_years(start, tender.period_years) - datetime.timedelta(days=1))


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


# --- parties ---------------------------------------------------------------------------------------


def _party_id(org: Organisation) -> str:
    return f"{USCC_SCHEME}-{org.uscc}" if org.uscc else f"SZSW-ORG-{org.pk}"


def _party(org: Organisation, roles: list[str]) -> dict:
    party: dict[str, Any] = {"id": _party_id(org), "name": org.name}
    if org.uscc:
        party["identifier"] = {"scheme": USCC_SCHEME, "id": org.uscc, "legalName": org.name}
    party["roles"] = roles
    return party


def _reference(party: dict) -> dict:
    return {"id": party["id"], "name": party["name"]}


def city_bureau() -> Organisation | None:
    """The buyer: the city's civil-affairs bureau (a bureau organisation with no district)."""
    return (
        Organisation.objects.filter(kind=Organisation.Kind.BUREAU, district__isnull=True, is_active=True)
        .order_by("pk")
        .first()
    )


def _buyer_party(bureau: Organisation | None) -> dict:
    roles = ["buyer", "procuringEntity"]
    if bureau is not None:
        return _party(bureau, roles)
    name = getattr(settings, "OCDS_PUBLISHER_NAME", "") or DEFAULT_PUBLISHER
    return {"id": "SZSW-BUREAU", "name": name, "roles": roles}


# --- releases --------------------------------------------------------------------------------------


@dataclass
class _Context:
    buyer: dict
    now: datetime.datetime
    status_dates: dict[tuple[int, str], datetime.datetime]


def _tender_section(
    tender: Tender,
    *,
    status: str,
    buyer: dict,
    published: datetime.datetime,
    bidders: list[Agency] | None,
    awarded: datetime.datetime | None,
) -> dict:
    section: dict[str, Any] = {"id": str(tender.pk), "title": tender.title}
    if tender.description:
        section["description"] = tender.description
    share = _number(tender.min_certified_share)
    section |= {
        "status": status,
        "procuringEntity": _reference(buyer),
        "items": [
            {
                "id": "1",
                "description": f"{tender.town.name}社会工作服务综合包（{tender.edition.name_zh}）",
                "quantity": tender.period_years,
                "unit": {"name": "年", "value": _value(tender.annual_ceiling)},
            }
        ],
        "value": _value(tender.annual_ceiling * tender.period_years),
        "procurementMethod": "open",
        "procurementMethodDetails": "公开招标",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "awardCriteriaDetails": (
            f"综合评分：价格{tender.weight_price}分、服务方案{tender.weight_proposal}分、"
            f"团队{tender.weight_team}分、既往绩效{tender.weight_past}分"
        ),
        "eligibilityCriteria": (
            "在县级以上民政部门登记、资格审核通过的专业社会工作服务机构；"
            f"专职人员不少于{tender.min_full_time_staff}人，其中持证社工占比不低于{share}%"
        ),
        "tenderPeriod": {"startDate": _timestamp(published), "endDate": _timestamp(tender.bid_deadline)},
        "contractPeriod": _service_period(tender),
    }
    if bidders is not None:
        section["numberOfTenderers"] = len(bidders)
        section["tenderers"] = [{"id": _party_id(a.organisation), "name": a.organisation.name} for a in bidders]
    if awarded is not None:
        section["awardPeriod"] = {"startDate": _timestamp(tender.bid_deadline), "endDate": _timestamp(awarded)}
    return section


def _award(tender: Tender, ocid: str, result: TenderResult, awarded: datetime.datetime, supplier: dict) -> dict:
    award: dict[str, Any] = {
        "id": f"{ocid}-award-1",
        "title": tender.title,
        "status": "active",
        "date": _timestamp(awarded),
    }
    if result.award_value is not None:
        award["value"] = _value(result.award_value)
    award["suppliers"] = [_reference(supplier)]
    if result.annual_price is not None:
        award["items"] = [
            {
                "id": "1",
                "description": f"{tender.town.name}社会工作服务综合包",
                "quantity": tender.period_years,
                "unit": {"name": "年", "value": _value(result.annual_price)},
            }
        ]
    award["contractPeriod"] = _service_period(tender, result)
    return award


def _contract(tender: Tender, award: dict, result: TenderResult) -> dict | None:
    contract = result.contract
    if contract is None:
        return None
    section: dict[str, Any] = {
        "id": contract.number,
        "awardID": award["id"],
        "title": tender.title,
        "status": "active" if contract.signed_on else "pending",
        "period": _service_period(tender, result),
        "value": _value(contract.value),
    }
    if contract.signed_on:
        section["dateSigned"] = _timestamp(_day_start(contract.signed_on))
    return section


def _first(*candidates: datetime.datetime | None, after: datetime.datetime) -> datetime.datetime:
    """The first known moment among `candidates`, never before `after` (a tender's releases stay in order)."""
    moment = next((c for c in candidates if c is not None), after)
    return max(moment, after)


def tender_releases(tender: Tender, ctx: _Context) -> list[dict]:
    """The releases of one (non-draft) tender, oldest first."""
    ocid = tender_ocid(tender)
    buyer = ctx.buyer
    opened = tender.bid_deadline <= ctx.now
    bidders = [bid.agency for bid in getattr(tender, "opened_bids", [])] if opened else []
    releases: list[dict] = []

    def reached(status: str) -> datetime.datetime | None:
        return ctx.status_dates.get((tender.pk, status))

    def release(
        event: str, tag: str, date: datetime.datetime, tender_section: dict, parties: list[dict], **sections
    ) -> None:
        body: dict[str, Any] = {
            "ocid": ocid,
            # One release per event, so the event names the release; the date keeps it stable and readable.
            "id": f"{ocid}-{event}-{_release_stamp(date)}",
            "date": _timestamp(date),
            "tag": [tag],
            "initiationType": "tender",
            "language": "zh",
            "parties": parties,
            "buyer": _reference(buyer),
            "tender": tender_section,
        }
        body.update({k: v for k, v in sections.items() if v})
        releases.append(body)

    def bidder_parties(supplier_id: str | None = None) -> list[dict]:
        parties = {buyer["id"]: buyer}
        for agency in bidders:
            party = _party(agency.organisation, ["tenderer"])
            parties.setdefault(party["id"], party)
        if supplier_id is not None and supplier_id in parties:
            parties[supplier_id] = {**parties[supplier_id], "roles": ["tenderer", "supplier"]}
        return list(parties.values())

    published = tender.published_at or reached(Tender.Status.PUBLISHED) or tender.created_at

    def tender_section(status: str, *, with_bidders: bool, awarded: datetime.datetime | None = None) -> dict:
        return _tender_section(
            tender,
            status=status,
            buyer=buyer,
            published=published,
            bidders=bidders if with_bidders else None,
            awarded=awarded,
        )

    release("tender", "tender", published, tender_section("active", with_bidders=False), [buyer])
    last = published

    ended = None
    if tender.status in ENDED_STATUSES:
        ended = _first(reached(tender.status), after=last)
    # Bids are opened at the deadline unless the tender was cancelled before it (then they never were).
    opened = opened and not (tender.status == Tender.Status.CANCELLED and ended < tender.bid_deadline)
    if opened:
        last = max(tender.bid_deadline, last)
        section = tender_section("active", with_bidders=True)
        release("bidOpening", "tenderUpdate", last, section, bidder_parties())

    result = tender_result(tender)
    if tender.status in RESULT_STATUSES and result is not None:
        contract = result.contract
        awarded = _first(
            tender.awarded_at, reached(Tender.Status.AWARDED), contract and contract.created_at, after=last
        )
        supplier = _party(result.agency.organisation, ["supplier"])
        parties = bidder_parties(supplier["id"])
        if supplier["id"] not in {p["id"] for p in parties}:
            parties.append(supplier)
        section = tender_section("complete", with_bidders=opened, awarded=awarded)
        award = _award(tender, ocid, result, awarded, supplier)
        release("award", "award", awarded, section, parties, awards=[award])
        contract_section = _contract(tender, award, result)
        if tender.status == Tender.Status.CONTRACTED and contract_section is not None:
            signed = _day_start(contract.signed_on) if contract.signed_on else None
            contracted = _first(reached(Tender.Status.CONTRACTED), signed, after=awarded)
            release("contract", "contract", contracted, section, parties, awards=[award], contracts=[contract_section])
    elif ended is not None:
        cancelled = tender.status == Tender.Status.CANCELLED
        event, tag = ("cancellation", "tenderCancellation") if cancelled else ("unsuccessful", "tenderUpdate")
        section = tender_section(TENDER_STATUS[tender.status], with_bidders=opened)
        release(event, tag, max(ended, last), section, bidder_parties() if opened else [buyer])
    return releases


def ocds_tenders(*, now: datetime.datetime) -> QuerySet[Tender]:
    """Public tenders with what their releases read, in a constant number of queries. Bids are loaded
    only for tenders past their deadline, and without their proposals."""
    opened_bids = (
        Bid.objects.filter(tender__bid_deadline__lte=now)
        .select_related("agency__organisation")
        .defer("proposal", "proposal_file", "price")
        .order_by("submitted_at", "pk")
    )
    return (
        tender_public_list()
        .select_related("contract__agency__organisation", "contract__bid", "package__agency__organisation")
        .prefetch_related(Prefetch("bids", queryset=opened_bids, to_attr="opened_bids"))
        .order_by("pk")
    )


def _status_dates(tender_ids: list[int] | None = None) -> dict[tuple[int, str], datetime.datetime]:
    """When each tender first reached each dated state, from its history (one query)."""
    rows = Tender.history.model.objects.filter(status__in=DATED_STATUSES)
    if tender_ids is not None:
        rows = rows.filter(id__in=tender_ids)
    rows = rows.values("id", "status").annotate(first=Min("history_date")).order_by()
    return {(row["id"], row["status"]): row["first"] for row in rows}


def _publisher(bureau: Organisation | None) -> dict:
    publisher: dict[str, Any] = {"name": getattr(settings, "OCDS_PUBLISHER_NAME", "") or DEFAULT_PUBLISHER}
    if bureau is not None and bureau.uscc:
        publisher |= {"scheme": USCC_SCHEME, "uid": bureau.uscc}
    return publisher


def _package_head(*, uri: str, published: str, publisher: dict) -> dict:
    """The metadata every package (release or record) starts with."""
    package: dict[str, Any] = {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": published,
        "publisher": publisher,
    }
    for key, setting in (("license", "OCDS_LICENSE"), ("publicationPolicy", "OCDS_PUBLICATION_POLICY")):
        if getattr(settings, setting, ""):
            package[key] = getattr(settings, setting)
    return package


def release_package(*, uri: str, now: datetime.datetime | None = None) -> dict:
    """The OCDS 1.1.5 release package of every public tender. `publishedDate` is the newest release's date,
    so the same data always gives the same document (`export_ocds --output`)."""
    now = now or timezone.now()
    bureau = city_bureau()
    ctx = _Context(buyer=_buyer_party(bureau), now=now, status_dates=_status_dates())
    releases = [r for tender in ocds_tenders(now=now) for r in tender_releases(tender, ctx)]
    # Oldest first. The sort is stable and every date has the same offset and precision, so ties keep the
    # tenders' order and each tender's events stay in order.
    releases.sort(key=lambda r: r["date"])
    published = max((datetime.datetime.fromisoformat(r["date"]) for r in releases), default=now)
    package = _package_head(uri=uri, published=_timestamp(published), publisher=_publisher(bureau))
    package["releases"] = releases
    return package


def release_package_json(package: dict) -> str:
    return json.dumps(package, ensure_ascii=False, indent=2) + "\n"


# --- validation against the shipped schema -----------------------------------------------------------

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _is_absolute_uri(value) -> bool:
    from urllib.parse import urlsplit

    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.scheme in {"urn", "mailto"})) and " " not in value


def release_package_validator(name: str = "release-package-schema.json"):
    """A Draft 4 validator of the release (or `name`d record) package schema that resolves the schema's absolute `id` URLs to the
    copies shipped in procurement/ocds/schema/1.1.5 (nothing is fetched) and checks formats. Needs
    `jsonschema` (a development dependency)."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    schemas = [json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8")) for file in (name, "release-schema.json")]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)) for schema in schemas
    )
    checker = FormatChecker()
    # jsonschema checks these formats only with optional packages; without them, check them here.
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(_is_date_time)
    if "uri" not in checker.checkers:
        checker.checks("uri")(_is_absolute_uri)
    return Draft4Validator(schemas[0], registry=registry, format_checker=checker)


def validate_release_package(package: dict) -> list[str]:
    """Every schema error of the package, as "path: message" lines (empty when valid)."""
    return _errors(release_package_validator(), package)


def validate_record_package(package: dict) -> list[str]:
    """Every schema error of a record package, as "path: message" lines (empty when valid)."""
    return _errors(release_package_validator("record-package-schema.json"), package)


def _errors(validator, package: dict) -> list[str]:
    errors = sorted(validator.iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors]

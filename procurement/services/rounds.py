from decimal import Decimal

from django.db import transaction

from catalog.models import CatalogueEdition
from procurement.models import Round

# Q2/Q3 thresholds are data of the round (DOMAIN.md): 5 full-time staff in the 2016 pilot, 9 now; 50% certified.
SHIPPED_ROUNDS = [
    {
        "code": "2016-pilot",
        "name_zh": "2016年城乡社区服务社会化试点",
        "name_en": "2016 pilot of socialised community services",
        "year": 2016,
        "edition": "2016-pilot",
        "min_full_time_staff": 5,
        "is_current": False,
    },
    {
        "code": "2018-new-round",
        "name_zh": "2018年新一轮政府购买社工服务",
        "name_en": "2018 new round of social-work services purchasing",
        "year": 2018,
        "edition": "2018-new-round",
        "min_full_time_staff": 9,
        "is_current": True,
    },
]


@transaction.atomic
def rounds_load_shipped() -> list[Round]:
    """Create the shipped rounds if missing (safe to run twice; existing rounds are left as the bureau set them)."""
    rounds = []
    for spec in SHIPPED_ROUNDS:
        edition = CatalogueEdition.objects.get(code=spec["edition"])
        round_, _created = Round.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name_zh": spec["name_zh"],
                "name_en": spec["name_en"],
                "year": spec["year"],
                "edition": edition,
                "min_full_time_staff": spec["min_full_time_staff"],
                "min_certified_share": Decimal("50"),
                "is_current": spec["is_current"],
            },
        )
        rounds.append(round_)
    return rounds

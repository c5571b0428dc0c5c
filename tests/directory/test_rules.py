"""Rules D1–D4 of DOMAIN.md."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from directory.demo import demo_uscc
from directory.models import Community, District, Organisation, Role, Town
from directory.services import membership_create, organisation_create, places_load, user_create
from directory.validators import (
    mask_resident_id,
    resident_id_check_char,
    validate_resident_id,
    validate_uscc,
)
from tests.factories import CommunityFactory, OrganisationFactory, UserFactory

# A real-format resident ID: region 320508, born 1990-03-07, serial 123, check char computed.
RID_17 = "32050819900307123"
VALID_RID = RID_17 + resident_id_check_char(RID_17)


@pytest.mark.django_db
def test_d1_suzhou_ships_ten_county_level_divisions_and_gusu_streets():
    counts = places_load()
    assert counts["districts"] == 10
    names = set(District.objects.values_list("name", flat=True))
    assert {
        "姑苏区",
        "吴中区",
        "相城区",
        "吴江区",
        "苏州工业园区",
        "常熟市",
        "张家港市",
        "昆山市",
        "太仓市",
    } <= names
    assert any(n.startswith("虎丘区") for n in names)
    gusu = District.objects.get(name="姑苏区")
    assert set(gusu.towns.values_list("name", flat=True)) == {
        "平江街道",
        "沧浪街道",
        "金阊街道",
        "双塔街道",
        "虎丘街道",
        "吴门桥街道",
        "苏锦街道",
        "白洋湾街道",
    }
    assert District.objects.get(name="昆山市").kind == District.Kind.COUNTY_CITY


@pytest.mark.django_db
def test_d1_places_load_is_idempotent(tmp_path):
    places_load()
    places_load()
    assert District.objects.count() == 10
    assert Town.objects.filter(district__name="姑苏区").count() == 8


@pytest.mark.django_db
def test_d1_tree_city_district_town_community(tmp_path):
    data = {
        "code": "320500",
        "name": "苏州市",
        "districts": [
            {
                "code": "320508",
                "name": "姑苏区",
                "kind": "district",
                "towns": [
                    {
                        "code": "320508004",
                        "name": "双塔街道",
                        "kind": "street",
                        "communities": [
                            {"code": "320508004001", "name": "南园社区", "kind": "urban"},
                            {"code": "320508004002", "name": "金星村", "kind": "village"},
                        ],
                    },
                ],
            }
        ],
    }
    path = tmp_path / "places.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    places_load(path=path)
    village = Community.objects.get(name="金星村")
    assert village.kind == Community.Kind.VILLAGE
    assert village.town.district.city.name == "苏州市"


@pytest.mark.django_db
def test_d1_every_community_has_a_valid_kind():
    community = CommunityFactory()
    community.kind = "hamlet"
    with pytest.raises(ValidationError):
        community.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Community.objects.filter(pk=community.pk).update(kind="hamlet")


@pytest.mark.django_db
def test_d2_role_codes_are_stable_identifiers():
    assert set(Role.values) == {
        "bureau_admin",
        "district_officer",
        "town_officer",
        "community_officer",
        "agency_manager",
        "agency_worker",
        "evaluator",
        "expert",
        "auditor",
        "fund_manager",
    }


@pytest.mark.django_db
def test_d2_membership_role_must_fit_organisation_kind(world, bureau_admin):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        membership_create(actor=bureau_admin, user=user, organisation=world.agency, role=Role.TOWN_OFFICER)
    assert "role" in exc.value.message_dict
    assert not user.memberships.exists()
    m = membership_create(actor=bureau_admin, user=user, organisation=world.town_office_a1, role=Role.TOWN_OFFICER)
    assert m.role == "town_officer"


@pytest.mark.django_db
def test_d2_only_bureau_admin_manages_memberships(world, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        membership_create(
            actor=personas[Role.TOWN_OFFICER],
            user=UserFactory(),
            organisation=world.town_office_a1,
            role=Role.TOWN_OFFICER,
        )


@pytest.mark.django_db
def test_d2_membership_with_unknown_role_is_refused_by_the_database(world):
    user = UserFactory()
    from directory.models import Membership

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, organisation=world.agency, role="超级管理员")


def test_d3_valid_uscc_passes():
    validate_uscc(demo_uscc(101))
    validate_uscc(demo_uscc(42, "320583", "52"))
    # A published USCC (Tencent's, 914403007… in Shenzhen) carries a correct check character.
    validate_uscc("9144030071526726XG")


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("12345", "18位"),
        ("52320508MJ000010IA", "无效字符"),
        ("52ABCDEFMJ0000101A", "行政区划"),
    ],
)
def test_d3_invalid_uscc_is_refused_with_a_message(value, fragment):
    with pytest.raises(ValidationError) as exc:
        validate_uscc(value)
    assert fragment in exc.value.messages[0]


def test_d3_uscc_with_wrong_check_character_is_refused():
    good = demo_uscc(101)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_uscc(wrong)
    assert "校验位" in exc.value.messages[0]


@pytest.mark.django_db
def test_d3_organisation_with_invalid_uscc_is_not_created(bureau_admin):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=bureau_admin, kind="agency", name="错码机构", uscc="52320508MJ00001010")
    assert "uscc" in exc.value.message_dict
    assert Organisation.objects.count() == before


def test_d4_valid_resident_id_passes():
    validate_resident_id(VALID_RID)


@pytest.mark.parametrize(
    "value",
    [
        RID_17 + ("0" if VALID_RID[-1] != "0" else "1"),  # wrong check char
        "32050819901307123" + "1",  # month 13
        "3205081990030712",  # too short
        "3205081990030712A" + "1",  # letter inside
    ],
)
def test_d4_invalid_resident_id_is_refused(value):
    with pytest.raises(ValidationError):
        validate_resident_id(value)


def test_d4_resident_id_is_masked_to_first_four_and_last_four():
    masked = mask_resident_id(VALID_RID)
    assert masked == VALID_RID[:4] + "*" * 10 + VALID_RID[-4:]
    assert VALID_RID[4:14] not in masked


@pytest.mark.django_db
def test_d4_resident_id_stored_validated_and_masked_on_user(bureau_admin):
    user = user_create(actor=bureau_admin, username="rid", password="x-strong-pass-1", resident_id=VALID_RID)
    assert user.resident_id == VALID_RID
    assert user.resident_id_masked.startswith("3205") and user.resident_id_masked.endswith(VALID_RID[-4:])
    with pytest.raises(ValidationError):
        user_create(actor=bureau_admin, username="rid2", password="x-strong-pass-1", resident_id="320508199003071230")


@pytest.mark.django_db
def test_d4_resident_id_never_in_admin_list_output(client, bureau_admin):
    UserFactory(username="holder", resident_id=VALID_RID)
    client.force_login(bureau_admin)
    response = client.get("/admin/directory/user/")
    assert response.status_code == 200
    body = response.content.decode()
    assert VALID_RID not in body
    assert mask_resident_id(VALID_RID) in body


@pytest.mark.django_db
def test_d4_resident_id_never_in_logs(caplog, bureau_admin):
    with caplog.at_level("DEBUG"):
        user_create(actor=bureau_admin, username="quiet", password="x-strong-pass-1", resident_id=VALID_RID)
    assert VALID_RID not in caplog.text


@pytest.mark.django_db
def test_town_office_needs_a_town(bureau_admin):
    with pytest.raises(ValidationError):
        organisation_create(actor=bureau_admin, kind="town_office", name="无街道办事处", uscc=None)


@pytest.mark.django_db
def test_demo_uscc_values_are_valid():
    for serial in (1, 101, 9999999):
        validate_uscc(demo_uscc(serial))
    OrganisationFactory()  # the factory's USCCs are valid too

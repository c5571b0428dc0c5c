"""K9 — recycled evidence as pure rules over the whole city: the same file in reports of different months,
packages or places, and near-identical photos (perceptual hash within the tested threshold)."""

from __future__ import annotations

import io
import itertools
import random

import pytest
from django.core.management import call_command

from delivery.evidence import (
    NEAR_PHOTO,
    SAME_FILE,
    hamming,
    k9_near_duplicate_photos,
    k9_same_file_reuses,
    near_pairs,
    perceptual_hash,
)
from delivery.models import ReportAttachment, ServiceReport
from tests.delivery.reports.builders import PDF

from .images import jpeg, png, variants

pytestmark = pytest.mark.django_db


# --- the threshold -----------------------------------------------------------------------------------


def _hash(content: bytes) -> str:
    return perceptual_hash(io.BytesIO(content), "image/jpeg")


@pytest.mark.parametrize("seed", range(6))
def test_k9_threshold_keeps_a_resaved_resized_or_brightened_photo_near(settings, seed):
    original = _hash(jpeg(seed))
    for edit, content in variants(seed).items():
        distance = hamming(original, _hash(content))
        assert distance <= settings.COMPLIANCE_K9_PHASH_DISTANCE, (edit, distance)


def test_k9_threshold_keeps_different_photos_apart(settings):
    hashes = [_hash(jpeg(seed)) for seed in range(40)]
    closest = min(hamming(a, b) for a, b in itertools.combinations(hashes, 2))
    # 780 pairs of different pictures: the closest is still well beyond the threshold.
    assert closest > settings.COMPLIANCE_K9_PHASH_DISTANCE + 4


def test_k9_phash_is_16_hex_characters_and_none_for_a_pdf_or_a_broken_image():
    assert len(_hash(jpeg(1))) == 16
    int(_hash(jpeg(1)), 16)
    assert perceptual_hash(io.BytesIO(PDF), "application/pdf") is None
    assert perceptual_hash(io.BytesIO(jpeg(1)[:300]), "image/jpeg") is None
    assert perceptual_hash(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50), "image/png") is None


def test_k9_banded_search_finds_exactly_the_pairs_a_full_comparison_finds():
    rnd = random.Random(7)
    hashes = [rnd.getrandbits(64) for _ in range(300)]
    # plant near copies: flip up to 8 bits
    for i in range(60):
        bits = rnd.sample(range(64), rnd.randrange(0, 9))
        hashes.append(hashes[i] ^ sum(1 << b for b in bits))
    for distance in (0, 3, 8, 20):
        expected = {
            (i, j, (a ^ b).bit_count())
            for (i, a), (j, b) in itertools.combinations(enumerate(hashes), 2)
            if (a ^ b).bit_count() <= distance
        }
        assert set(near_pairs(hashes, distance)) == expected


# --- upload and backfill -----------------------------------------------------------------------------


def test_k9_upload_stores_the_phash_of_a_photo_and_none_of_a_pdf_or_broken_image(package, items, file_report):
    photo, pdf, broken = file_report(
        package, 2025, 3, [("活动.jpg", jpeg(1)), ("签到表.pdf", PDF), ("坏图.jpg", jpeg(2)[:400])]
    )
    assert photo.phash == _hash(jpeg(1))
    assert pdf.phash is None
    assert broken.phash is None  # uploaded all the same, no 500


def test_k9_backfill_hashes_old_photos_and_skips_missing_files(package, items, file_report, capsys):
    first, second, pdf = file_report(package, 2025, 3, [("a.jpg", jpeg(1)), ("b.png", png(2)), ("c.pdf", PDF)])
    ReportAttachment.objects.update(phash=None)
    second.file.storage.delete(second.file.name)
    call_command("backfill_phash")
    first.refresh_from_db()
    second.refresh_from_db()
    pdf.refresh_from_db()
    assert first.phash == _hash(jpeg(1))
    assert second.phash is None and pdf.phash is None
    assert "hashed 1" in capsys.readouterr().out


# --- the same file -----------------------------------------------------------------------------------


def test_k9_same_photo_in_two_months_is_a_reuse(package, items, file_report):
    (march,) = file_report(package, 2025, 3, [("活动.jpg", jpeg(1))])
    (april,) = file_report(package, 2025, 4, [("活动照片.jpg", jpeg(1))])
    (reuse,) = k9_same_file_reuses()
    assert reuse.kind == SAME_FILE and reuse.distance == 0
    assert reuse.attachment_ids == (march.pk, april.pk)
    assert reuse.report_ids == (march.report_id, april.report_id)
    assert (reuse.earlier.month, reuse.later.month) == (3, 4)
    assert reuse.later.agency_organisation_id == package.agency.organisation_id
    assert reuse.later.town_name == package.town.name
    assert reuse.subject_key == f"{march.pk}-{april.pk}"


def test_k9_same_photo_in_another_package_is_a_reuse(package, items, other_package, other_items, file_report):
    file_report(package, 2025, 3, [("活动.jpg", jpeg(1))])
    file_report(other_package, 2025, 3, [("活动.jpg", jpeg(1))])
    (reuse,) = k9_same_file_reuses()
    assert {reuse.earlier.package_id, reuse.later.package_id} == {package.pk, other_package.pk}


def test_k9_same_photo_for_two_communities_of_one_report_is_a_reuse(package, items, file_report):
    file_report(package, 2025, 3, [("活动.jpg", jpeg(1))], item=items["activity"])  # community 0
    file_report(package, 2025, 3, [("活动.jpg", jpeg(1))], item=items["visits"])  # community 1
    (reuse,) = k9_same_file_reuses()
    assert reuse.earlier.community_id != reuse.later.community_id


def test_k9_keeping_the_rule_gives_no_reuse(package, items, file_report):
    # different photos each month; the same photo twice for one item of one month; a PDF form re-used
    # inside one report; and a draft that has not been filed yet
    file_report(package, 2025, 3, [("a.jpg", jpeg(1)), ("b.jpg", jpeg(2))])
    file_report(package, 2025, 4, [("c.jpg", jpeg(3))])
    file_report(package, 2025, 5, [("d.jpg", jpeg(4)), ("d2.jpg", jpeg(4))], item=items["activity"])
    file_report(package, 2025, 6, [("e.jpg", jpeg(1))], status=ServiceReport.Status.DRAFT)
    assert k9_same_file_reuses() == []
    assert k9_near_duplicate_photos() == []


def test_k9_a_correction_copying_its_attachments_is_no_reuse(package, items, file_report, worker):
    from delivery.services.reports import report_correct

    (march,) = file_report(package, 2025, 3, [("a.jpg", jpeg(1))], status=ServiceReport.Status.CONFIRMED)
    correction = report_correct(actor=worker, report=march.report)
    ServiceReport.objects.filter(pk=correction.pk).update(status=ServiceReport.Status.SUBMITTED)
    assert correction.attachments.get().phash == march.phash
    assert k9_same_file_reuses() == []
    # the recycled April photo is paired with March's first upload, once, whatever the versions
    (april,) = file_report(package, 2025, 4, [("a.jpg", jpeg(1))])
    (reuse,) = k9_same_file_reuses()
    assert reuse.attachment_ids == (march.pk, april.pk)


def test_k9_each_recycled_month_is_paired_with_the_first_use(package, items, file_report):
    uses = [file_report(package, 2025, month, [("a.jpg", jpeg(1))])[0] for month in (3, 4, 5, 6)]
    reuses = k9_same_file_reuses()
    assert [r.attachment_ids for r in reuses] == [(uses[0].pk, u.pk) for u in uses[1:]]


# --- near-identical photos ---------------------------------------------------------------------------


def test_k9_resaved_and_resized_photo_next_month_is_a_near_duplicate(package, items, file_report):
    (march,) = file_report(package, 2025, 3, [("活动.jpg", jpeg(5))])
    edits = variants(5)
    (april,) = file_report(package, 2025, 4, [("活动2.jpg", edits["resized_half"])])
    (reuse,) = k9_near_duplicate_photos()
    assert reuse.kind == NEAR_PHOTO
    assert reuse.attachment_ids == (march.pk, april.pk)
    assert reuse.distance == hamming(march.phash, april.phash)
    assert k9_same_file_reuses() == []


def test_k9_near_duplicate_excludes_exact_copies_and_different_photos(
    package, items, other_package, other_items, file_report
):
    file_report(package, 2025, 3, [("a.jpg", jpeg(1)), ("b.jpg", jpeg(2))])
    file_report(package, 2025, 4, [("a.jpg", jpeg(1)), ("c.jpg", jpeg(3))])  # exact copy: same-file rule only
    file_report(other_package, 2025, 4, [("d.jpg", jpeg(4))])
    assert k9_near_duplicate_photos() == []
    assert len(k9_same_file_reuses()) == 1


def test_k9_near_duplicate_threshold_is_a_setting(settings, package, items, file_report):
    file_report(package, 2025, 3, [("a.jpg", jpeg(6))])
    file_report(package, 2025, 4, [("b.jpg", variants(6)["cropped_edges"])])  # 6 bits away
    assert len(k9_near_duplicate_photos()) == 1
    settings.COMPLIANCE_K9_PHASH_DISTANCE = 2
    assert k9_near_duplicate_photos() == []


def test_k9_rules_take_a_fixed_number_of_queries(
    package, items, other_package, other_items, file_report, django_assert_max_num_queries
):
    def sweep():
        with django_assert_max_num_queries(2):
            same = k9_same_file_reuses()
        with django_assert_max_num_queries(2):
            near = k9_near_duplicate_photos()
        return len(same), len(near)

    file_report(package, 2025, 3, [("a.jpg", jpeg(1)), ("b.jpg", jpeg(2))])
    file_report(package, 2025, 4, [("a.jpg", jpeg(1)), ("b.jpg", variants(2)["brightened"])])
    assert sweep() == (1, 1)
    for month in (5, 6, 7):
        file_report(package, 2025, month, [("a.jpg", jpeg(1)), ("b.jpg", variants(2)["resaved_q40"])])
        file_report(other_package, 2025, month, [(f"o{month}.jpg", jpeg(10 + month))])
    # a.jpg recycled in 4 months; the re-saved b.jpg of May copied in June and July; every later b near March's
    assert sweep() == (6, 4)

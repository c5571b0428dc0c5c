"""The report form as a phone needs it (issue 13): the line filter's markup (communities and categories of this
report only, hidden until site.js shows it, so that without JavaScript every line is simply there), lines
already filled in marked for folding, the camera input for photos, the menu, and pages sent compressed."""

import gzip
import re

import pytest
from django.urls import reverse

from delivery.models import ReportAttachment, ReportLine
from delivery.services.reports import report_create

from .builders import ELF, JPEG, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(package, items, worker):
    return report_create(actor=worker, package=package, year=2025, month=3)


def _edit_page(client, report) -> str:
    return client.get(reverse("delivery:report-edit", args=[report.pk])).content.decode()


def _row(html: str, plan_item) -> str:
    start = html.index(f'<tr data-line="{plan_item.pk}"')
    return html[start : html.index("</tr>", start)]


def test_the_filter_offers_the_communities_and_categories_of_this_report_and_starts_hidden(
    client_for, report, items, world
):
    html = _edit_page(client_for(report.created_by), report)
    bar = html[html.index('data-line-filter="report-lines"') - 60 : html.index("</fieldset>")]
    # Hidden in the HTML: only site.js shows it, so without JavaScript nothing is filtered away.
    assert 'data-fold-finished data-testid="line-filter" hidden>' in bar
    c0, c1, c2 = world.communities_a1[:3]
    community_select = bar[bar.index('data-line-filter-by="community"') : bar.index("</select>")]
    by_name = sorted([c0, c1], key=lambda c: c.name)
    assert re.findall(r'<option value="([^"]*)"', community_select) == ["", "town", *(str(c.pk) for c in by_name)]
    assert f'value="{c2.pk}"' not in community_select  # no line of this report is there
    category_select = bar[bar.index('data-line-filter-by="category"') :]
    category_select = category_select[: category_select.index("</select>")]
    assert re.findall(r'<option value="([^"]*)"', category_select) == ["", "basic", "governance"]
    assert 'data-line-filter-by="unfinished"' in bar and "data-line-count" in bar
    # The filter's controls have no name: they are never sent with the report, nor autosaved.
    assert " name=" not in bar
    assert 'id="report-lines"' in html


def test_every_line_says_where_it_is_and_what_category_it_belongs_to(client_for, report, items, world):
    html = _edit_page(client_for(report.created_by), report)
    activity = _row(html, items["activity"])
    assert f'data-community="{world.communities_a1[0].pk}" data-category="basic"' in activity
    line = ReportLine.objects.get(report=report, plan_item=items["activity"])
    assert f'data-report-line="{line.pk}"' in activity  # what the attachment's line choice is filtered by
    assert re.search(r'<select name="line"[^>]*data-line-choice="report-lines"', html)
    assert 'data-community="town" data-category="basic"' in _row(html, items["station"])
    assert 'data-category="governance"' in _row(html, items["rental"])
    assert f'data-line="{items["filed_pending"].pk}"' not in html  # a filed item still pending is not reported


def test_a_line_is_filled_in_once_it_has_a_figure_and_a_description(client_for, report, items):
    ReportLine.objects.filter(report=report, plan_item=items["activity"]).update(attendances=20, narrative="兴趣班")
    ReportLine.objects.filter(report=report, plan_item=items["visits"]).update(households=4)  # no description
    ReportLine.objects.filter(report=report, plan_item=items["rental"]).update(narrative="无")  # no figure
    html = _edit_page(client_for(report.created_by), report)
    done = _row(html, items["activity"])
    assert 'data-finished="true"' in done
    assert "已填好" in done and "data-line-toggle hidden" in done  # the fold button waits for site.js
    for key in ("visits", "rental", "station"):
        assert 'data-finished="false"' in _row(html, items[key]) and "data-line-toggle" not in _row(html, items[key])
    assert "至少一项数字大于 0 并写了服务情况" in html  # the page says what "filled in" means


def test_a_filled_line_with_an_error_is_not_folded_away(client_for, report, items):
    activity = items["activity"].pk
    response = client_for(report.created_by).post(
        reverse("delivery:report-edit", args=[report.pk]),
        {
            "summary": "小结",
            f"line-{activity}-sessions": "2",
            f"line-{activity}-attendances": "-5",
            f"line-{activity}-narrative": "兴趣班",
            "action": "save",
        },
    )
    assert response.status_code == 400
    row = _row(response.content.decode(), items["activity"])
    assert 'data-finished="false"' in row and 'aria-invalid="true"' in row


def test_the_photo_input_opens_the_camera_and_the_file_input_still_takes_a_pdf(client_for, report):
    html = _edit_page(client_for(report.created_by), report)
    photo = re.search(r'<input type="file" name="photo"[^>]*>', html).group(0)
    assert 'accept="image/*"' in photo and 'capture="environment"' in photo and 'form="report-form"' in photo
    assert "required" not in photo
    file_input = re.search(r'<input type="file" name="file"[^>]*>', html).group(0)
    assert "capture" not in file_input and "application/pdf" in file_input


def test_a_photo_from_the_camera_is_attached_to_its_line(client_for, report, items):
    line = ReportLine.objects.get(report=report, plan_item=items["activity"])
    response = client_for(report.created_by).post(
        reverse("delivery:report-attach", args=[report.pk]),
        {"photo": upload("IMG_0001.jpg", JPEG), "line": line.pk},
        follow=True,
    )
    assert "附件“IMG_0001.jpg”已上传。" in response.content.decode()
    assert ReportAttachment.objects.get(report=report).line == line


def test_a_photo_and_a_file_chosen_together_are_both_attached(client_for, report):
    client_for(report.created_by).post(
        reverse("delivery:report-attach", args=[report.pk]),
        {"photo": upload("现场.jpg", JPEG), "file": upload("签到表.png", PNG, "image/png")},
    )
    assert sorted(ReportAttachment.objects.values_list("original_name", flat=True)) == ["现场.jpg", "签到表.png"]


def test_a_photo_that_is_no_image_is_refused_with_the_reason(client_for, report):
    response = client_for(report.created_by).post(
        reverse("delivery:report-attach", args=[report.pk]), {"photo": upload("photo.jpg", ELF)}, follow=True
    )
    assert "附件未上传：文件内容不是 JPG/PNG/PDF" in response.content.decode()
    assert not ReportAttachment.objects.exists()


def test_an_upload_without_a_file_says_what_to_choose(client_for, report):
    response = client_for(report.created_by).post(
        reverse("delivery:report-attach", args=[report.pk]), {"line": ""}, follow=True
    )
    assert "请选择要上传的文件，或用“拍照上传”拍一张照片。" in response.content.decode()


def test_the_top_bar_has_a_menu_button_for_phones(client_for, worker):
    html = client_for(worker).get(reverse("directory:home")).content.decode()
    assert 'data-menu-toggle aria-controls="site-header" aria-expanded="false"' in html
    assert 'id="site-header"' in html and 'class="sections site-menu"' in html
    # Without JavaScript the button cannot open anything: the menu is then shown open.
    assert "<noscript><style>.site-header .site-menu { display: flex !important; }" in html


def test_pages_are_sent_compressed_to_browsers_that_accept_it(client_for, report):
    client = client_for(report.created_by)
    url = reverse("delivery:report-edit", args=[report.pk])
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert 'id="report-form"' in html and len(response.content) < len(html.encode()) / 3
    assert "Content-Encoding" not in client.get(url)  # a client that does not ask gets it plain


def test_an_attached_photo_is_sent_as_it_is(client_for, report):
    client = client_for(report.created_by)
    client.post(reverse("delivery:report-attach", args=[report.pk]), {"photo": upload("现场.jpg", JPEG)})
    attachment = ReportAttachment.objects.get()
    response = client.get(reverse("delivery:report-attachment", args=[attachment.pk]), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")


def test_filled_lines_fold_on_a_first_draft_but_not_on_a_returned_report(client_for, report, items):
    client = client_for(report.created_by)
    html = _edit_page(client, report)
    assert "data-fold-finished" in html and "打开页面时它们收起为一行" in html
    report.status = report.Status.RETURNED
    report.returned_reason = "请核对人次。"
    report.save()
    html = _edit_page(client, report)
    assert "data-fold-finished" not in html and "被退回的报告和更正版本打开时不收起任何条目" in html

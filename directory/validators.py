"""Identifier validators: USCC (GB 32100-2015, rule D3) and resident ID (GB 11643, rule D4)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"), code="uscc_length", params={"n": len(code)}
        )
    bad = [ch for ch in code if ch not in USCC_CHARSET]
    if bad:
        raise ValidationError(
            _("统一社会信用代码含有无效字符“%(ch)s”（不使用 I、O、Z、S、V）。"),
            code="uscc_charset",
            params={"ch": bad[0]},
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("统一社会信用代码第3–8位应为行政区划代码（数字）。"), code="uscc_region")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对后重新输入。"), code="uscc_check")


def resident_id_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("居民身份证号码应为18位。"), code="rid_length")
    if not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise ValidationError(_("居民身份证号码前17位应为数字，末位为数字或X。"), code="rid_charset")
    try:
        born = datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="rid_birth") from None
    if born.year < 1900 or born > timezone.localdate():
        raise ValidationError(_("居民身份证号码中的出生日期无效。"), code="rid_birth")
    if resident_id_check_char(code[:17]) != code[17]:
        raise ValidationError(_("居民身份证号码校验位错误，请核对后重新输入。"), code="rid_check")


def mask_resident_id(value: str) -> str:
    """Show the first 4 and last 4 characters only (D4)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


# The platform's records (tenders, packages, assessment periods) lie within these years; a date outside is a
# typing mistake, and one near 9999 would overflow the date arithmetic of service periods.
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def plausible_date_problem(day) -> str | None:
    """A message when a date of the platform's records lies outside EARLIEST_YEAR..LATEST_YEAR, else None."""
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return _("日期应在 %(a)d 年至 %(b)d 年之间。") % {"a": EARLIEST_YEAR, "b": LATEST_YEAR}
    return None

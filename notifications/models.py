"""In-app notifications (the bell) and the daily email digest.

This app sits just above `directory` (it knows users and nothing else), so every app above it — procurement,
delivery, evaluation, funds, compliance — can tell people what they must act on, at the moment it happens.
A notification is one row per user × kind × subject: telling a user the same thing twice updates nothing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        FINDING = "finding", _("合规问题")
        REPORT_RETURNED = "report_returned", _("月报被退回")
        REPORT_SUBMITTED = "report_submitted", _("月报待确认")
        REPORT_DUE = "report_due", _("月报即将到期")
        REPORT_OVERDUE = "report_overdue", _("月报逾期")
        PLAN_REVIEW = "plan_review", _("服务计划待审核")
        EVALUATION_ASSIGNED = "evaluation_assigned", _("评估任务")
        TENDER_DEADLINE = "tender_deadline", _("招标截止")
        QUALIFICATION_EXPIRY = "qualification_expiry", _("资质即将到期")
        OTHER = "other", _("其他")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("接收人")
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    # What it is about, as a stable key ("finding:12", "report:7:returned:2"): the same key is one notification.
    subject_key = models.CharField(_("事项标识"), max_length=100)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "subject_key"], name="notification_one_per_subject"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice about the daily email digest. No row means the default: email on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("用户"),
    )
    email_digest = models.BooleanField(_("接收每日邮件汇总"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("消息设置")
        verbose_name_plural = _("消息设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.email_digest}"


class DigestSent(models.Model):
    """One row per user and day a digest went out: the claim that makes the digest at most one a day, also when
    the task runs twice or on two workers at once (the unique constraint decides who sends)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent", verbose_name=_("接收人")
    )
    day = models.DateField(_("日期"))
    notification_count = models.PositiveIntegerField(_("消息条数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("邮件汇总记录")
        verbose_name_plural = _("邮件汇总记录")
        ordering = ["-day", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_user_day")]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"

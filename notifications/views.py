"""Pages of the notifications app: the list behind the bell, opening and marking read, the email switch.
Every page is the user's own: another user's notification is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .forms import PreferenceForm
from .selectors import email_digest_on, notification_list
from .services import notification_mark_read, notifications_mark_all_read, preference_set, safe_url

PAGE_SIZE = 30


def _back(request) -> str:
    """Back to the list page the user came from (its page number only: never a URL taken from the request)."""
    url = reverse("notifications:list")
    page = request.POST.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
@require_GET
def notification_list_view(request):
    page = Paginator(notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Opening a notification marks it read and goes to its subject (a same-site path, else the list)."""
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect(safe_url(notification.url) or reverse("notifications:list"))


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(notification_list(user=request.user), pk=pk)
    notification_mark_read(actor=request.user, notification=notification)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": count})
    return redirect(reverse("notifications:list"))


@login_required
@require_http_methods(["GET", "POST"])
def preference_edit(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preference_set(actor=request.user, email_digest=form.cleaned_data["email_digest"])
            messages.success(request, _("消息设置已保存。"))
            return redirect(reverse("notifications:settings"))
    else:
        form = PreferenceForm(initial={"email_digest": email_digest_on(user=request.user)})
    return render(request, "notifications/preference_edit.html", {"form": form, "has_email": bool(request.user.email)})

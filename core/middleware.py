import json

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese is the language of every page unless the user chose another with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a civil-affairs platform in
    Suzhou shows Chinese to everyone first, and English only on request (the language cookie)."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class RejectNulCharactersMiddleware:
    """No text anyone types contains the NUL character, and PostgreSQL cannot store one: a request that
    carries it (query string, form fields, a JSON body; file contents are not looked at) gets a 400 with a
    message before any view or service sees it, on every page and endpoint alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if any(_has_nul(k) or _has_nul(v) for k, v in request.GET.lists()) or "\x00" in request.path:
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(_has_nul(k) or _has_nul(values) for k, values in request.POST.lists())
        if content_type == "application/json":
            try:
                return _has_nul(json.loads(request.body or b"null"))
            except (ValueError, UnicodeDecodeError):
                return False  # not JSON: the API's parser answers with its own 400
        return False

    @staticmethod
    def _refuse(request):
        message = _("输入中含有无效字符（NUL），请删除后重新提交。")
        if request.path.startswith("/api/") or request.content_type == "application/json":
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

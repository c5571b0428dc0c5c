from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _

from .parsers import loads_bounded


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
    # Iterative: a JSON body may nest as deep as the json module allows, deeper than the stack left here.
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
    return False


class RejectNulCharactersMiddleware:
    """No text anyone types contains the NUL character, and PostgreSQL cannot store one: a request that
    carries it (query string, form fields, a JSON body; file contents are not looked at) gets a 400 with a
    message before any view or service sees it, on every page and endpoint alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            carries_nul = self._carries_nul(request)
        except RequestDataTooBig:
            return self._refuse(request, _("请求内容过大，请缩短后重新提交。"), status=413)
        if carries_nul:
            return self._refuse(request, _("输入中含有无效字符（NUL），请删除后重新提交。"))
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
                return _has_nul(loads_bounded(request.body or b"null"))
            except (ValueError, UnicodeDecodeError):
                return False  # not JSON, or nested too deeply: the API's parser answers with its own 400
        return False

    @staticmethod
    def _refuse(request, message, status=400):
        if request.path.startswith("/api/") or request.content_type == "application/json":
            return JsonResponse({"detail": message}, status=status)
        response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        response.status_code = status
        return response


class CompressTextMiddleware(GZipMiddleware):
    """Gzip pages and API answers (HTML, JSON, CSV, text) for browsers that accept it: a report form of twenty-odd
    lines shrinks about tenfold, which is what a phone on a mobile network waits for (docs/PERFORMANCE.md).
    Files that are compressed already (JPG, PNG, PDF, xlsx) are sent as they are; static files are compressed
    ahead of time by WhiteNoise in production. Django's GZipMiddleware pads each compressed answer with random
    bytes against BREACH (CSRF tokens sit in every form)."""

    COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(self.COMPRESSIBLE):
            return response
        return super().process_response(request, response)

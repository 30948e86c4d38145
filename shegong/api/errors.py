"""Errors as the API returns them: {"detail": …} with a Chinese message, field errors as
[{"field": …, "message": …}]."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from shegong.edits import EditConflict, last_change

from . import auth

PYDANTIC_MESSAGES = {
    "missing": "必填。",
    "int_parsing": "须为整数。",
    "int_type": "须为整数。",
    "int_from_float": "须为整数。",
    "decimal_parsing": "须为数字。",
    "decimal_type": "须为数字。",
    "float_parsing": "须为数字。",
    "date_from_datetime_parsing": "须为日期，如 2030-03-20。",
    "date_parsing": "须为日期，如 2030-03-20。",
    "date_type": "须为日期，如 2030-03-20。",
    "string_type": "须为文字。",
    "string_too_long": "太长。",
    "bool_parsing": "须为 true 或 false。",
    "bool_type": "须为 true 或 false。",
    "list_type": "须为列表。",
    "too_long": "条数太多。",
    "too_short": "条数太少。",
    "greater_than_equal": "数值太小。",
    "less_than_equal": "数值太大。",
    "model_attributes_type": "须为 JSON 对象。",
    "dict_type": "须为 JSON 对象。",
    "json_invalid": "不是有效的 JSON。",
}


def field_errors(error):
    """[{"field", "message"}] of a Django ValidationError."""
    if hasattr(error, "error_dict"):
        return [
            {"field": name, "message": message}
            for name, errors in error.message_dict.items()
            for message in errors
        ]
    return [{"field": "__all__", "message": m} for m in error.messages]


def _schema_field(item):
    loc = [str(p) for p in item.get("loc", ()) if p not in ("body", "query", "path", "payload")]
    return ".".join(loc) or "__all__"


def install(api, current_values):
    """Register the handlers on `api`. `current_values(obj)` gives what a 409 shows of an
    object someone else changed."""

    def reply(request, status, body, **headers):
        response = api.create_response(request, body, status=status)
        for k, v in headers.items():
            response[k] = v
        return response

    @api.exception_handler(ValidationError)
    def validation(request, exc):
        return reply(request, 422, {"detail": field_errors(exc)})

    @api.exception_handler(SchemaError)
    def schema(request, exc):
        detail = [
            {
                "field": _schema_field(item),
                "message": PYDANTIC_MESSAGES.get(item.get("type"), "格式不正确。"),
            }
            for item in exc.errors
        ]
        return reply(request, 422, {"detail": detail})

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return reply(request, 403, {"detail": str(exc) or "您无权进行此操作。"})

    @api.exception_handler(Http404)
    def missing(request, exc):
        return reply(request, 404, {"detail": str(exc) or "没有找到，或您无权查看。"})

    @api.exception_handler(EditConflict)
    def conflict(request, exc):
        by, at = last_change(exc.obj)
        return reply(
            request,
            409,
            {
                "detail": f"保存失败：已被{by}修改，请按当前内容和版本号重新提交。",
                "changed_by": by,
                "changed_at": at.isoformat() if at else None,
                "version": exc.obj.version,
                "current": current_values(exc.obj),
            },
        )

    @api.exception_handler(auth.NotAuthenticated)
    def unauthenticated(request, exc):
        return reply(request, 401, {"detail": exc.message}, **{"WWW-Authenticate": "Bearer"})

    @api.exception_handler(AuthenticationError)
    def no_credentials(request, exc):
        return reply(
            request,
            401,
            {"detail": "请先登录，或在请求头中提供接口令牌：Authorization: Bearer <密钥>。"},
            **{"WWW-Authenticate": "Bearer"},
        )

    @api.exception_handler(auth.ReadOnlyToken)
    def read_only(request, exc):
        return reply(request, 403, {"detail": "该接口令牌为只读，不能登记、修改或删除。"})

    @api.exception_handler(auth.WrongUnit)
    def wrong_unit(request, exc):
        return reply(request, 403, {"detail": "as_unit 须为您所在单位的代码。"})

    @api.exception_handler(auth.RateLimited)
    def limited(request, exc):
        return reply(
            request,
            429,
            {"detail": f"调用过于频繁，请 {exc.retry_after} 秒后再试。"},
            **{"Retry-After": str(exc.retry_after)},
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return reply(request, exc.status_code, {"detail": str(exc)})

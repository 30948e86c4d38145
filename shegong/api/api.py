"""The REST API for other systems (django-ninja): OpenAPI at /api/openapi.json, docs at
/api/docs with the bundled Swagger UI. Routers are thin over the services and selectors."""

from ninja import NinjaAPI

from . import activities, articles, auth, errors, notices, reports, statistics, units, visits
from .activities import current_values

api = NinjaAPI(
    title="社工平台开放接口",
    version="1",
    description="供其他系统调用。认证：请求头 Authorization: Bearer <接口令牌>。详见 docs/api.md。",
    auth=[auth.TokenAuth(), auth.Session()],
    urls_namespace="api",
)
errors.install(api, current_values)
api.add_router("/units/", units.router)
api.add_router("/notices/", notices.router)
api.add_router("/activities/", activities.router)
api.add_router("/visits/", visits.router)
api.add_router("/reports/", reports.router)
api.add_router("/statistics/", statistics.router)
api.add_router("/articles/", articles.router)

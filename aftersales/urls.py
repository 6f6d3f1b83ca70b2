from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path

from aftersales.api import api
from aftersales.core.api import no_such_endpoint
from aftersales.core.media import serve as serve_media
from aftersales.core.retention_views import retention_export
from aftersales.surveys.urls import public_urlpatterns as survey_public_urls

admin.site.site_header = "售后服务管理系统 · 后台管理"
admin.site.site_title = "售后服务管理后台"
admin.site.index_title = "配置与主数据"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin-reports/retention.xlsx", retention_export, name="retention_export"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", no_such_endpoint),
    re_path(r"^media/(?P<path>.+)$", serve_media, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notifications/", include("aftersales.notifications.urls")),
    path("imports/", include("aftersales.imports.urls")),
    path("dispatch/", include("aftersales.dispatch.urls")),
    path("", include("aftersales.service.urls")),
    path("parts/", include("aftersales.parts.urls")),
    path("returns/", include("aftersales.returns.urls")),
    path("maintenance/", include("aftersales.maintenance.urls")),
    path("dealers/", include("aftersales.dealers.urls")),
    path("charges/", include("aftersales.charges.urls")),
    path("stock/", include("aftersales.stock.urls")),
    path("quality/", include("aftersales.quality.urls")),
    path("kb/", include("aftersales.knowledge.urls")),
    path("approvals/", include("aftersales.approvals.urls")),
    path("workbench/", include("aftersales.workbench.urls")),
    path("reports/", include("aftersales.reports.urls")),
    path("surveys/", include("aftersales.surveys.urls")),
    path("", include((survey_public_urls, "survey_public"))),
    path("", include("aftersales.web.urls")),
]

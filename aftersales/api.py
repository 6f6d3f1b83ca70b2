"""REST API v1: one NinjaAPI, one router per domain app. OpenAPI at /api/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from aftersales.accounts.api import router as accounts_router
from aftersales.approvals.api import router as approvals_router
from aftersales.catalog.api import router as catalog_router
from aftersales.charges.api import router as charges_router
from aftersales.core.api import AUTH, install_error_handlers
from aftersales.customers.api import router as customers_router
from aftersales.dealers.api import router as dealers_router
from aftersales.dispatch.api import router as dispatch_router
from aftersales.imports.api import router as imports_router
from aftersales.installed_base.api import router as installed_base_router
from aftersales.knowledge.api import router as knowledge_router
from aftersales.maintenance.api import router as maintenance_router
from aftersales.notifications.api import router as notifications_router
from aftersales.parts.api import router as parts_router
from aftersales.quality.api import router as quality_router
from aftersales.returns.api import router as returns_router
from aftersales.service.api import public as service_public_router
from aftersales.service.api import router as service_router
from aftersales.stock.api import router as stock_router

api = NinjaAPI(
    title="售后服务管理系统 API",
    version="1",
    description="报修、派工、保修判定与主数据接口。认证：`Authorization: Bearer <令牌>`（POST /api/v1/auth/token 获取）或浏览器会话。错误统一为 `{code, message}`。",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)

ROUTERS = [
    ("/v1/", accounts_router),
    ("/v1/", customers_router),
    ("/v1/", installed_base_router),
    ("/v1/", dealers_router),
    ("/v1/", catalog_router),
    ("/v1/", service_router),
    ("/v1/public/", service_public_router),
    ("/v1/", imports_router),
    ("/v1/", notifications_router),
    ("/v1/", approvals_router),
    ("/v1/", parts_router),
    ("/v1/", returns_router),
    ("/v1/", quality_router),
    ("/v1/", dispatch_router),
    ("/v1/", knowledge_router),
    ("/v1/", stock_router),
    ("/v1/", maintenance_router),
    ("/v1/", charges_router),
]
for prefix, router in ROUTERS:
    api.add_router(prefix, router)

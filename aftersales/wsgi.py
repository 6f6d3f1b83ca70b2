import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
application = get_wsgi_application()

# Each web worker renders a throwaway report PDF before it takes requests, so the first
# customer's PDF does not pay for WeasyPrint's start-up (issue 9 #20; PDF_WARMUP=0 skips it).
if os.environ.get("PDF_WARMUP", "1") != "0":
    try:
        from aftersales.service.views.pdf import warm_up

        warm_up()
    except Exception:  # a broken PDF stack must not keep the web server down
        logging.getLogger(__name__).exception("服务报告PDF预热失败")

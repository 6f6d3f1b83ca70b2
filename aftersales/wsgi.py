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

# … and imports every view and API module (the URLconf: ~1.3 s of CPU) and loads the knowledge
# base's segmenter, pinyin and vocabulary, so the first request of a fresh worker — a
# similar-case suggestion while an agent types — does not pay for them (issue 13: it took
# seconds; KB_WARMUP=0 skips both).
if os.environ.get("KB_WARMUP", "1") != "0":
    try:
        from django.db import connections
        from django.urls import get_resolver

        from aftersales.knowledge.search.vocabulary import warm_up as kb_warm_up

        get_resolver().url_patterns  # noqa: B018 — imports the URLconf and what it names
        kb_warm_up()
        connections.close_all()  # the start-up thread's connection serves no request
    except Exception:  # e.g. the database not reachable yet: the first request loads it
        logging.getLogger(__name__).exception("知识库检索预热失败")

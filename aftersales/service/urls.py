"""URLs of the service screens, all in the ``service`` namespace: staff pages under
/service/, the customer portal under /portal/, and the public token pages /q/, /s/, /r/,
/quote/ that need no login."""

from django.urls import URLPattern, URLResolver, include, path

from aftersales.service.views import (
    agent,
    board,
    intake,
    labels,
    panels,
    pdf,
    portal,
    public,
    technician,
)

app_name = "service"

staff_urls: list[URLPattern | URLResolver] = [
    path("tickets/", agent.ticket_list, name="ticket_list"),
    path("tickets/new/", intake.ticket_new, name="ticket_new"),
    path("tickets/new/equipment/", intake.lookup_equipment, name="lookup_equipment"),
    path("tickets/new/customers/", intake.lookup_customer, name="lookup_customer"),
    path("tickets/new/pick/", intake.pick, name="pick"),
    path("tickets/<int:pk>/", agent.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/act/<slug:action>/", agent.ticket_action, name="ticket_action"),
    path("tickets/<int:pk>/warranty/override/", panels.warranty_override, name="warranty_override"),
    path("tickets/<int:pk>/quotes/new/", panels.quote_create, name="quote_create"),
    path("tickets/<int:pk>/dispatch/", panels.ticket_dispatch, name="ticket_dispatch"),
    path("quotes/<int:pk>/decision/", panels.quote_record, name="quote_record"),
    path("work-orders/<int:pk>/reassign/", panels.work_order_reassign, name="reassign"),
    path("work-orders/<int:pk>/schedule/", panels.work_order_schedule, name="schedule"),
    path("callbacks/", agent.callback_list, name="callback_list"),
    path("callbacks/<int:pk>/result/", agent.callback_result, name="callback_result"),
    path(
        "callbacks/<int:pk>/unreachable/", agent.callback_unreachable, name="callback_unreachable"
    ),
    path("dispatch/", board.dispatch_board, name="dispatch_board"),
    path("my-jobs/", technician.my_jobs, name="my_jobs"),
    path("my-jobs/<int:pk>/", technician.job_detail, name="job_detail"),
    path("my-jobs/<int:pk>/act/<slug:action>/", technician.job_action, name="job_action"),
    path("my-jobs/<int:pk>/report/", technician.report_save, name="report_save"),
    path("my-jobs/<int:pk>/report/sign/", technician.report_sign, name="report_sign"),
    path("my-jobs/<int:pk>/report/link/", technician.report_link, name="report_link"),
    path("my-jobs/<int:pk>/report/submit/", technician.report_submit, name="report_submit"),
    path("parts/search/", technician.part_search, name="part_search"),
    path("reports/<int:pk>/pdf/", pdf.report_pdf, name="report_pdf"),
    path("equipment/<int:pk>/history/", board.equipment_history, name="equipment_history"),
    path("equipment/labels/", labels.equipment_labels, name="equipment_labels"),
]

public_urls: list[URLPattern | URLResolver] = [
    path("portal/", portal.portal_home, name="portal"),
    path("portal/new/", portal.portal_new, name="portal_new"),
    path("portal/tickets/<int:pk>/", portal.portal_ticket, name="portal_ticket"),
    path("portal/tickets/<int:pk>/cancel/", portal.portal_cancel, name="portal_cancel"),
    path("portal/quotes/<int:pk>/decision/", portal.portal_quote, name="portal_quote"),
    path("portal/reports/<int:pk>/confirm/", portal.portal_confirm, name="portal_confirm"),
    path("portal/callbacks/<int:pk>/rate/", portal.portal_rate, name="portal_rate"),
    path("q/<str:token>/", public.qr_page, name="qr"),
    path("q/<str:token>/label/", public.qr_label, name="qr_label"),
    path("t/<str:token>/", public.track, name="track"),
    path("s/<str:token>/", public.survey, name="survey"),
    path("r/<str:token>/", public.report_confirm, name="report_confirm"),
    path("r/<str:token>/pdf/", pdf.report_pdf_by_link, name="report_pdf_by_link"),
    path("quote/<str:token>/", public.quote_page, name="quote"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("service/", include(staff_urls)),
    *public_urls,
]

"""URLs of the quality screens (namespace ``quality``), under /quality/."""

from django.urls import URLPattern, path

from aftersales.quality.views import capa, complaints, old_parts, reviews, warnings

app_name = "quality"

urlpatterns: list[URLPattern] = [
    path("complaints/", complaints.complaint_list, name="list"),
    path("complaints/export.xlsx", complaints.export, name="export"),
    path("complaints/new/", complaints.complaint_new, name="new"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="detail"),
    path("complaints/<int:pk>/act/<slug:action>/", complaints.complaint_action, name="act"),
    path("warnings/", warnings.warning_list, name="warnings"),
    path("warnings/<int:pk>/", warnings.warning_detail, name="warning"),
    path("warnings/<int:pk>/checks/", warnings.warning_checks, name="warning_checks"),
    path("warnings/<int:pk>/close/", warnings.warning_close, name="warning_close"),
    path("capa/", capa.capa_list, name="capas"),
    path("capa/new/", capa.capa_new, name="capa_new"),
    path("capa/<int:pk>/", capa.capa_detail, name="capa"),
    path("capa/<int:pk>/act/<slug:action>/", capa.capa_action, name="capa_act"),
    path("reviews/", reviews.review_list, name="reviews"),
    path("reviews/new/", reviews.review_new, name="review_new"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review"),
    path("reviews/<int:pk>/export.xlsx", reviews.review_export, name="review_export"),
    path("reviews/<int:pk>/act/<slug:action>/", reviews.review_action, name="review_act"),
    path("old-parts/", old_parts.old_part_list, name="old_parts"),
    path("old-parts/export.xlsx", old_parts.export, name="old_parts_export"),
    path("old-parts/new/", old_parts.old_part_new, name="old_part_new"),
    path("old-parts/<int:pk>/", old_parts.old_part_detail, name="old_part"),
    path("old-parts/<int:pk>/tag/", old_parts.old_part_tag, name="old_part_tag"),
    path("old-parts/<int:pk>/act/<slug:action>/", old_parts.old_part_action, name="old_part_act"),
]

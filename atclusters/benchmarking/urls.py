from django.urls import path

from atclusters.benchmarking import views

urlpatterns = [
    path("benchmarking/", views.index, name="benchmarking"),
    path("benchmarking/rounds/new/", views.round_open, name="benchmarking_round_open"),
    path("benchmarking/rounds/<int:round_id>/", views.round_detail, name="benchmarking_round"),
    path(
        "benchmarking/answers/<int:submission_id>/",
        views.submission_detail,
        name="benchmarking_submission",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/field/<str:code>/",
        views.submission_field,
        name="benchmarking_field",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/submit/",
        views.submission_submit,
        name="benchmarking_submit",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/review/",
        views.submission_review,
        name="benchmarking_review",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/template.xlsx",
        views.submission_template,
        name="benchmarking_template",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/upload/",
        views.submission_upload,
        name="benchmarking_upload",
    ),
    path(
        "benchmarking/answers/<int:submission_id>/peers/",
        views.comparison,
        name="benchmarking_comparison",
    ),
    path("benchmarking/clusters/<slug:slug>/", views.cluster_history, name="benchmarking_history"),
    path(
        "benchmarking/clusters/<slug:slug>/labels/<int:year>/",
        views.labels,
        name="benchmarking_labels",
    ),
    path(
        "benchmarking/clusters/<slug:slug>/report/<int:year>/",
        views.report,
        name="benchmarking_report",
    ),
    path(
        "benchmarking/clusters/<slug:slug>/report/<int:year>.pdf",
        views.report,
        {"fmt": "pdf"},
        name="benchmarking_report_pdf",
    ),
    path("benchmarking/policies/", views.policies, name="benchmarking_policies"),
    path(
        "benchmarking/policies/report.pdf",
        views.policies,
        {"fmt": "pdf"},
        name="benchmarking_policies_pdf",
    ),
    path(
        "benchmarking/policies/<slug:agency_slug>/<int:year>/",
        views.policy_edit,
        name="benchmarking_policy_edit",
    ),
]

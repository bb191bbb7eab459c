from django.urls import path

from atclusters.watch import views

urlpatterns = [
    path("watch/", views.inbox, name="watch_inbox"),
    path("watch/items.<str:fmt>", views.inbox_export, name="watch_export"),
    path("watch/items/<int:item_id>/", views.item_detail, name="watch_item"),
    path("watch/items/<int:item_id>/curate/", views.item_curate, name="watch_item_curate"),
    path("watch/items/<int:item_id>/comment/", views.comment_add, name="watch_comment_add"),
    path("watch/items/<int:item_id>/idea/", views.item_idea, name="watch_item_idea"),
    path("watch/ideas/", views.ideas, name="watch_ideas"),
    path("watch/ideas/<int:idea_id>/stage/", views.idea_stage, name="watch_idea_stage"),
    path("watch/dashboard/", views.dashboard, name="watch_dashboard"),
    path("watch/sources/", views.sources, name="watch_sources"),
    path("watch/sources/<int:source_id>/active/", views.source_active, name="watch_source_active"),
    path("watch/topics/", views.topics, name="watch_topics"),
    path("watch/topics/<int:topic_id>/public/", views.topic_public, name="watch_topic_public"),
    path(
        "watch/topics/from-technology-fields/",
        views.topics_from_technology_fields,
        name="watch_topics_from_fields",
    ),
    path("watch/topics/from-sectors/", views.topics_from_sectors, name="watch_topics_from_sectors"),
    path(
        "watch/topics/from-examples/",
        views.topics_from_examples,
        name="watch_topics_from_examples",
    ),
    path("watch/bulletins/", views.bulletins, name="watch_bulletins"),
    path("watch/bulletins/new/", views.bulletin_new, name="watch_bulletin_new"),
    path("watch/bulletins/<int:bulletin_id>/", views.bulletin_detail, name="watch_bulletin"),
    path(
        "watch/bulletins/<int:bulletin_id>.<str:fmt>",
        views.bulletin_file,
        name="watch_bulletin_file",
    ),
    path(
        "watch/bulletins/<int:bulletin_id>/send/", views.bulletin_send, name="watch_bulletin_send"
    ),
    path("watch/subscriptions/", views.subscriptions, name="watch_subscriptions"),
    path("watch/unsubscribe/<str:token>/", views.unsubscribe, name="watch_unsubscribe"),
    # Public boards, outside /watch/ (which robots.txt keeps crawlers out of).
    path("technology-watch/", views.boards, name="watch_boards"),
    path("technology-watch/<int:topic_id>/", views.board, name="watch_board"),
    path("technology-watch/<int:topic_id>.atom", views.board_feed, name="watch_board_feed"),
]

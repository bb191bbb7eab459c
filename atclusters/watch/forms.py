"""Forms of the watch pages; the rules are the services' (their refusals come back on the
fields through core.forms.add_error)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from atclusters.core.languages import LANGUAGES
from atclusters.events.models import WorkingGroup
from atclusters.registry.models import ClusterOrganisation
from atclusters.watch.models import BULLETIN_PERIODS, Idea, Item, Mode, Source, Topic


class InboxForm(forms.Form):
    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=ClusterOrganisation.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("any")), *Item.Status.choices], required=False
    )
    mode = forms.ChoiceField(
        label=_("Watch mode"), choices=[("", _("any")), *Mode.choices], required=False
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    text = forms.CharField(label=_("Words"), max_length=200, required=False)
    min_relevance = forms.IntegerField(
        label=_("Relevance at least"), min_value=0, max_value=100, required=False
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=Source.objects.none(), required=False
    )
    since = forms.DateField(
        label=_("Found from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Found until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, clusters: QuerySet[ClusterOrganisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.filter(cluster__in=clusters)  # type: ignore[attr-defined]
        self.fields["source"].queryset = Source.objects.filter(cluster__in=clusters)  # type: ignore[attr-defined]


class CurateForm(forms.Form):
    status = forms.ChoiceField(label=_("Verdict"), choices=Item.Status.choices)
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, required=False, empty_value=0,  # type: ignore[arg-type]
        choices=[("", _("none"))] + [(n, "★" * n) for n in range(1, 6)],
    )  # fmt: skip
    tags = forms.CharField(
        label=_("Tags"), max_length=600, required=False, help_text=_("Separated by commas.")
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Simple formatting is kept: paragraphs, bold, italics, lists and links."),
    )  # fmt: skip


class WithWorkingGroup(forms.Form):
    """A form naming a working group (events) among those the user sees; `group_help` says
    what the group does with it."""

    group_help: Any = ""  # a lazily translated string
    working_group = forms.ModelChoiceField(
        label=_("Working group"), queryset=WorkingGroup.objects.none(), required=False
    )

    def __init__(self, *args, groups: QuerySet[WorkingGroup], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["working_group"]
        field.queryset = groups  # type: ignore[attr-defined]
        field.help_text = self.group_help
        self.order_fields([name for name in self.fields if name != "working_group"])


class SourceForm(WithWorkingGroup):
    group_help = _("Its lead and members curate the source's items too.")

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=ClusterOrganisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.URLField(
        label=_("Feed address"), max_length=1000, assume_scheme="https",
        help_text=_("An address on the public internet: a feed, or what the kind below reads."),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Source.Kind.choices, initial=Source.Kind.FEED, required=False,
        help_text=_("What the address answers: a feed, a news sitemap or a structured source."),
    )  # fmt: skip
    interval_hours = forms.IntegerField(
        label=_("Fetch every (hours)"), min_value=1, max_value=720, initial=6
    )
    full_text = forms.BooleanField(
        label=_("Read the linked pages"), required=False,
        help_text=Source._meta.get_field("full_text").help_text,
    )  # fmt: skip

    def __init__(self, *args, clusters: QuerySet[ClusterOrganisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]


class TopicForm(WithWorkingGroup):
    group_help = _("Its lead and members curate the items filed under the topic too.")

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=ClusterOrganisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    mode = forms.ChoiceField(label=_("Watch mode (UNE 166006)"), choices=Mode.choices)
    query = forms.CharField(
        label=_("Query"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=Topic._meta.get_field("query").help_text,
    )  # fmt: skip
    threshold = forms.IntegerField(label=_("Threshold"), min_value=0, max_value=100, initial=40)
    bulletin_period = forms.ChoiceField(
        label=_("Regular bulletin"), required=False,
        choices=[("", _("none")), *BULLETIN_PERIODS],
        help_text=_(
            "The items validated in each week or month, sent to the cluster's subscribers "
            "when it ends."
        ),
    )  # fmt: skip
    public = forms.BooleanField(
        label=_("Public board"), required=False, help_text=Topic._meta.get_field("public").help_text
    )

    def __init__(self, *args, clusters: QuerySet[ClusterOrganisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]


class TopicExamplesForm(forms.Form):
    """A topic defined by example: the curator's example items among the latest validated
    ones of the clusters they curate (services.topic_from_examples)."""

    cluster = forms.ModelChoiceField(
        label=_("Cluster"), queryset=ClusterOrganisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    mode = forms.ChoiceField(label=_("Watch mode (UNE 166006)"), choices=Mode.choices)
    items = forms.ModelMultipleChoiceField(
        label=_("Example items"), queryset=Item.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(
        self, *args, clusters: QuerySet[ClusterOrganisation], items: QuerySet[Item], **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["items"].queryset = items  # type: ignore[attr-defined]


class BulletinForm(WithWorkingGroup):
    group_help = _(
        "Sent to the group's lead and members instead of the cluster's subscribers; only "
        "they read it."
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    notes = forms.CharField(
        label=_("Editor's notes"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    items = forms.ModelMultipleChoiceField(
        label=_("Items"), queryset=Item.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, items: QuerySet[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items  # type: ignore[attr-defined]


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(label=_("Receive the bulletins"), required=False)
    alerts = forms.BooleanField(
        label=_("And an alert for each highly relevant item"), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)


class IdeaForm(WithWorkingGroup):
    group_help = _("The working group that takes it up, if any.")
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    stage = forms.ChoiceField(label=_("Stage"), choices=Idea.Stage.choices)


class IdeaStageForm(IdeaForm):
    """Moving an idea along the chain: its stage and working group only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["title"], self.fields["description"]

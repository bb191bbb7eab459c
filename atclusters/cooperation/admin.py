"""The learned matching weights in the back office: visible, and switched on or off by the
platform admin (through the audited service)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from atclusters.cooperation import services
from atclusters.cooperation.models import LearnedWeights
from atclusters.core.permissions import PermissionDenied


@admin.register(LearnedWeights)
class LearnedWeightsAdmin(admin.ModelAdmin):
    list_display = ["question", "created_at", "positives", "mrr_default", "mrr_learned", "active"]
    list_filter = ["question", "active"]
    readonly_fields = [field.name for field in LearnedWeights._meta.fields]
    actions = ["use", "stop_using"]

    def has_add_permission(self, request):
        return False  # fitted by `atclusters cooperation learn`

    @admin.display(description=_("held-out MRR, default weights"))
    def mrr_default(self, row: LearnedWeights) -> str:
        return f"{row.evaluation.get('default', {}).get('mrr', 0):.3f}"

    @admin.display(description=_("held-out MRR, learned weights"))
    def mrr_learned(self, row: LearnedWeights) -> str:
        return f"{row.evaluation.get('learned_ranking', {}).get('mrr', 0):.3f}"

    @admin.action(description=_("Use these weights for matching"))
    def use(self, request, queryset):
        rows = list(queryset)
        if len({row.question for row in rows}) != len(rows):
            self.message_user(request, _("Choose one set of weights per question."), messages.ERROR)
            return
        self._switch(request, rows, use=True)

    @admin.action(description=_("Stop using these weights (back to the defaults)"))
    def stop_using(self, request, queryset):
        self._switch(request, list(queryset), use=False)

    def _switch(self, request, rows: list[LearnedWeights], *, use: bool) -> None:
        try:
            for row in rows:
                services.learned_weights_use(actor=request.user, row=row, use=use)
        except PermissionDenied:
            self.message_user(
                request, _("Only the platform admin switches learned weights."), messages.ERROR
            )

from django import forms
from django.utils.translation import gettext_lazy as _

from aman.audit.events import EventType


class AuditFilterForm(forms.Form):
    case = forms.CharField(label=_("Case reference"), required=False, max_length=20)
    actor = forms.CharField(label=_("Who"), required=False, max_length=150)
    event_type = forms.ChoiceField(label=_("What"), choices=[("", _("Any event")), *EventType.choices], required=False)

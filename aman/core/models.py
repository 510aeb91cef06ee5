from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class EmergencyNumber(BaseModel):
    """An emergency or support number shown on the portal, configured by an admin."""

    label_ar = models.CharField(_("label (Arabic)"), max_length=120)
    label_fr = models.CharField(_("label (French)"), max_length=120, blank=True)
    label_ckb = models.CharField(_("label (Central Kurdish)"), max_length=120, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    number = models.CharField(_("number"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown on the portal"), default=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("emergency number")

    def __str__(self) -> str:
        return f"{self.label_ar} {self.number}"

    def label_for(self, language: str) -> str:
        return getattr(self, f"label_{language}", "") or self.label_ar

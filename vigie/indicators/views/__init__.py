"""Indicator monitoring pages (progress, campaigns, values, spreadsheets)."""

from vigie.indicators.views.campaigns import (
    action_report,
    campaign_create,
    campaign_detail,
    campaign_edit,
    campaign_list,
    missing,
    submit_drafts,
    value_detail,
    value_entry,
    value_review,
)
from vigie.indicators.views.files import export_values, template_download, upload
from vigie.indicators.views.progress import (
    axis_progress,
    indicator_detail,
    indicator_edit,
    measure_progress,
    plan_progress,
)

__all__ = [
    "action_report",
    "axis_progress",
    "campaign_create",
    "campaign_detail",
    "campaign_edit",
    "campaign_list",
    "export_values",
    "indicator_detail",
    "indicator_edit",
    "measure_progress",
    "missing",
    "plan_progress",
    "submit_drafts",
    "template_download",
    "upload",
    "value_detail",
    "value_entry",
    "value_review",
]

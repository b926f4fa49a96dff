from __future__ import annotations

from django import forms

from riskpath.core.forms import GovukForm
from riskpath.imports.readers import MAX_FILE_BYTES, MAX_ROWS

KIND_CHOICES = [("intelligence", "Intelligence"), ("missing", "Missing episodes")]


class ImportForm(GovukForm):
    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            f"A CSV (UTF-8) or Excel (.xlsx) file of up to {MAX_FILE_BYTES // (1024 * 1024)} MB "
            f"and {MAX_ROWS:,} rows, with column headings in the first row"
        ),
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
            "invalid": "Select a file to import",
        },
    )

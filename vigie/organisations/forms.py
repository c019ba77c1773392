"""Search forms of the organisation directory and of the glossary (GET, never a 500 on bad input)."""

import unicodedata

from django import forms
from dsfr.forms import DsfrBaseForm

from vigie.organisations.enums import OrganisationKind
from vigie.territories.models import Department


def fold(text: str) -> str:
    """Lower-case text without accents, for accent-insensitive search: "Préfecture" → "prefecture"."""
    decomposed = unicodedata.normalize("NFKD", text or "").casefold()
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matches(query: str, *texts: str) -> bool:
    """Every word of the query appears in one of the texts (accents and case ignored)."""
    haystack = " ".join(fold(text) for text in texts if text)
    return all(word in haystack for word in fold(query).split())


class DirectorySearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom, sigle ou autre appellation",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        queryset=Department.objects.none(),
        to_field_name="code",
        empty_label="Tous les départements",
        error_messages={"invalid_choice": "Ce département n'existe pas ou n'a pas d'organisation."},
    )
    nature = forms.ChoiceField(
        label="Nature",
        required=False,
        choices=[("", "Toutes les natures"), *OrganisationKind.choices],
        error_messages={"invalid_choice": "Cette nature d'organisation n'existe pas."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = (
            Department.objects.filter(organisations__isnull=False).distinct().order_by("code")
        )
        self.fields["departement"].label_from_instance = lambda d: f"{d.code} — {d.name}"


class GlossarySearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Sigle ou mot de la définition",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

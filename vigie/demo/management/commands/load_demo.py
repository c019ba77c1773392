"""Load everything `make demo` shows: territories, both seed plans, statistics, governance, indicators, accounts,\nfunding calls and applications."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

from vigie.accounts.enums import Role
from vigie.accounts.services import DEMO_PASSWORD, create_demo_accounts
from vigie.casework.demo import load_demo as load_casework_demo
from vigie.funding.demo import load_demo as load_funding_demo

PLANS_DIR = Path(__file__).resolve().parents[3] / "plans" / "seeds"
SEED_PLANS = [("gers-2021-2024.txt", "32"), ("lot-2020-2024.txt", "46")]


class Command(BaseCommand):
    help = "Charge les données de démonstration (territoires, plans du Gers et du Lot, statistiques, comptes)."

    def step(self, label):
        self.stdout.write(self.style.MIGRATE_HEADING(f"→ {label}"))

    def handle(self, *args, **options):
        self.step("Territoires de France (Etalab, découpage administratif)")
        call_command("load_territories", stdout=self.stdout)
        self.step("Organisations et glossaires")
        call_command("load_organisations", stdout=self.stdout)
        for filename, code in SEED_PLANS:
            self.step(f"Plan départemental {filename}")
            call_command(
                "import_plan", str(PLANS_DIR / filename), department=code, stdout=self.stdout
            )
        self.step("Statistiques : base départementale SSMSI et chiffres des plans")
        call_command("load_statistics_demo", stdout=self.stdout)
        self.step("Indicateurs : définitions et valeurs de démonstration")
        call_command("load_indicators_demo", stdout=self.stdout)
        self.step("Instances de gouvernance et dispositifs locaux")
        call_command("load_governance_demo", stdout=self.stdout)
        self.step("Comptes de démonstration")
        users = create_demo_accounts()
        self.step("Financements : appels à projets 2026 et demandes de subvention inventées")
        self.load_funding(users)
        self.step(
            "Suivi individualisé : groupe « mineurs » du CLSPD de Condom, cellule de l'ISCG du Lot (personnes FICTIVES)"
        )
        members = load_casework_demo(password=DEMO_PASSWORD)
        known = {user.pk for user in users}
        self.print_accounts(users + [user for user in members if user.pk not in known])
        self.stdout.write(
            "  Membres des groupes de suivi : double authentification et charte à accepter à la première visite."
        )

    def load_funding(self, users):
        by_role = {(user.role, user.department.code): user for user in users if user.department}
        counts = load_funding_demo(
            applicants={code: by_role.get((Role.APPLICANT, code)) for code in ("32", "46")},
            agents={code: by_role.get((Role.PREFECTURE, code)) for code in ("32", "46")},
            experts={code: by_role.get((Role.PARTNER, code)) for code in ("32", "46")},
        )
        total = sum(counts.values())
        self.stdout.write(
            f"  {total} demandes de démonstration ({', '.join(f'{k} : {v}' for k, v in counts.items())})"
        )

    def print_accounts(self, users):
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                "Comptes de démonstration (mot de passe commun, démonstration uniquement) :"
            )
        )
        self.stdout.write(f"  mot de passe : {DEMO_PASSWORD}")
        for user in users:
            if user.department:
                where = user.department.name
            elif user.region:
                where = f"région {user.region.name}"
            else:
                where = "France entière"
            org = (
                f", {user.organisation.acronym or user.organisation.name}"
                if user.organisation
                else ""
            )
            territory = user.epci or user.commune
            scope = f", {territory.name}" if territory else ""
            self.stdout.write(
                f"  {user.username:<14} {user.get_role_display()} — {where}{org}{scope}"
            )

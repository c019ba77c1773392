"""The model confidentiality charter shipped with Vigie: the first version of every new group's charter.

The group edits it (each edit is a new version that every member accepts again before seeing named data).
"""

MODEL_CHARTER = """\
Charte de confidentialité du groupe de suivi individualisé

1. Objet
La présente charte fixe les règles que s'engagent à respecter les membres du groupe pour l'échange d'informations \
relatives à des personnes suivies. Elle complète le règlement intérieur adopté par le conseil local (ou, pour la \
cellule de suivi des femmes victimes, par l'instance qui l'a créée). Aucun membre n'accède à une information \
nominative avant de l'avoir acceptée.

2. Cadre légal
Article L132-5 du code de la sécurité intérieure : le conseil local de sécurité et de prévention de la délinquance \
peut constituer en son sein des groupes de travail et d'échange d'informations à vocation territoriale ou \
thématique. Les faits et informations à caractère confidentiel échangés dans ces groupes ne peuvent être \
communiqués à des tiers. L'échange se fait selon les modalités du règlement intérieur du conseil.
Article L121-6-2 du code de l'action sociale et des familles : les professionnels de l'action sociale qui \
interviennent auprès d'une même personne ou d'une même famille peuvent partager entre eux des informations à \
caractère secret, afin d'évaluer sa situation, de déterminer les mesures d'action sociale nécessaires et de les \
mettre en œuvre. Le coordonnateur en a connaissance. Le partage est limité à ce qui est strictement nécessaire. \
Le maire ou le président du conseil départemental ne reçoit que les informations strictement nécessaires à \
l'exercice de ses compétences.

3. Engagements des membres
- N'échanger que les informations nécessaires au suivi de la personne, à l'exclusion de toute appréciation \
sans lien avec ce suivi.
- Ne communiquer aucune information nominative à une personne extérieure au groupe, y compris au sein de son \
propre service, sauf obligation légale (signalement au procureur de la République, information préoccupante).
- Ne consigner les informations que dans Vigie : ni tableur, ni courriel, ni copie papier conservée.
- Réserver les informations de niveau « secret » aux professionnels de l'action sociale qui suivent la personne \
et au coordonnateur.
- Informer la personne suivie (ou ses représentants légaux) de l'existence du suivi, de son objet et de ses \
droits, sauf si cette information compromet sa sécurité.
- Signaler sans délai au coordonnateur toute divulgation, perte ou accès non autorisé.

4. Traçabilité et conservation
Chaque consultation et chaque modification d'un dossier est enregistrée dans un journal que le responsable du \
traitement peut consulter. Les dossiers clos sont supprimés à l'issue de la durée de conservation fixée par le \
groupe.

5. Fin de la participation
Le départ d'un membre du groupe met fin immédiatement à son accès. Les obligations de confidentialité demeurent \
après la fin de sa participation.

6. Sanctions
La révélation d'une information à caractère secret par une personne qui en est dépositaire est punie par \
l'article 226-13 du code pénal. Tout manquement à la présente charte peut entraîner l'exclusion du groupe.
"""

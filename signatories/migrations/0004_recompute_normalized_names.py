"""Recompute stored normalized names with the matcher's stronger normalization.

A row whose new key would collide with another (two active signatures of one organization on a
letter, or two aliases) keeps its old key: staff then see the pair on the duplicates page.
"""

from django.db import IntegrityError, migrations, transaction

from signatories.matching import normalize_name


def recompute(apps, schema_editor):
    for model_name in ["Signature", "OrganizationAlias"]:
        model = apps.get_model("signatories", model_name)
        for row in model.objects.only("pk", "name", "normalized_name").iterator():
            key = normalize_name(row.name)
            if key == row.normalized_name:
                continue
            try:
                with transaction.atomic():
                    model.objects.filter(pk=row.pk).update(normalized_name=key)
            except IntegrityError:
                pass


class Migration(migrations.Migration):
    dependencies = [("signatories", "0003_organization_directory")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]

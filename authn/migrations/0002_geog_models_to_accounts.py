"""The Geog account models now belong to `accounts`; only the migration state changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("authn", "0001_geog_tokens"),
        ("accounts", "0001_models_from_authn"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ApiToken"),
                migrations.DeleteModel(name="Organization"),
                migrations.DeleteModel(name="SigningKey"),
            ],
            database_operations=[],
        ),
    ]

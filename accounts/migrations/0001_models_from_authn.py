"""The Geog account models move here from `authn`; their tables and rows stay as they are."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

import accounts.models


def content_types_move(apps, schema_editor):
    """Admin history and permissions follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="authn", model__in=["organization", "apitoken", "signingkey"]
    ).update(app_label="accounts")


def content_types_restore(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(
        app_label="accounts", model__in=["organization", "apitoken", "signingkey"]
    ).update(app_label="authn")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("authn", "0001_geog_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organization',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=64, unique=True)),
                        ('name', models.CharField(max_length=200)),
                        ('tier', models.CharField(choices=[('free', 'Free'), ('unlimited', 'Unlimited')], default='free', max_length=16)),
                        ('tiles_per_window', models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1)])),
                        ('api_per_window', models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1)])),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'authn_organization',
                        'ordering': ['slug'],
                    },
                ),
                migrations.CreateModel(
                    name='SigningKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kid', models.CharField(editable=False, max_length=64, unique=True)),
                        ('algorithm', models.CharField(default='RS256', editable=False, max_length=16)),
                        ('private_key_encrypted', models.TextField(editable=False)),
                        ('public_jwk', models.JSONField(editable=False)),
                        ('is_active', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('retired_at', models.DateTimeField(blank=True, editable=False, null=True)),
                    ],
                    options={
                        'db_table': 'authn_signingkey',
                        'ordering': ['-created_at', '-id'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('is_active', True)), fields=('is_active',), name='authn_one_active_signing_key')],
                    },
                ),
                migrations.CreateModel(
                    name='ApiToken',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('public_id', models.CharField(editable=False, max_length=64, unique=True)),
                        ('name', models.CharField(max_length=200)),
                        ('scope', models.CharField(help_text='Space-separated scopes.', max_length=200, validators=[accounts.models.scope_validate])),
                        ('signing_kid', models.CharField(editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField()),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to='accounts.organization')),
                    ],
                    options={
                        'db_table': 'authn_apitoken',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['signing_kid', 'expires_at'], name='authn_apito_signing_aca937_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_restore),
    ]

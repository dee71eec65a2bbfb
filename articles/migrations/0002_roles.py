"""The two roles as groups with real permissions: Reviewer and Lead (DESIGN.md, Roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = [
    "view_article",
    "view_paragraph",
    "view_labelevent",
    "label_article",
    "export_article",
]
LEAD = [*REVIEWER, "import_article", "assign_article", "reset_article", "view_importrun"]


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Reviewer", REVIEWER), ("Lead", LEAD)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reviewer", "Lead"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

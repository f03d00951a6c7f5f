"""Bodies of the GitHub fix endpoints, in the shapes the LatentGEO web app reads."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from fixes.inputs import FIELD_MAX_CHARS

MAX_INPUT_ENTRIES = 200
MAX_VALUES_PER_ENTRY = 10


class GitHubSyncOutputSerializer(serializers.Serializer):
    status = serializers.CharField(default="success")
    synced_count = serializers.IntegerField()


class GitHubRepositoryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Our id: the `repo_id` of the pull request routes.")
    full_name = serializers.CharField(help_text="`owner/name`.")
    name = serializers.CharField()
    owner = serializers.CharField()
    url = serializers.CharField(help_text="The repository's page on GitHub.")
    homepage_url = serializers.CharField(allow_null=True)
    site_type = serializers.CharField(
        allow_null=True, help_text="static, nextjs, astro, hugo or jekyll; null when unknown."
    )
    default_branch = serializers.CharField()
    can_push = serializers.BooleanField(
        help_text="The connection may push to it, which a fix pull request needs."
    )
    auto_audit = serializers.BooleanField()
    auto_pr = serializers.BooleanField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["homepage_url"] = data["homepage_url"] or None
        data["site_type"] = data["site_type"] or None
        return data


class FixItemOutputSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The kind of change, or `manual`.")
    code = serializers.CharField()
    priority = serializers.CharField()
    value = serializers.CharField(allow_null=True)
    page_url = serializers.CharField()
    description = serializers.CharField()
    current_value = serializers.CharField(allow_null=True)
    impact = serializers.CharField()
    kind = serializers.ChoiceField(choices=["automatic", "manual"])


class AuditFixesOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    total_fixes = serializers.IntegerField()
    fixes = FixItemOutputSerializer(many=True)
    audit_url = serializers.CharField()
    audit_date = serializers.DateTimeField(help_text="When the audit last changed.")


class InputFieldOutputSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The field's key in the group's `values`.")
    label = serializers.CharField()
    value = serializers.CharField(allow_blank=True, help_text="The value given; empty if none.")
    placeholder = serializers.CharField()
    required = serializers.BooleanField()
    input_type = serializers.ChoiceField(choices=["text", "textarea"])


class InputGroupOutputSerializer(serializers.Serializer):
    id = serializers.CharField(
        help_text="`organization`, `site`, `language` or `author:{page_path}`: an input "
        "entry's `id`."
    )
    issue_code = serializers.CharField()
    page_path = serializers.CharField(help_text="The page the group is for; `/` for the site.")
    required = serializers.BooleanField(
        help_text="The fix would write something wrong without it: a pull request is refused "
        "(422) until it has a value."
    )
    prompt = serializers.CharField()
    fields = InputFieldOutputSerializer(many=True)


class FixInputsOutputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField()
    missing_inputs = InputGroupOutputSerializer(many=True)
    missing_required = serializers.BooleanField(
        help_text="True while a required group lacks a value: a PR request would be a 422."
    )


class FixInputEntryInputSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=300)
    issue_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    page_path = serializers.CharField(max_length=2048, required=False, allow_blank=True)
    values = serializers.DictField(
        child=serializers.CharField(max_length=FIELD_MAX_CHARS["textarea"], allow_blank=True)
    )

    def validate_id(self, value: str) -> str:
        if value not in self.context.get("group_ids", ()):
            raise serializers.ValidationError("Unknown fix input group for this audit.")
        return value

    def validate_values(self, value: dict) -> dict:
        if len(value) > MAX_VALUES_PER_ENTRY:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {MAX_VALUES_PER_ENTRY} elements."
            )
        return value


class FixInputsInputSerializer(serializers.Serializer):
    inputs = FixInputEntryInputSerializer(many=True, max_length=MAX_INPUT_ENTRIES)


# The detail of the 422 answered when fix inputs are missing: the groups still to give.
@extend_schema_serializer(component_name="MissingInputsDetail")
class MissingInputsDetailOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    missing_inputs = InputGroupOutputSerializer(many=True)


@extend_schema_serializer(component_name="MissingInputsError")
class MissingInputsErrorOutputSerializer(serializers.Serializer):
    detail = MissingInputsDetailOutputSerializer()


class CreateFixPullRequestInputSerializer(serializers.Serializer):
    audit_id = serializers.IntegerField(min_value=1)


class AppliedFixOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    path = serializers.CharField(help_text="The file changed, as a path in the repository.")
    page_url = serializers.CharField(help_text="The page fixed; the site's root for a site file.")


class PullRequestRefOutputSerializer(serializers.Serializer):
    html_url = serializers.CharField()
    number = serializers.IntegerField()


class CreateFixPullRequestOutputSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    pr_url = serializers.CharField(allow_null=True)
    pr_number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    branch = serializers.CharField(allow_null=True)
    files_modified = serializers.ListField(child=serializers.CharField())
    fixes_applied = AppliedFixOutputSerializer(many=True)
    manual = serializers.ListField(child=serializers.CharField())
    pr = PullRequestRefOutputSerializer(allow_null=True)
    message = serializers.CharField(required=False)


class PullRequestOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pr_number = serializers.IntegerField(source="number")
    title = serializers.CharField()
    html_url = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "merged", "closed"])
    files_changed = serializers.ListField(child=serializers.CharField())
    audit_id = serializers.IntegerField()
    expected_improvements = serializers.SerializerMethodField(
        help_text="Findings the PR fixes, by code: how many fixes each."
    )

    def get_expected_improvements(self, record) -> list[dict]:
        counts: dict[str, int] = {}
        for fix in record.fixes_applied:
            counts[fix["code"]] = counts.get(fix["code"], 0) + 1
        return [{"code": code, "fixes": count} for code, count in counts.items()]


class GitHubWebhookOutputSerializer(serializers.Serializer):
    status = serializers.CharField(default="success")
    event = serializers.CharField()

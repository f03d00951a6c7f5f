"""Fix input groups in the web app's shape: each group's fields with the values given so far."""

from fixes import FixInputs, InputGroup


def input_groups_data(groups: list[InputGroup], inputs: FixInputs) -> list[dict]:
    """The groups as the app reads them (`id`, `issue_code`, ..., `fields` with `value`)."""
    return [
        {
            "id": group.id,
            "issue_code": group.issue_code,
            "page_path": group.page_path,
            "required": group.required,
            "prompt": group.prompt,
            "fields": [
                {
                    "key": field.key,
                    "label": field.label,
                    "value": inputs.value(group.id, field.key) or "",
                    "placeholder": field.placeholder,
                    "required": field.required,
                    "input_type": field.input_type,
                }
                for field in group.fields
            ],
        }
        for group in groups
    ]

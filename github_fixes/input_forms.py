"""Fix input groups in the web app's shape: each group's fields with the values given so far.

The same groups answer a fix-inputs read and a pull request refused for missing inputs
(inside the error's detail), so both are rendered by InputGroupOutputSerializer, the shape
the schema documents for each.
"""

from dataclasses import asdict

from fixes import FixInputs, InputGroup
from github_fixes.serializers import InputGroupOutputSerializer


def input_groups_data(groups: list[InputGroup], inputs: FixInputs) -> list[dict]:
    """The groups as the app reads them (`id`, `issue_code`, ..., `fields` with `value`)."""
    return InputGroupOutputSerializer(
        [
            {
                **asdict(group),
                "fields": [
                    {**asdict(field), "value": inputs.value(group.id, field.key) or ""}
                    for field in group.fields
                ],
            }
            for group in groups
        ],
        many=True,
    ).data

"""Writes: repository sync, fix inputs, the fix pull request, webhook deliveries."""

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from connections.github_api import GitHubApi
from connections.models import Connection
from errors import catalog
from errors.exceptions import ApiError
from fixes import (
    FixInputs,
    InputGroup,
    input_groups,
    inputs_missing,
    site_changes_build,
    site_files_read_by_changes,
    site_type_detect,
)
from github_fixes.input_forms import input_groups_data
from github_fixes.locks import audit_fix_lock
from github_fixes.models import FixInputSet, FixPullRequest, GitHubDelivery, Repository
from github_fixes.pull_request_text import pull_request_body, pull_request_title
from github_fixes.selectors import fix_inputs_get
from github_fixes.states import FIX_PULL_REQUEST
from notifications.models import GITHUB_PR_MERGED, GITHUB_PR_OPENED
from notifications.services import audit_event_emit
from reports.models import Audit
from rows.saving import row_save

logger = logging.getLogger(__name__)

PR_RETRY_AFTER_SECONDS = 10
NO_FIXES_MESSAGE = "No automatic fixes for this audit."


def _site_type(api: GitHubApi, owner: str, name: str, branch: str) -> str:
    head = api.branch_head(owner, name, branch)
    if head is None:
        return ""
    files = api.tree_files(owner, name, api.commit_tree(owner, name, head))
    package = files.get("package.json")
    package_json = api.blob_read(owner, name, package.sha) if package else None
    return site_type_detect(paths=set(files), package_json=package_json)


def repositories_sync(*, connection: Connection) -> int:
    """Store every repository GitHub shows the connection; the number synced."""
    now = timezone.now()
    seen = []
    with GitHubApi(connection=connection) as api:
        for data in api.repositories_list():
            owner = (data.get("owner") or {}).get("login", "")
            branch = data.get("default_branch") or "main"
            site_type = _site_type(api, owner, data["name"], branch)
            seen.append(
                _repository_store(
                    connection=connection, data=data, site_type=site_type, synced_at=now
                ).pk
            )
    # Repositories no longer visible go, unless a fix pull request keeps their history.
    Repository.objects.filter(connection=connection).exclude(pk__in=seen).filter(
        pull_requests__isnull=True
    ).delete()
    Repository.objects.filter(connection=connection).exclude(pk__in=seen).update(can_push=False)
    return len(seen)


def repositories_sync_first(*, connection: Connection) -> None:
    """Sync the connection's repositories when none is stored (never synced, or none to show)."""
    if not Repository.objects.filter(connection=connection).exists():
        repositories_sync(connection=connection)


@transaction.atomic
def _repository_store(*, connection: Connection, data: dict, site_type: str, synced_at):
    repository = (
        Repository.objects.select_for_update()
        .filter(connection=connection, github_id=data["id"])
        .first()
    ) or Repository(connection=connection, github_id=data["id"])
    repository.full_name = data["full_name"]
    repository.name = data["name"]
    repository.owner = (data.get("owner") or {}).get("login", "")
    repository.url = data.get("html_url") or ""
    repository.homepage_url = data.get("homepage") or ""
    repository.default_branch = data.get("default_branch") or "main"
    repository.can_push = bool((data.get("permissions") or {}).get("push"))
    repository.site_type = site_type
    repository.synced_at = synced_at
    repository.full_clean(validate_unique=False, validate_constraints=False)
    repository.save()
    return repository


@transaction.atomic
def fix_inputs_save(*, audit: Audit, entries: list[dict], groups: list[InputGroup]) -> FixInputs:
    """Merge the given values into the audit's fix inputs; values of unknown keys are dropped."""
    stored, _ = FixInputSet.objects.select_for_update().get_or_create(audit=audit)
    values = dict(stored.values)
    keys = {group.id: {f.key for f in group.fields} for group in groups}
    for entry in entries:
        allowed = keys[entry["id"]]
        merged = dict(values.get(entry["id"]) or {})
        merged.update({k: v.strip() for k, v in entry["values"].items() if k in allowed})
        values[entry["id"]] = merged
    stored.values = values
    row_save(stored)
    return FixInputs(values=values)


@dataclass(frozen=True)
class FixPullRequestOutcome:
    pull_request: FixPullRequest | None
    files_modified: list[str]
    fixes_applied: list[dict]
    manual: list[str]

    def response_body(self) -> dict:
        """The answer of create-auto-fix-pr (`CreateFixPullRequestOutputSerializer`)."""
        pull = self.pull_request
        body = {
            "success": True,
            "pr_url": pull.html_url if pull else None,
            "pr_number": pull.number if pull else None,
            "title": pull.title if pull else None,
            "branch": pull.branch if pull else None,
            "files_modified": self.files_modified,
            "fixes_applied": self.fixes_applied,
            "manual": self.manual,
            "pr": {"html_url": pull.html_url, "number": pull.number} if pull else None,
        }
        if pull is None:
            body["message"] = NO_FIXES_MESSAGE
        return body


def fix_pull_request_create(
    *, connection: Connection, repository: Repository, audit: Audit
) -> FixPullRequestOutcome:
    """Commit the audit's fixes on `latentgeo/audit-{id}` and open (or update) its PR."""
    if audit.status != Audit.Status.COMPLETED:
        raise ApiError(catalog.FIX_AUDIT_NOT_COMPLETED)
    with audit_fix_lock(audit_id=audit.pk) as acquired:
        if not acquired:
            raise ApiError(
                catalog.FIX_PR_IN_PROGRESS, headers={"Retry-After": str(PR_RETRY_AFTER_SECONDS)}
            )
        return _fix_pull_request_build(connection=connection, repository=repository, audit=audit)


def _fix_pull_request_build(
    *, connection: Connection, repository: Repository, audit: Audit
) -> FixPullRequestOutcome:
    _inputs_required_check(audit)
    with GitHubApi(connection=connection) as api:
        return _fix_pull_request_push(api=api, repository=repository, audit=audit)


def _inputs_required_check(audit: Audit) -> None:
    inputs = fix_inputs_get(audit=audit)
    groups = input_groups(results=audit.results, site_url=audit.url)
    missing = [group for group in inputs_missing(groups=groups, inputs=inputs) if group.required]
    if missing:
        raise ApiError(
            catalog.FIX_INPUTS_MISSING,
            detail_extra={"missing_inputs": input_groups_data(missing, inputs)},
        )


def _files_prefetch(api: GitHubApi, owner: str, name: str, files: dict, results: dict) -> dict:
    """The files the fixes will read, fetched together rather than one by one."""
    package = files.get("package.json")
    contents = {"package.json": api.blob_read(owner, name, package.sha)} if package else {}
    wanted = site_files_read_by_changes(
        results=results, paths=set(files), package_json=contents.get("package.json")
    )
    contents.update(api.blobs_read(owner, name, {path: files[path].sha for path in wanted}))
    return contents


def _fix_pull_request_push(
    *, api: GitHubApi, repository: Repository, audit: Audit
) -> FixPullRequestOutcome:
    inputs = fix_inputs_get(audit=audit)
    owner, name = repository.owner, repository.name
    current = api.repository_get(owner, name)
    if not (current.get("permissions") or {}).get("push"):
        Repository.objects.filter(pk=repository.pk).update(can_push=False)
        raise ApiError(catalog.REPOSITORY_PUSH_DENIED)
    base = current.get("default_branch") or repository.default_branch
    base_head = api.branch_head(owner, name, base)
    if base_head is None:
        raise ApiError(catalog.GITHUB_REQUEST_FAILED, status=f"no branch {base}")
    base_tree = api.commit_tree(owner, name, base_head)
    files = api.tree_files(owner, name, base_tree)
    contents = _files_prefetch(api, owner, name, files, audit.results)

    def read(path: str) -> bytes | None:
        if path not in contents and path in files:
            contents[path] = api.blob_read(owner, name, files[path].sha)
        return contents.get(path)

    changes = site_changes_build(
        results=audit.results, site_url=audit.url, paths=set(files), read=read, inputs=inputs
    )
    applied = [
        {"code": fix.code, "path": fix.path, "page_url": fix.page_url} for fix in changes.applied
    ]
    if not changes.files:
        return FixPullRequestOutcome(None, [], applied, changes.manual_codes)

    branch = f"latentgeo/audit-{audit.pk}"
    branch_exists = api.branch_head(owner, name, branch) is not None
    host = urlsplit(audit.url).hostname or audit.url
    message = f"LatentGEO: fix {len(changes.applied)} findings of audit {audit.pk} ({host})"
    commit = api.commit_files(
        owner, name, parent=base_head, base_tree=base_tree, files=changes.files, message=message
    )
    # The branch is rebuilt from the default branch on every run, so it holds only the fixes.
    api.branch_set(owner, name, branch=branch, sha=commit, exists=branch_exists)
    title = pull_request_title(audit_id=audit.pk, host=host)
    body = pull_request_body(audit_id=audit.pk, audit_url=audit.url, changes=changes)
    existing = api.pull_find(owner, name, branch=branch)
    if existing is not None:
        pull = api.pull_update(owner, name, number=existing["number"], title=title, body=body)
    else:
        pull = api.pull_open(owner, name, branch=branch, base=base, title=title, body=body)
    record = _pull_request_store(
        audit=audit,
        repository=repository,
        pull=pull,
        branch=branch,
        head_sha=commit,
        files=sorted(changes.files),
        applied=applied,
        manual=changes.manual_codes,
    )
    logger.info(
        "fix_pull_request_opened",
        extra={"audit_id": audit.pk, "repository_id": repository.pk, "number": record.number},
    )
    return FixPullRequestOutcome(record, sorted(changes.files), applied, changes.manual_codes)


@transaction.atomic
def _pull_request_store(
    *, audit, repository, pull: dict, branch, head_sha, files, applied, manual
) -> FixPullRequest:
    record = (
        FixPullRequest.objects.select_for_update()
        .filter(repository=repository, number=pull["number"])
        .first()
    )
    opened = record is None
    record = record or FixPullRequest(repository=repository, number=pull["number"])
    record.audit = audit
    record.title = pull.get("title") or ""
    record.html_url = pull.get("html_url") or ""
    record.branch = branch
    record.head_sha = head_sha
    FIX_PULL_REQUEST.move(record, target=FixPullRequest.Status.OPEN)
    record.files_changed = files
    record.fixes_applied = applied
    record.manual = manual
    record.full_clean(validate_unique=False, validate_constraints=False)
    record.save()
    if opened:
        _pull_request_event(record, GITHUB_PR_OPENED)
    return record


def webhook_signature_check(*, body: bytes, signature: str) -> None:
    """Accept `X-Hub-Signature-256` of the raw body, compared in constant time; else 401/503."""
    secret = settings.GITHUB_WEBHOOK_SECRET
    if not secret:
        if settings.DEBUG:
            # Development without a secret: deliveries are taken unsigned.
            return
        raise ApiError(catalog.GITHUB_WEBHOOK_NOT_CONFIGURED)
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), (signature or "").encode()):
        raise ApiError(catalog.GITHUB_WEBHOOK_SIGNATURE_INVALID)


def webhook_delivery_handle(*, body: bytes, event: str, delivery_id: str) -> bool:
    """Handle a verified delivery once; False for a replay of a delivery already handled."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        payload = {}
    payload = payload if isinstance(payload, dict) else {}
    action = str(payload.get("action") or "")[:64]
    with transaction.atomic():
        if delivery_id:
            try:
                with transaction.atomic():
                    GitHubDelivery.objects.create(
                        delivery_id=delivery_id[:64], event=event[:64], action=action
                    )
            except IntegrityError:
                return False
        if event == "pull_request" and action in ("closed", "reopened"):
            _pull_request_status_update(payload=payload, action=action)
    return True


def _pull_request_status_update(*, payload: dict, action: str) -> None:
    pull = payload.get("pull_request") or {}
    full_name = (payload.get("repository") or {}).get("full_name")
    number = pull.get("number") or payload.get("number")
    if not full_name or not isinstance(number, int):
        return
    if action == "reopened":
        status = FixPullRequest.Status.OPEN
    elif pull.get("merged"):
        status = FixPullRequest.Status.MERGED
    else:
        status = FixPullRequest.Status.CLOSED
    records = (
        FixPullRequest.objects.select_for_update()
        .select_related("audit", "repository")
        .filter(repository__full_name__iexact=full_name, number=number)
    )
    for record in records:
        if record.status == status:
            continue
        if not FIX_PULL_REQUEST.allows(source=record.status, target=status):
            # GitHub never reopens nor closes a merged pull request; such a delivery is noise.
            logger.warning(
                "fix_pull_request_move_ignored",
                extra={"repository": full_name, "number": number, "status": status},
            )
            continue
        FIX_PULL_REQUEST.move(record, target=status)
        record.save(update_fields=["status", "updated_at"])
        logger.info(
            "fix_pull_request_status",
            extra={"repository": full_name, "number": number, "status": status},
        )
        if status == FixPullRequest.Status.MERGED:
            _pull_request_event(record, GITHUB_PR_MERGED)


def _pull_request_event(record: FixPullRequest, event: str) -> None:
    audit_event_emit(
        audit=record.audit,
        event=event,
        data={
            "repository": record.repository.full_name,
            "pr_number": record.number,
            "pr_url": record.html_url,
            "status": record.status,
            "files_modified": record.files_changed,
            "fixes_applied": len(record.fixes_applied),
        },
    )

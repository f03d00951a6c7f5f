"""Every error the two APIs can answer with: status, machine code and message.

`code` is the Geog envelope code for errors both APIs share and for Geog errors; for
LatentGEO-only errors it names the error (and is the `X-Auth-Error-Code` where
`auth_code` is set). `detail` is the LatentGEO wording where it differs from `message`.
Messages with `{placeholders}` are formatted with the arguments given to `ApiError`.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorSpec:
    status: int
    code: str
    message: str
    detail: str | None = None
    auth_code: str | None = None

    @property
    def latentgeo_message(self) -> str:
        return self.detail if self.detail is not None else self.message


# --- Shared by both APIs
NOT_FOUND = ErrorSpec(404, "NOT_FOUND", "Resource not found", detail="Not Found")
METHOD_NOT_ALLOWED = ErrorSpec(
    405, "METHOD_NOT_ALLOWED", "Method not allowed", detail="Method Not Allowed"
)
INTERNAL_ERROR = ErrorSpec(
    500, "INTERNAL_ERROR", "An unexpected error occurred", detail="Internal server error"
)
SERVICE_UNAVAILABLE = ErrorSpec(503, "SERVICE_UNAVAILABLE", "Service temporarily unavailable")
PAYLOAD_TOO_LARGE = ErrorSpec(
    413, "PAYLOAD_TOO_LARGE", "Request body too large", detail="Request entity too large"
)
LENGTH_REQUIRED = ErrorSpec(
    411, "LENGTH_REQUIRED", "Request body length required", detail="Length Required"
)
URI_TOO_LONG = ErrorSpec(414, "URI_TOO_LONG", "Request URI too long", detail="URI Too Long")
VALIDATION_ERROR = ErrorSpec(400, "VALIDATION_ERROR", "Validation failed")
# A request Django refuses before any view: a Host not allowed, too many fields...
BAD_REQUEST = ErrorSpec(400, "BAD_REQUEST", "Bad request", detail="Bad Request")
MALFORMED_JSON = ErrorSpec(
    400, "VALIDATION_ERROR", "Validation failed", detail="Malformed JSON request body"
)
UNSUPPORTED_MEDIA_TYPE = ErrorSpec(
    415, "UNSUPPORTED_MEDIA_TYPE", 'Unsupported media type "{media_type}" in request'
)
NOT_ACCEPTABLE = ErrorSpec(406, "NOT_ACCEPTABLE", "Could not satisfy the request Accept header")
FORBIDDEN = ErrorSpec(403, "FORBIDDEN", "Forbidden")
AUTH_REQUIRED = ErrorSpec(
    401,
    "AUTH_REQUIRED",
    "Missing or invalid authorization header",
    detail="Token no proporcionado",
    auth_code="missing_token",
)

# --- LatentGEO: Auth0 authentication (401, X-Auth-Error-Code)


def _auth0_failure(code: str, message: str) -> ErrorSpec:
    """A failed Auth0 authentication: a 401 whose `X-Auth-Error-Code` is its code."""
    return ErrorSpec(401, code, message, auth_code=code)


AUTH0_MISSING_TOKEN = _auth0_failure("missing_token", "Token no proporcionado")
AUTH0_EXPIRED_TOKEN = _auth0_failure("expired_token", "Token expirado")
AUTH0_BAD_SIGNATURE = _auth0_failure("invalid_signature", "Firma inválida")
AUTH0_MALFORMED_TOKEN = _auth0_failure("invalid_signature", "Token inválido")
AUTH0_INVALID_ISSUER = _auth0_failure("invalid_issuer", "Issuer inválido")
AUTH0_INVALID_AUDIENCE = _auth0_failure("invalid_audience", "Audience inválida")
AUTH0_MISSING_SUB = _auth0_failure("missing_sub", "Token inválido: faltante sub")
AUTH0_JWKS_UNAVAILABLE = _auth0_failure("jwks_unavailable", "No se pudo obtener JWKS de Auth0")
AUTH0_INVALID_CLIENT = _auth0_failure("invalid_client", "Client ID no autorizado")

# --- LatentGEO: OAuth state and callback
OAUTH_STATE_MISSING = ErrorSpec(400, "oauth_state_missing", "Missing OAuth state")
OAUTH_STATE_EXPIRED = ErrorSpec(400, "oauth_state_expired", "OAuth state expired")
OAUTH_STATE_INVALID = ErrorSpec(400, "oauth_state_invalid", "Invalid OAuth state")
OAUTH_STATE_PROVIDER_MISMATCH = ErrorSpec(
    400, "oauth_state_provider_mismatch", "OAuth state provider mismatch"
)
OAUTH_RETURN_TO_INVALID = ErrorSpec(400, "oauth_return_to_invalid", "Invalid OAuth return_to path")
OAUTH_STATE_USER_MISMATCH = ErrorSpec(401, "oauth_state_user_mismatch", "OAuth state user mismatch")
OAUTH_STATE_EMAIL_MISMATCH = ErrorSpec(
    401, "oauth_state_email_mismatch", "OAuth state email mismatch"
)
OAUTH_CALLBACK_INVALID = ErrorSpec(400, "oauth_callback_invalid", "Invalid OAuth callback request")
OAUTH_ACCOUNT_LINKED_ELSEWHERE = ErrorSpec(403, "oauth_account_linked_elsewhere", "Forbidden")
# The operator has not set the provider's client id: nothing a caller can fix by retrying soon.
OAUTH_PROVIDER_NOT_CONFIGURED = ErrorSpec(
    503, "oauth_provider_not_configured", "{provider_name} OAuth is not configured ({setting})"
)

# --- LatentGEO: connection ownership ({provider}: github/hubspot, {provider_name}: GitHub/HubSpot)
CONNECTION_NOT_FOUND = ErrorSpec(
    404, "connection_not_found", "Conexión de {provider} no encontrada"
)
CONNECTION_NOT_OWNED = ErrorSpec(
    403, "connection_not_owned", "No autorizado para esta conexión de {provider_name}"
)
CONNECTION_LEGACY_BLOCKED = ErrorSpec(
    403,
    "connection_legacy_blocked",
    "Conexión de {provider} legacy sin owner bloqueada en producción",
)
CONNECTION_NEEDS_REAUTH = ErrorSpec(
    409, "connection_needs_reauth", "La conexión de {provider_name} necesita volver a autorizarse"
)
# The provider's API failed (network, timeout, 5xx, an unusable answer): nothing to fix here.
PROVIDER_UNAVAILABLE = ErrorSpec(
    502, "provider_unavailable", "{provider_name} did not answer as expected"
)

# --- LatentGEO: HubSpot page changes
HUBSPOT_CHANGE_NOT_FOUND = ErrorSpec(404, "hubspot_change_not_found", "Change not found")
HUBSPOT_CHANGE_NOT_APPLIED = ErrorSpec(
    400, "hubspot_change_not_applied", "Cannot rollback a change that is not applied"
)
HUBSPOT_PAGE_CHANGED_SINCE_CHANGE = ErrorSpec(
    409, "hubspot_page_changed", "La página cambió en HubSpot desde el cambio"
)

# --- LatentGEO: audits and PDF reports
AUDIT_NOT_FOUND = ErrorSpec(404, "audit_not_found", "Auditoría no encontrada")
AUDIT_NOT_OWNED = ErrorSpec(403, "audit_not_owned", "No autorizado para esta auditoría")
AUDIT_NOT_COMPLETED = ErrorSpec(
    400, "audit_not_completed", "La auditoría debe estar completada. Estado actual: {status}"
)
PDF_IN_PROGRESS = ErrorSpec(
    409, "pdf_in_progress", "PDF generation is already in progress for this audit."
)
PDF_NOT_READY = ErrorSpec(400, "pdf_not_ready", "El PDF aún no está listo. Estado actual: {status}")
PDF_FILE_MISSING = ErrorSpec(
    404, "pdf_file_missing", "El archivo PDF no existe. Genera el PDF primero."
)
AUDIT_RUNNING = ErrorSpec(409, "audit_running", "The audit is already running.")
FIX_PLAN_NOT_READY = ErrorSpec(
    400,
    "fix_plan_not_ready",
    "El plan de correcciones aún no está listo. Estado actual: {status}",
)
MARKDOWN_REPORT_NOT_READY = ErrorSpec(
    400, "markdown_report_not_ready", "El reporte aún no está listo."
)
AUDIT_REPORT_NOT_READY = ErrorSpec(
    400, "audit_report_not_ready", "El reporte aún no está listo. Estado actual: {status}"
)
AUDIT_RUNNING_LIMIT = ErrorSpec(
    429, "audit_running_limit", "Too many audits running. Max {limit} at a time."
)
AUDIT_RUN_NOT_FOUND = ErrorSpec(
    404, "audit_run_not_found", "Ejecución de la auditoría no encontrada"
)
AUDIT_RUNS_TOO_FEW = ErrorSpec(
    400, "audit_runs_too_few", "La comparación necesita dos ejecuciones completadas"
)
AUDIT_RUN_NOT_COMPLETED = ErrorSpec(
    400, "audit_run_not_completed", "La ejecución {run} no está completada. Estado actual: {status}"
)

# --- LatentGEO: webhooks
WEBHOOK_NOT_FOUND = ErrorSpec(404, "webhook_not_found", "Webhook no encontrado")
WEBHOOK_NOT_OWNED = ErrorSpec(403, "webhook_not_owned", "No autorizado para este webhook")
WEBHOOK_LIMIT = ErrorSpec(
    409, "webhook_limit", "Too many webhooks. Max {limit} per user; delete one first."
)

LATENTGEO_RATE_LIMITED = ErrorSpec(
    429, "rate_limited", "Rate limit exceeded. Max {limit} requests per {window}s."
)

# --- LatentGEO: fixes through GitHub pull requests
REPOSITORY_NOT_FOUND = ErrorSpec(404, "repository_not_found", "Repository not found")
REPOSITORY_OTHER_CONNECTION = ErrorSpec(
    403, "repository_other_connection", "Repository does not belong to provided connection"
)
REPOSITORY_PUSH_DENIED = ErrorSpec(
    403, "repository_push_denied", "No autorizado para este repositorio"
)
FIX_AUDIT_NOT_COMPLETED = ErrorSpec(400, "fix_audit_not_completed", "Audit is not completed yet")
FIX_PR_IN_PROGRESS = ErrorSpec(
    409, "fix_pr_in_progress", "Fix pull request already in progress for this audit."
)
# LatentGEO renders this one's detail as an object carrying the groups still missing.
FIX_INPUTS_MISSING = ErrorSpec(
    422, "fix_inputs_missing", "Missing required inputs to generate safe fixes"
)
GITHUB_REQUEST_FAILED = ErrorSpec(502, "github_request_failed", "GitHub request failed ({status})")
GITHUB_WEBHOOK_SIGNATURE_INVALID = ErrorSpec(
    401, "github_webhook_signature_invalid", "Invalid signature"
)
GITHUB_WEBHOOK_NOT_CONFIGURED = ErrorSpec(
    503,
    "github_webhook_not_configured",
    "GitHub webhook secret is not configured on server",
)

# --- Geog: tokens
GEOG_INVALID_TOKEN = ErrorSpec(401, "INVALID_TOKEN", "Invalid token format")
GEOG_TOKEN_REVOKED = ErrorSpec(401, "INVALID_TOKEN", "Token has been revoked")
GEOG_TOKEN_EXPIRED = ErrorSpec(401, "TOKEN_EXPIRED", "Token has expired")
GEOG_INSUFFICIENT_SCOPE = ErrorSpec(
    403, "INSUFFICIENT_SCOPE", "Token does not have required scope: {scope}"
)
GEOG_JWKS_FETCH_FAILED = ErrorSpec(502, "JWKS_FETCH_FAILED", "Failed to fetch JWKS")

# --- Geog: tiles and rate limits
GEOG_INVALID_EXTENSION = ErrorSpec(
    400, "INVALID_EXTENSION", "Invalid tile extension. Must be 'mvt' or 'pbf'"
)
GEOG_TILE_NOT_FOUND = ErrorSpec(404, "TILE_NOT_FOUND", "Tile not found at {z}/{x}/{y}")
GEOG_TILESET_NOT_FOUND = ErrorSpec(404, "TILESET_NOT_FOUND", "Tileset '{name}' not found")
GEOG_RATE_LIMIT_EXCEEDED = ErrorSpec(
    429, "RATE_LIMIT_EXCEEDED", "Rate limit exceeded. Please retry after {seconds} seconds."
)

# --- Geog: places
GEOG_PLACE_NOT_FOUND = ErrorSpec(404, "PLACE_NOT_FOUND", "Place '{id}' not found")

/**
 * Entra's error answers: the catalogue of AADSTS errors the emulator produces and the JSON body
 * and headers Entra sends with them.
 *
 * @module
 */

/** One Entra error: HTTP status, OAuth `error`, AADSTS code and description (without the prefix). */
export interface EntraErrorSpec {
  status: number;
  error: string;
  code: number;
  description: string;
}

/** Per-request ids Entra puts in every answer. */
export interface TraceContext {
  traceId: string;
  /** The `client-request-id` header when the client sent one (Entra echoes it), else a new UUID. */
  correlationId: string;
  /** The `client-request-id` header as received, if any. */
  clientRequestId: string | null;
}

const DOCS = "Review the documentation at https://docs.microsoft.com/en-us/azure/active-directory/develop/active-directory-certificate-credentials .";

function spec(status: number, error: string, code: number, description: string): EntraErrorSpec {
  return { status, error, code, description };
}

/** The AADSTS errors of the token endpoint. Codes and texts follow what Entra answers. */
export const aadsts = {
  methodNotAllowed: (method: string) =>
    spec(405, "invalid_request", 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
  tenantNotFound: (tenant: string) =>
    spec(
      400,
      "invalid_request",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  missingParameter: (name: string) =>
    spec(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grant: string) =>
    spec(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`),
  unknownClient: (client: string, tenant: string) =>
    spec(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${client}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  scopeNotDefault: (scope: string) =>
    spec(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  /** More than one resource: Entra answers AADSTS70011 (observed for client credentials). */
  scopeMultipleResources: (scope: string) =>
    spec(
      400,
      "invalid_scope",
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  malformed: () => spec(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."),
  missingCredential: () =>
    spec(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (client: string) =>
    spec(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client}'.`,
    ),
  /** Wrong `client_assertion_type`: Entra has answered "AADSTS90011: Unexpected client assertion type." */
  assertionType: () => spec(400, "invalid_request", 90011, "Unexpected client assertion type."),
  /** A client assertion that is not a JWS compact serialization with JSON header and payload. */
  assertionMalformed: (reason: string) => spec(401, "invalid_client", 50027, `JWT token is invalid or malformed. [Reason - ${reason}]`),
  /** An algorithm other than RS256/PS256. */
  assertionAlgorithm: (alg: string) =>
    spec(401, "invalid_client", 5002738, `Invalid JWT token. '${alg}' is not a supported signature algorithm. Supported signing algorithms are: 'RS256, PS256'.`),
  assertionNoThumbprint: () =>
    spec(401, "invalid_client", 700027, "Client assertion failed signature validation. [Reason - No certificate thumbprint (x5t or x5t#S256) specified in token header.]"),
  assertionKeyNotFound: (thumbprintHex: string, client: string) =>
    spec(
      401,
      "invalid_client",
      700027,
      `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex.toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client}'.]`,
    ),
  assertionX5cMismatch: () =>
    spec(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The x5c certificate does not match the key identified by the thumbprint.]"),
  assertionSignature: (thumbprintHex: string) =>
    spec(
      401,
      "invalid_client",
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprintHex.toUpperCase()}']`,
    ),
  assertionSubject: () =>
    spec(401, "invalid_client", 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`),
  assertionAudience: () => spec(401, "invalid_client", 700023, `Client assertion audience claim does not match Realm issuer. ${DOCS}`),
  assertionLifetime: () =>
    spec(401, "invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${isoNow()}. ${DOCS}`),
  assertionMissingClaim: (claim: string) => spec(401, "invalid_client", 50027, `Invalid JWT token. The token does not contain the '${claim}' claim.`),
  /** Fault answers. */
  throttled: () =>
    spec(429, "temporarily_unavailable", 50196, "The server terminated an operation because it encountered a client request loop. Please contact your app vendor."),
  transient: (status: number) =>
    spec(status, status === 503 || status === 504 ? "temporarily_unavailable" : "server_error", 90033, "A transient error has occurred. Please try again."),
  other: (status: number) => spec(status, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."),
} as const;

function isoNow(): string {
  return new Date(Date.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Entra's timestamp format: `2026-11-27 06:00:00Z`. */
export function entraTimestamp(time = Date.now()): string {
  return new Date(time).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

/** A new trace context for a request (echoing its `client-request-id`). */
export function traceContext(request: Request): TraceContext {
  const clientRequestId = request.headers.get("client-request-id");
  return { traceId: crypto.randomUUID(), correlationId: clientRequestId || crypto.randomUUID(), clientRequestId };
}

/** The JSON body Entra sends with an error. */
export function entraErrorBody(error: EntraErrorSpec, trace: TraceContext): Record<string, unknown> {
  const timestamp = entraTimestamp();
  return {
    error: error.error,
    error_description: `AADSTS${error.code}: ${error.description}\r\nTrace ID: ${trace.traceId}\r\nCorrelation ID: ${trace.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [error.code],
    timestamp,
    trace_id: trace.traceId,
    correlation_id: trace.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.code}`,
  };
}

/** Headers Entra sends with every token endpoint answer. */
export function entraHeaders(trace: TraceContext, contentType = "application/json; charset=utf-8"): Headers {
  const headers = new Headers({
    "content-type": contentType,
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    "x-ms-request-id": trace.traceId,
  });
  if (trace.clientRequestId) headers.set("client-request-id", trace.clientRequestId);
  return headers;
}

/** A complete Entra error answer. */
export function entraErrorResponse(error: EntraErrorSpec, trace: TraceContext, extraHeaders?: HeadersInit): Response {
  const headers = entraHeaders(trace);
  if (extraHeaders) new Headers(extraHeaders).forEach((value, name) => headers.set(name, value));
  return new Response(JSON.stringify(entraErrorBody(error, trace)), { status: error.status, headers });
}

/** A JSON answer (for the discovery and control routes). */
export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body), { status, headers: h });
}

/**
 * Entra's error answers: the catalogue of AADSTS errors the emulator produces and the JSON body
 * and headers Entra sends with them.
 *
 * @module
 */
import { dotnetTime, entraTimestamp, keyDate } from "./clock.ts";

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
  /** The emulator clock's time of the request (epoch ms), for the timestamps. */
  now: number;
}

const DOCS = "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .";
const FIC_DOCS = "Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";
const GRAPH_KEYS = (client: string) => `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client}'.`;

function spec(status: number, error: string, code: number, description: string): EntraErrorSpec {
  return { status, error, code, description };
}

/** The AADSTS errors of the token endpoint. Codes and texts follow what Entra answers. */
export const aadsts = {
  methodNotAllowed: (method: string) =>
    spec(405, "invalid_request", 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`),
  tenantNotFound: (tenant: string) =>
    spec(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`),
  missingParameter: (name: string) =>
    spec(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  duplicatedParameter: (name: string) =>
    spec(400, "invalid_request", 9000411, `The request is not properly formatted. The parameter '${name}' is duplicated.`),
  unsupportedGrantType: (grant: string) =>
    spec(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`),
  unknownClient: (client: string, tenant: string) =>
    spec(400, "unauthorized_client", 700016, `Application with identifier '${client}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  scopeNotDefault: (scope: string) =>
    spec(400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  /** More than one resource: Entra answers AADSTS70011 (observed for client credentials). */
  scopeMultipleResources: (scope: string) =>
    spec(400, "invalid_scope", 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  malformed: () => spec(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."),
  missingCredential: () =>
    spec(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (client: string) =>
    spec(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client}'.`),
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
    spec(401, "invalid_client", 700027, `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex.toUpperCase()}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${client}'.]`),
  assertionX5cMismatch: () =>
    spec(401, "invalid_client", 700027, "Client assertion contains an invalid signature. [Reason - The x5c certificate does not match the key identified by the thumbprint.]"),
  assertionSignature: (thumbprintHex: string) =>
    spec(401, "invalid_client", 700027, `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprintHex.toUpperCase()}']`),
  assertionSubject: () =>
    spec(401, "invalid_client", 700021, `Client assertion application identifier doesn't match 'client_id' parameter. ${DOCS}`),
  assertionAudience: () => spec(401, "invalid_client", 700023, `Client assertion audience claim does not match Realm issuer. ${DOCS}`),
  /** Certificate found by its thumbprint, but outside its registered validity (Entra: "The key used is expired."). */
  assertionKeyExpired: (thumbprintHex: string, client: string, start: number, end: number, notYet: boolean) =>
    spec(401, "invalid_client", 700027, `Client assertion contains an invalid signature. [Reason - ${notYet ? "The key used is not yet valid." : "The key used is expired."}, Thumbprint of key used by client: '${thumbprintHex.toUpperCase()}', Found key 'Start=${keyDate(start)}, End=${keyDate(end)}', ${GRAPH_KEYS(client)}]`),
  /** `exp` passed or `nbf` ahead (beyond the clock skew); Entra prints 1970-01-01 for a missing `nbf`. */
  assertionLifetime: (now: number, nbf: number | undefined, exp: number) =>
    spec(401, "invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${dotnetTime(now)}, assertion valid from ${dotnetTime((nbf ?? 0) * 1000)}, expiry time of assertion ${dotnetTime(exp * 1000)}. ${DOCS}`),
  /** The presented secret is a registered one whose end date has passed. */
  secretExpired: (client: string) =>
    spec(401, "invalid_client", 7000222, `The provided client secret keys for app '${client}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
  /** Federated credentials: no record with the assertion's issuer (matching is case-sensitive). */
  federatedIssuer: (issuer: string) =>
    spec(401, "invalid_client", 700211, `No matching federated identity record found for presented assertion issuer '${issuer}'. Please note that the matching is done using a case-sensitive comparison. ${FIC_DOCS}`),
  /** Federated credentials: the issuer matches, the subject does not. */
  federatedSubject: (subject: string) => spec(401, "invalid_client", 700213, `No matching federated identity record found for presented assertion subject '${subject}'. ${FIC_DOCS}`),
  /** Federated credentials: the subject matches only when case is ignored (Entra's AADSTS7002138). */
  federatedSubjectCase: (subject: string) =>
    spec(401, "invalid_client", 7002138, `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. ${FIC_DOCS}`),
  /** Federated credentials: issuer and subject match, no audience does. */
  federatedAudience: (audience: string) => spec(401, "invalid_client", 700212, `No matching federated identity record found for presented assertion audience '${audience}'. ${FIC_DOCS}`),
  /** Federated credentials: the signing key is not in the issuer's JWKS. */
  federatedKeyNotFound: (kid: string, issuer: string) =>
    spec(401, "invalid_client", 7000272, `The certificate with identifier ${kid} used to sign the federated credential could not be found in the metadata of identity provider ${issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`),
  /** Federated credentials: the key is in the JWKS, the signature does not verify with it. */
  federatedSignature: () =>
    spec(401, "invalid_client", 50013, "Assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value.]"),
  /** Federated credentials: the issuer's discovery document or JWKS could not be fetched. */
  externalOidc: () => spec(400, "invalid_request", 90061, "Request to External OIDC endpoint failed."),
  /** Federated credentials: a token Entra issued itself is presented. */
  entraIssuedAssertion: () => spec(400, "invalid_request", 700222, "AAD-issued tokens may not be used for federated identity flows."),
  assertionMissingClaim: (claim: string) => spec(401, "invalid_client", 50027, `Invalid JWT token. The token does not contain the '${claim}' claim.`),
  /** Fault answers. */
  throttled: () =>
    spec(429, "temporarily_unavailable", 50196, "The server terminated an operation because it encountered a client request loop. Please contact your app vendor."),
  transient: (status: number) =>
    spec(status, status === 503 || status === 504 ? "temporarily_unavailable" : "server_error", 90033, "A transient error has occurred. Please try again."),
  other: (status: number) => spec(status, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."),
} as const;

/** A new trace context for a request (echoing its `client-request-id`); `now` is the emulator clock's time. */
export function traceContext(request: Request, now: number): TraceContext {
  const clientRequestId = request.headers.get("client-request-id");
  return { traceId: crypto.randomUUID(), correlationId: clientRequestId || crypto.randomUUID(), clientRequestId, now };
}

/** The JSON body Entra sends with an error. */
export function entraErrorBody(error: EntraErrorSpec, trace: TraceContext): Record<string, unknown> {
  const timestamp = entraTimestamp(trace.now);
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
/** The header every emulator answer carries, so that a client can tell it did not talk to Entra (the CLI's `token` does). */
const EMULATOR_HEADER = "x-entra-emulator";

export function entraHeaders(trace: TraceContext, contentType = "application/json; charset=utf-8"): Headers {
  const headers = new Headers({
    "content-type": contentType,
    "cache-control": "no-store, no-cache",
    pragma: "no-cache",
    "x-ms-request-id": trace.traceId,
    // Not Entra's: lets a client say it talked to the emulator (entra-edge token does).
    [EMULATOR_HEADER]: "entra-edge",
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

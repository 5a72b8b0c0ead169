/**
 * `entra-edge token`: a token with the credentials the environment configures (EnvironmentCredential),
 * or — with `--demo` and nothing configured — from the built-in emulator (what `npm start` runs).
 *
 * @module
 */
import { base64url } from "../lib/bytes.ts";
import { CertificateError } from "../certificate/error.ts";
import { AuthenticationError, CredentialUnavailableError } from "../lib/errors.ts";
import { ClientSecretCredential } from "../credentials/client-secret.ts";
import { EnvironmentCredential } from "../credentials/environment.ts";
import type { AccessToken, FetchLike, RetryOptions, TokenCredential } from "../types.ts";
import { commandArgs, flag, listOption, stringOption, UsageError } from "./args.ts";
import { describe, errorJson, exitCodeOf, EXIT } from "./errors.ts";
import { field, when } from "./format.ts";
import { TOKEN_HELP } from "./help.ts";
import { envOf, type CliIO } from "./io.ts";
import { DEFAULT_AUTHORITY_HOST, trimSlashes } from "../token/authority.ts";
import { tenantProblem, TOKEN_CHARS } from "../token/target.ts";
import { MAX_SCOPE_LENGTH, MAX_SCOPES } from "../token/limits.ts";
import { showPath } from "../certificate/path.ts";

const SPEC = {
  scope: { repeat: true },
  tenant: {},
  json: { boolean: true },
  "show-token": { boolean: true },
  demo: { boolean: true },
  help: { boolean: true, short: "h" },
};

/** The scope `--demo` uses when neither `--scope` nor AZURE_SCOPE is given. */
const DEMO_SCOPE = "https://management.azure.com/.default";
/** The variables whose presence means "configured" (then `--demo` does not apply). */
const CREDENTIAL_VARIABLES = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE"];
/** A command line tool should answer quickly: fewer, shorter retries than the library's default. */
const RETRY: RetryOptions = { maxRetries: 2, retryDelayInMs: 250, maxRetryDelayInMs: 10_000 };

/** The header the emulator's answers carry (src/testing/errors.ts). */
const EMULATOR_HEADER = "x-entra-emulator";

/** Where a token came from (never the secret). */
interface Origin {
  kind: "environment" | "demo emulator";
  /** The token endpoint was an Entra emulator (its answers carry EMULATOR_HEADER). */
  emulator?: boolean;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  credential: string;
}

interface Outcome {
  token: AccessToken;
  scopes: string[];
  origin: Origin;
  /** Demo only: the emulator checked the token's signature and claims. */
  verified?: boolean;
}

function randomSecret(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(24)));
}

function originFromEnvironment(get: (name: string) => string | undefined, tenant: string | undefined): Origin {
  const v = (name: string) => get(name)?.trim() || undefined;
  const credential = get("AZURE_CLIENT_SECRET")?.trim()
    ? "client secret (AZURE_CLIENT_SECRET)"
    : v("AZURE_CLIENT_CERTIFICATE_PATH")
      ? `certificate file ${showPath(v("AZURE_CLIENT_CERTIFICATE_PATH")!)} (AZURE_CLIENT_CERTIFICATE_PATH)`
      : get("AZURE_CLIENT_CERTIFICATE")?.trim()
        ? "inline certificate (AZURE_CLIENT_CERTIFICATE)"
        : "none";
  return {
    kind: "environment",
    authorityHost: trimSlashes(v("AZURE_AUTHORITY_HOST") ?? DEFAULT_AUTHORITY_HOST),
    tenantId: tenant ?? v("AZURE_TENANT_ID") ?? "",
    clientId: v("AZURE_CLIENT_ID") ?? "",
    credential,
  };
}

async function fromEnvironment(io: CliIO, scopes: string[], tenant: string | undefined): Promise<Outcome> {
  class Environment extends EnvironmentCredential {
    protected static override runtime = io.runtime;
  }
  // The emulator marks its answers: then the output says so rather than "Microsoft Entra ID".
  let emulator = false;
  const fetch: FetchLike = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    emulator ||= response.headers.has(EMULATOR_HEADER);
    return response;
  };
  const credential: TokenCredential = new Environment({ retryOptions: RETRY, fetch });
  const token = await credential.getToken(scopes, tenant ? { tenantId: tenant } : {});
  return { token, scopes, origin: { ...originFromEnvironment(envOf(io), tenant), ...(emulator ? { emulator } : {}) } };
}

async function fromDemo(io: CliIO, scopes: string[], tenant: string | undefined): Promise<Outcome> {
  const { EntraEmulator } = await import("../testing/emulator.ts");
  const emulator = new EntraEmulator();
  const app = { tenantId: "demo-tenant", clientId: "demo-app", secret: randomSecret() };
  emulator.addApp({ tenantId: app.tenantId, clientId: app.clientId, secrets: [app.secret] });
  const served = await io.serve(emulator.handle, { port: 0 });
  try {
    const credential = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: served.url, retryOptions: RETRY });
    const token = await credential.getToken(scopes, tenant ? { tenantId: tenant } : {});
    await emulator.verifyAccessToken(token.token);
    return {
      token,
      scopes,
      verified: true,
      origin: { kind: "demo emulator", authorityHost: served.url, tenantId: tenant ?? app.tenantId, clientId: app.clientId, credential: "client secret (generated for the demo app)" },
    };
  } finally {
    await served.close();
  }
}

/** What to do next, by error (the library's message already explains the error itself). */
function nextStep(error: unknown, get: (name: string) => string | undefined, demo: boolean): string | undefined {
  if (error instanceof CertificateError) {
    // `cert` reads AZURE_CLIENT_CERTIFICATE_PASSWORD itself, and takes a file holding a base64 PFX too.
    const given = get("AZURE_CLIENT_CERTIFICATE_PATH")?.trim();
    const path = given && (showPath(given).startsWith('"') ? given : "<file>");
    if (error.code === "ERR_CERT_PASSWORD_REQUIRED") return "set AZURE_CLIENT_CERTIFICATE_PASSWORD to the certificate's password";
    if (error.code === "ERR_CERT_BAD_PASSWORD") return `check AZURE_CLIENT_CERTIFICATE_PASSWORD; entra-edge cert ${path ?? "<file>"} tries it too`;
    return path ? `check the certificate with: entra-edge cert ${path}` : "save AZURE_CLIENT_CERTIFICATE to a file and check it with: entra-edge cert <file>";
  }
  if (error instanceof CredentialUnavailableError) {
    const m = error.message;
    if (/AZURE_AUTHORITY_HOST/.test(m)) {
      return `set AZURE_AUTHORITY_HOST to a host (https://login.microsoftonline.com, or login.microsoftonline.us without a scheme) or to the authority ending in AZURE_TENANT_ID (https://login.microsoftonline.com/${get("AZURE_TENANT_ID")?.trim() || "<tenant>"})`;
    }
    if (/AZURE_CLIENT_SECRET (ends|starts) with/.test(m)) return "set AZURE_CLIENT_SECRET again without the newline or spaces around it (e.g. AZURE_CLIENT_SECRET=\"$(tr -d '\\r\\n' < secret.txt)\")";
    if (/--allow-/.test(m)) return "run again with the permission flag the message names";
    if (/not a regular file/.test(m)) return "copy the certificate to a regular file and set AZURE_CLIENT_CERTIFICATE_PATH to it, or put its contents in AZURE_CLIENT_CERTIFICATE";
    if (!/(is|are) not set/.test(m)) return "check the AZURE_* variables (entra-edge token --help lists them)";
    return demo
      ? "set the missing variables (entra-edge token --help lists them), or unset all AZURE_* credential variables to run the demo"
      : "set the missing variables (entra-edge token --help lists them); to see it work without Azure first, run: entra-edge token --demo";
  }
  if (error instanceof AuthenticationError) {
    if (error.statusCode === 0 && /The client assertion was not ready/.test(error.message)) {
      // Nothing was sent: the certificate (a file, or its key) was not ready in time.
      const path = get("AZURE_CLIENT_CERTIFICATE_PATH")?.trim();
      return path
        ? `the certificate file ${showPath(path)} could not be read in time: check that it is a regular file on a file system that answers (a network mount?), then run: entra-edge cert ${showPath(path).startsWith('"') ? path : "<file>"}`
        : "the certificate could not be loaded in time: check AZURE_CLIENT_CERTIFICATE with: entra-edge cert <file holding it>";
    }
    if (error.statusCode === 0) {
      const host = trimSlashes(get("AZURE_AUTHORITY_HOST")?.trim() || DEFAULT_AUTHORITY_HOST);
      return `check that ${host} can be reached from here (network, DNS, proxy, firewall)${get("AZURE_AUTHORITY_HOST") ? ", and AZURE_AUTHORITY_HOST" : ""}`;
    }
    if (error.code === "ERR_ENTRA_BAD_RESPONSE") {
      const host = trimSlashes(get("AZURE_AUTHORITY_HOST")?.trim() || DEFAULT_AUTHORITY_HOST);
      return `the answer (HTTP ${error.statusCode}) is not Entra's: is a proxy or gateway between here and ${host}${get("AZURE_AUTHORITY_HOST") ? ", or is AZURE_AUTHORITY_HOST not an Entra endpoint" : ""}? ${error.statusCode >= 500 ? "If it is an outage, retry later" : "Check where requests to it end up (a captive portal, a proxy's sign-in page)"}`;
    }
    const code = error.errorResponse.errorCodes?.[0];
    if (code === 700027) return `compare the certificate's SHA-1 thumbprint (entra-edge cert <file>) with the app registration's "Certificates & secrets" page`;
    if (code !== undefined) return `Microsoft explains AADSTS${code} at https://login.microsoftonline.com/error?code=${code}`;
    return `check AZURE_AUTHORITY_HOST (is it an Entra endpoint?); Microsoft support finds the request by its correlation id${error.errorResponse.correlationId ? ` ${error.errorResponse.correlationId}` : ""}`;
  }
  return "run with --json for the error's details";
}

function print(io: CliIO, outcome: Outcome, json: boolean, showToken: boolean): void {
  const { token, scopes, origin } = outcome;
  const now = Date.now();
  if (json) {
    const out: Record<string, unknown> = {
      tokenType: token.tokenType,
      expiresOn: new Date(token.expiresOnTimestamp).toISOString(),
      expiresOnTimestamp: token.expiresOnTimestamp,
      expiresInSeconds: Math.round((token.expiresOnTimestamp - now) / 1000),
      refreshAfter: new Date(token.refreshAfterTimestamp).toISOString(),
      scopes,
      source: origin,
    };
    if (outcome.verified !== undefined) out.verifiedByEmulator = outcome.verified;
    if (showToken) out.token = token.token;
    io.stdout(JSON.stringify(out, null, 2) + "\n");
    return;
  }
  io.stdout(
    origin.kind === "demo emulator"
      ? "Got an access token from the built-in Entra emulator (demo).\n"
      : origin.emulator
        ? `Got an access token from an Entra emulator at ${origin.authorityHost} (not Microsoft Entra ID).\n`
        : "Got an access token from Microsoft Entra ID.\n",
  );
  io.stdout(field("token type", token.tokenType));
  io.stdout(field("expires", when(token.expiresOnTimestamp, now)));
  io.stdout(field("refresh after", when(token.refreshAfterTimestamp, now)));
  io.stdout(field(scopes.length > 1 ? "scopes" : "scope", scopes.join(" ")));
  io.stdout(field("source", origin.kind === "environment" ? "environment variables (EnvironmentCredential)" : "demo app on the built-in emulator"));
  io.stdout(field("authority", origin.authorityHost));
  io.stdout(field("tenant", origin.tenantId));
  io.stdout(field("client id", origin.clientId));
  io.stdout(field("credential", origin.credential));
  if (outcome.verified) io.stdout(field("verified", "signature and claims checked by the emulator"));
  io.stdout(field("token", showToken ? token.token : "hidden (add --show-token to print it)"));
}

/** Runs `entra-edge token`. */
export async function tokenCommand(io: CliIO, args: readonly string[]): Promise<number> {
  const parsed = commandArgs(args, SPEC, TOKEN_HELP, io.stdout);
  if (!parsed) return EXIT.ok;
  if (parsed.positionals.length) throw new UsageError(`token takes no arguments, only options (got ${parsed.positionals.length}); give the scope with --scope <scope>`);
  const get = envOf(io);
  const json = flag(parsed, "json");
  const demoAllowed = flag(parsed, "demo");
  const tenant = stringOption(parsed, "tenant");
  // The library's own check (the value is not echoed: it may be anything).
  if (tenant !== undefined && tenantProblem(tenant)) {
    throw new UsageError("--tenant must be a tenant id (a GUID) or a domain name like contoso.onmicrosoft.com, not common, organizations or consumers");
  }
  const given = listOption(parsed, "scope").map((s) => s.trim());
  if (given.some((s) => s === "")) throw new UsageError("--scope must not be empty");
  const fromEnv = get("AZURE_SCOPE")?.trim();
  // AZURE_SCOPE is a space-separated list, as OAuth's scope parameter; --scope is one scope (repeat it).
  const scopes = given.length ? given : fromEnv ? fromEnv.split(/\s+/) : demoAllowed ? [DEMO_SCOPE] : [];
  if (!scopes.length) throw new UsageError("token needs --scope <scope> (or AZURE_SCOPE), e.g. --scope https://management.azure.com/.default");
  // The library's own rule, checked here so that a bad scope is a usage error (the value is not echoed: it may be anything).
  if (scopes.length > MAX_SCOPES || scopes.some((s) => s.length > MAX_SCOPE_LENGTH || !TOKEN_CHARS.test(s))) {
    throw new UsageError(
      given.length
        ? `--scope takes one scope (printable, no spaces, at most ${MAX_SCOPE_LENGTH} characters): for several, repeat it (--scope A --scope B), at most ${MAX_SCOPES}`
        : `AZURE_SCOPE holds scopes separated by spaces (printable, at most ${MAX_SCOPE_LENGTH} characters each, at most ${MAX_SCOPES})`,
    );
  }

  const demo = demoAllowed && CREDENTIAL_VARIABLES.every((name) => !get(name)?.trim());
  if (demo && !json) {
    io.stdout("No AZURE_* credentials are set, so this is the demo: a token from the built-in Entra emulator.\n");
    io.stdout("Set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate) to get a real one.\n\n");
  }
  let outcome: Outcome;
  try {
    outcome = demo ? await fromDemo(io, scopes, tenant) : await fromEnvironment(io, scopes, tenant);
  } catch (error) {
    const code = exitCodeOf(error);
    if (code === EXIT.failure) throw error;
    io.stderr(`entra-edge token: ${describe(error, "set AZURE_CLIENT_CERTIFICATE_PASSWORD to it")}\n`);
    const next = nextStep(error, get, demoAllowed);
    if (next) io.stderr(`next: ${next}\n`);
    if (json) io.stdout(JSON.stringify(errorJson(error), null, 2) + "\n");
    return code;
  }
  print(io, outcome, json, flag(parsed, "show-token"));
  return EXIT.ok;
}

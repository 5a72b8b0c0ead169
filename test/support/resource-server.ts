// README "Testing your app: the Entra emulator" → "Verify the tokens in your API" shows this file
// from the line after "README:begin" to the line before "README:end" (a tooling test checks they agree).
// README:begin
import { createRemoteJWKSet } from "jose/jwks/remote";
import { jwtVerify } from "jose/jwt/verify";

/** An API that accepts Entra app tokens for `audience` from `tenantId`, with the `Reader` role. */
export function protectedApi(authorityHost: string, tenantId: string, audience: string) {
  // Entra (and the emulator) publish the signing keys at /{tenant}/discovery/v2.0/keys.
  const keys = createRemoteJWKSet(new URL(`${authorityHost}/${tenantId}/discovery/v2.0/keys`));
  return async (request: Request): Promise<Response> => {
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!token) return new Response("no token", { status: 401 });
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: `https://sts.windows.net/${tenantId}/`, // app-only (v1) tokens
        audience,
        algorithms: ["RS256"],
      });
      const roles = Array.isArray(payload.roles) ? payload.roles : [];
      if (!roles.includes("Reader")) return new Response("missing role Reader", { status: 403 });
      return Response.json({ app: payload.appid, roles });
    } catch (e) {
      return new Response(`invalid token: ${(e as Error).message}`, { status: 401 });
    }
  };
}
// README:end

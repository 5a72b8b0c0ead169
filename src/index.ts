/**
 * entra-edge: Microsoft Entra ID client-credentials authentication (client secret, certificate,
 * assertion) for Node, Deno, Bun and Cloudflare Workers, on fetch and WebCrypto.
 *
 * @example
 * ```ts
 * import { ClientSecretCredential } from "entra-edge";
 *
 * const credential = new ClientSecretCredential(tenantId, clientId, clientSecret);
 * const { token } = await credential.getToken("https://graph.microsoft.com/.default");
 * ```
 *
 * @module
 */
export * from "./core.ts";

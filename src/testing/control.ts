/**
 * The emulator's HTTP control API (`POST /__emulator/<method>`, opt-in): what `connectEmulator()`
 * calls. It refuses what a web page could send — a cross-origin `Origin`, a `Sec-Fetch-Site` other
 * than same-origin / none, a body that is not `application/json` (a page cannot send one without a
 * CORS preflight, which is never answered) — and bodies over 8 MiB.
 *
 * @module
 */
import { BodyTooLarge, readTextLimited } from "./body.ts";
import { json } from "./errors.ts";
import { decodeBytes } from "./wire.ts";

/** Largest control request body (certificates travel in `addApp`). */
const MAX_CONTROL_BODY = 8 << 20;

/** The methods the control API calls, by name (`clock.advance` → `emulator.clock.advance`). */
const CONTROL_METHODS = new Set([
  "addApp",
  "injectFault",
  "clearFaults",
  "setDelay",
  "requests",
  "verifyAccessToken",
  "reset",
  "forgeToken",
  "issuerUrl",
  "issueExternalToken",
  "addWorkload",
  "clock.now",
  "clock.set",
  "clock.advance",
  "clock.reset",
]);

/** Why a control request is refused as coming from a browser page, or `undefined`. */
function crossOrigin(request: Request, origins: readonly string[]): string | undefined {
  const origin = request.headers.get("origin");
  if (origin !== null && !origins.includes(origin.toLowerCase())) return `the Origin ${origin.slice(0, 100)} is not the emulator's`;
  const site = request.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site is ${site.slice(0, 40)}`;
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) return "the body must be sent as content-type: application/json";
  return undefined;
}

/**
 * Answers a control request: calls `call(method, args)` and answers `{ result }`, or
 * `{ error, name }` — status 400 for a body that is not a JSON array or a call that throws a
 * TypeError (the request's mistake), 500 when it throws anything else.
 */
export async function controlRoute(
  request: Request,
  method: string,
  origins: readonly string[],
  call: (method: string, args: unknown[]) => unknown,
): Promise<Response> {
  if (request.method !== "POST") return json({ error: "control API: use POST" }, 405);
  if (!CONTROL_METHODS.has(method)) return json({ error: `control API: unknown method '${method.slice(0, 60)}'` }, 404);
  const refused = crossOrigin(request, origins);
  if (refused) {
    await request.body?.cancel().catch(() => {});
    return json({ error: `control API: refused (${refused}); it is for connectEmulator() and other non-browser clients` }, 403);
  }
  let text: string;
  try {
    text = await readTextLimited(request, MAX_CONTROL_BODY);
  } catch (e) {
    if (e instanceof BodyTooLarge) return json({ error: `control API: the request body is larger than ${MAX_CONTROL_BODY} bytes` }, 413);
    throw e;
  }
  let args: unknown;
  try {
    args = decodeBytes(text ? JSON.parse(text) : []);
  } catch {
    // The request's own text is not quoted: it may carry secrets (addApp's).
    return json({ error: `control API: the body is not JSON (${text.length} characters): send a JSON array of ${method}'s arguments`, name: "TypeError" }, 400);
  }
  if (!Array.isArray(args)) return json({ error: `control API: the body must be a JSON array of ${method}'s arguments`, name: "TypeError" }, 400);
  try {
    const result = await call(method, args);
    return json({ result: result ?? null });
  } catch (e) {
    // A TypeError is the request's mistake (a malformed app, fault or option): 400; anything else is the emulator's.
    return json({ error: e instanceof Error ? e.message : String(e), name: e instanceof Error ? e.name : "Error" }, e instanceof TypeError ? 400 : 500);
  }
}

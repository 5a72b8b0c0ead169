/**
 * Fault injection: the FIFO queue of `EmulatorFault`s and the answers of the faults that replace
 * the token endpoint's own answer.
 *
 * @module
 */
import type { EmulatorFault } from "./types.ts";
import { aadsts, entraErrorBody, entraHeaders, type TraceContext } from "./errors.ts";
import { utf8 } from "./encoding.ts";

const KINDS = new Set(["status", "slow", "drop", "hang", "html", "brokenJson", "missingToken", "tokenFields", "hugeBody"]);

/** Throws a TypeError for a fault the emulator cannot apply. */
function validateFault(fault: EmulatorFault): void {
  if (typeof fault !== "object" || fault === null || !KINDS.has(fault.kind)) {
    throw new TypeError(`emulator: unknown fault ${JSON.stringify(fault)}`);
  }
  const times = fault.times;
  if (times !== undefined && times !== "forever" && !(Number.isInteger(times) && times > 0)) {
    throw new TypeError("emulator: fault.times must be a positive integer or \"forever\"");
  }
  for (const k of ["tenantId", "clientId"] as const) {
    if (fault[k] !== undefined && (typeof fault[k] !== "string" || fault[k] === "")) throw new TypeError(`emulator: fault.${k} must be a non-empty string`);
  }
  const p = fault.probability;
  if (p !== undefined && !(typeof p === "number" && p > 0 && p <= 1)) throw new TypeError("emulator: fault.probability must be a number in (0, 1]");
  if (fault.kind === "status" && !(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
    throw new TypeError("emulator: a status fault needs a status between 200 and 599");
  }
  if (fault.kind === "slow" && !(fault.delayMs >= 0)) throw new TypeError("emulator: a slow fault needs delayMs ≥ 0");
  if (fault.kind === "hugeBody" && !(fault.bytes >= 0)) throw new TypeError("emulator: a hugeBody fault needs bytes ≥ 0");
  if (fault.kind === "tokenFields" && (typeof fault.fields !== "object" || fault.fields === null)) {
    throw new TypeError("emulator: a tokenFields fault needs fields");
  }
}

/** Which token request a fault is taken for. */
interface FaultTarget {
  tenantId: string;
  clientId?: string | undefined;
}

function applies(fault: EmulatorFault, target: FaultTarget): boolean {
  if (fault.tenantId !== undefined && fault.tenantId.toLowerCase() !== target.tenantId.toLowerCase()) return false;
  if (fault.clientId !== undefined && fault.clientId.toLowerCase() !== target.clientId?.toLowerCase()) return false;
  return fault.probability === undefined || Math.random() < fault.probability;
}

/** Faults in the order they were injected; each request takes the first one that applies to it. */
export class FaultQueue {
  #queue: { fault: EmulatorFault; left: number }[] = [];

  push(fault: EmulatorFault): void {
    validateFault(fault);
    const copy = structuredClone(fault);
    this.#queue.push({ fault: copy, left: copy.times === "forever" ? Infinity : (copy.times ?? 1) });
  }

  clear(): void {
    this.#queue = [];
  }

  /** Consumes one use of the first fault that applies to `target` and returns it. */
  take(target: FaultTarget): EmulatorFault | undefined {
    const i = this.#queue.findIndex((entry) => applies(entry.fault, target));
    const entry = this.#queue[i];
    if (!entry) return undefined;
    entry.left--;
    if (entry.left <= 0) this.#queue.splice(i, 1);
    return entry.fault;
  }
}

/** The answer of a `status` fault: Entra-style JSON unless a body is given. */
export function statusFaultResponse(fault: Extract<EmulatorFault, { kind: "status" }>, trace: TraceContext): Response {
  let body: string | null;
  let contentType: string;
  if (fault.body !== undefined) {
    body = fault.body;
    contentType = fault.contentType ?? (/^\s*[[{]/.test(fault.body) ? "application/json; charset=utf-8" : "text/plain; charset=utf-8");
  } else {
    const s = fault.status;
    const spec = s === 429 ? aadsts.throttled() : s >= 500 ? aadsts.transient(s) : { ...aadsts.other(s), status: s };
    body = s === 204 || s === 304 ? null : JSON.stringify(entraErrorBody({ ...spec, status: s }, trace));
    contentType = fault.contentType ?? "application/json; charset=utf-8";
  }
  const headers = entraHeaders(trace, contentType);
  if (fault.retryAfter !== undefined) headers.set("retry-after", String(fault.retryAfter));
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value);
  return new Response(body, { status: fault.status, headers });
}

const REASONS: Record<number, string> = {
  200: "OK",
  403: "Forbidden",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A proxy's HTML error page. */
export function htmlFaultResponse(status = 502): Response {
  const reason = REASONS[status] ?? "Error";
  const text = `<html><body><h1>${status} ${reason}</h1></body></html>`;
  return new Response(text, { status, headers: { "content-type": "text/html" } });
}

/** 200 with JSON cut off in the middle. */
export function brokenJsonResponse(trace: TraceContext): Response {
  return new Response('{"token_type":"Bearer","access_tok', { status: 200, headers: entraHeaders(trace) });
}

/** 200 JSON without `access_token`. */
export function missingTokenResponse(trace: TraceContext): Response {
  return new Response(JSON.stringify({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 }), {
    status: 200,
    headers: entraHeaders(trace),
  });
}

/**
 * 200 with a token answer padded (by a `padding` string field) to exactly `bytes` bytes when that
 * is more than the answer itself. Streamed in 64 KiB chunks, without a `content-length`, so a
 * client must count what it reads.
 */
export function hugeBodyResponse(answer: Record<string, unknown>, bytes: number, trace: TraceContext): Response {
  const head = utf8(JSON.stringify({ ...answer, padding: "" }).slice(0, -2)); // ends with `"padding":"`
  const tail = utf8('"}');
  let padding = Math.max(0, bytes - head.length - tail.length);
  const chunk = new Uint8Array(64 * 1024).fill(0x61); // "a"
  let stage = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stage === 0) {
        controller.enqueue(head);
        stage = 1;
      } else if (padding > 0) {
        const n = Math.min(padding, chunk.length);
        controller.enqueue(n === chunk.length ? chunk.slice() : chunk.slice(0, n));
        padding -= n;
      } else {
        controller.enqueue(tail);
        controller.close();
      }
    },
  });
  return new Response(stream, { status: 200, headers: entraHeaders(trace) });
}

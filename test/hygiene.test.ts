/** Secret hygiene and the portability rule of the sources. */
import { ClientSecretCredential } from "../src/core.ts";
import { VERSION } from "../src/lib/version.ts";
import { equal, notIncludes, ok, rejects } from "./assert.ts";
import { packageJson } from "./generated/meta.ts";
import { sources } from "./generated/sources.ts";
import { test } from "./harness.ts";
import { ARM, collectLogs, everyText, secretApp, secretCredential } from "./support/helpers.ts";

test("hygiene: the client secret appears in no error, cause, JSON.stringify, inspect or log event", async (t) => {
  const app = await secretApp(t);
  const { events, logger } = collectLogs();
  const cred = secretCredential(t, app, { logger });
  const texts: string[] = [JSON.stringify(cred), String(cred), everyText(cred)];
  if (t.inspect) texts.push(t.inspect(cred));
  const token = await cred.getToken(ARM);
  // failures of every kind, with the right secret (server errors) and with a wrong one
  await t.emulator.injectFault({ kind: "status", status: 500, times: 4 });
  texts.push(everyText(await rejects(secretCredential(t, app, { logger }).getToken(ARM))));
  await t.emulator.injectFault({ kind: "html" });
  await t.emulator.injectFault({ kind: "brokenJson" });
  texts.push(everyText(await rejects(secretCredential(t, app, { logger, retryOptions: { maxRetries: 1 } }).getToken(ARM))));
  const wrong = new ClientSecretCredential(app.tenantId, app.clientId, app.secret + "-wrong", { authorityHost: t.emulatorUrl, logger });
  texts.push(everyText(await rejects(wrong.getToken(ARM))));
  const closed = new ClientSecretCredential(app.tenantId, app.clientId, app.secret, { authorityHost: t.closedUrl, logger, retryOptions: { maxRetries: 0 } });
  texts.push(everyText(await rejects(closed.getToken(ARM))));
  texts.push(JSON.stringify(events), everyText(events));
  ok(events.length > 5, "the logger received events");
  const all = texts.join("\n");
  notIncludes(all, app.secret, "client secret");
  notIncludes(all, encodeURIComponent(app.secret), "client secret (URL-encoded)");
  notIncludes(all, token.token, "access token");
});

test("hygiene: a transport error that echoes the request body does not leak it", async (t) => {
  const app = await secretApp(t);
  const cred = secretCredential(t, app, {
    retryOptions: { maxRetries: 0 },
    fetch: async (_input, init) => {
      throw new TypeError(`connect failed while sending ${String(init.body)} with secret ${app.secret}`);
    },
  });
  const e = await rejects(cred.getToken(ARM), { name: "AuthenticationError" });
  equal(e.statusCode, 0);
  const text = everyText(e);
  notIncludes(text, app.secret);
  notIncludes(text, encodeURIComponent(app.secret));
  ok(text.includes("connect failed"), "the transport's message is kept");
});

test("hygiene: no file under src/ outside src/runtime/ names node: modules, process, Buffer, Deno or Bun", () => {
  const files = Object.keys(sources);
  ok(files.length > 10, "sources were embedded");
  const offenders: string[] = [];
  const rule = /(from\s+["']node:|import\(\s*["']node:|\brequire\(|\bprocess\b|\bBuffer\b|\bDeno\b|\bBun\b)/;
  for (const [file, text] of Object.entries(sources)) {
    if (file.startsWith("src/runtime/")) continue;
    // Comments may talk about runtimes; code may not name them.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "));
    code.split("\n").forEach((line, i) => {
      line = line.replace(/\/\/.*$/, "");
      if (rule.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  equal(offenders.join("\n"), "");
});

test("hygiene: each runtime folder names only its own runtime; lib/ and types.ts depend on nothing but each other", () => {
  const code = (text: string) =>
    text
      .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " "))
      .split("\n")
      .map((l) => l.replace(/\/\/.*$/, ""))
      .join("\n");
  // Bun implements Node's process (its CLI glue uses it); nothing else crosses runtimes.
  const foreign: Record<string, RegExp> = {
    node: /\bDeno\b|\bBun\b/,
    deno: /\bprocess\b|\bBun\b|["']node:/,
    bun: /\bDeno\b|["']node:/,
    workerd: /\bprocess\b|\bDeno\b|\bBun\b|["']node:/,
  };
  const offenders: string[] = [];
  for (const [file, text] of Object.entries(sources)) {
    const m = /^src\/runtime\/(\w+)\//.exec(file);
    if (m && foreign[m[1]!]?.test(code(text))) offenders.push(`${file} names another runtime`);
    if (file.startsWith("src/lib/") || file === "src/types.ts") {
      for (const [, spec] of code(text).matchAll(/from\s+["']([^"']+)["']/g)) {
        const own = file.startsWith("src/lib/") ? spec!.startsWith("./") || spec === "../types.ts" : spec === "./cache/types.ts";
        if (!own) offenders.push(`${file} imports ${spec}`);
      }
    }
  }
  ok(Object.keys(sources).filter((f) => f.startsWith("src/runtime/")).length >= 12, "the runtime folders were read");
  equal(offenders.join("\n"), "");
});

test("hygiene: the version sent as x-client-VER is package.json's", () => {
  equal(VERSION, packageJson.version);
});

test("hygiene: the suite-wide secret scanner finds secrets in cause chains, properties and JWTs", async () => {
  const { findLeak, registerSentinel, everyText: text } = await import("./support/sentinels.ts");
  registerSentinel("scanner-self-test-secret");
  const nested = new Error("outer", { cause: new TypeError("inner", { cause: { body: "client_secret=scanner-self-test-secret" } }) });
  ok(findLeak(text(nested)), "a sentinel deep in the cause chain");
  ok(findLeak(text({ hidden: encodeURIComponent("scanner-self-test-secret") })), "URL-encoded");
  ok(findLeak("assertion eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"), "a JWT");
  equal(findLeak(text(new Error("AADSTS7000215: Invalid client secret provided."))), undefined);
});

test("hygiene: a redirect from the token endpoint is not followed (it could forward the secret)", async (t) => {
  const app = await secretApp(t);
  await t.emulator.injectFault({ kind: "status", status: 307, headers: { location: "http://127.0.0.1:9/steal" } });
  const e = await rejects(secretCredential(t, app).getToken(ARM), { name: "AuthenticationError" });
  equal(e.statusCode, 307);
  equal((await t.emulator.requests()).length, 1);
});

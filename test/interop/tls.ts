/**
 * A throw-away test CA and a server certificate for the local HTTPS fakes, made with openssl at
 * run time (Node only: the tooling test calls it before it starts the fakes and the SDK process).
 *
 * The server certificate covers `127.0.0.1`, `localhost`, `*.vault.azure.net` and
 * `management.azure.com`, is valid for two days and is signed by a CA that exists only in the
 * returned directory. Clients trust it through `NODE_EXTRA_CA_CERTS` (Node, Bun) or `DENO_CERT`
 * (Deno) pointing at `caFile`; nothing is added to a system store.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TestTls {
  /** The directory holding everything (removed by `remove()`). */
  dir: string;
  /** PEM file of the test CA: the value of NODE_EXTRA_CA_CERTS / DENO_CERT. */
  caFile: string;
  /** The server certificate (PEM). */
  cert: string;
  /** The server's private key (PEM); stays in `dir` and in the server. */
  key: string;
  remove(): Promise<void>;
}

export const SERVER_NAMES = ["IP:127.0.0.1", "DNS:localhost", "DNS:*.vault.azure.net", "DNS:management.azure.com"];

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run("openssl", args, { cwd: dir });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? "";
    throw new Error(`openssl ${args[0]} failed: ${stderr.trim().split("\n").slice(0, 3).join(" / ")}`);
  }
}

/** Makes a CA and a server certificate signed by it in a fresh directory under `parent`. */
export async function makeTestTls(parent: string): Promise<TestTls> {
  const dir = join(parent, `interop-tls-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  await mkdir(dir, { recursive: true });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(dir, [
    "req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
    "-subj", "/O=entra-edge tests/CN=entra-edge interop test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-addext", "subjectKeyIdentifier=hash",
  ]);
  await openssl(dir, ["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/O=entra-edge tests/CN=localhost"]);
  await writeFile(
    join(dir, "server.ext"),
    [
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
      `subjectAltName=${SERVER_NAMES.join(",")}`,
      "",
    ].join("\n"),
  );
  const serial = `0x${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  await openssl(dir, [
    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", serial,
    "-days", "2", "-sha256", "-extfile", "server.ext", "-out", "server.pem",
  ]);
  const [cert, key] = await Promise.all([readFile(join(dir, "server.pem"), "utf8"), readFile(join(dir, "server.key"), "utf8")]);
  return { dir, caFile: join(dir, "ca.pem"), cert, key, remove: () => rm(dir, { recursive: true, force: true }) };
}

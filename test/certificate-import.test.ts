/**
 * The repeat-parse shortcuts of the certificate loader, on every runtime: one PBKDF2 password key
 * serves every PBES2 item of a load (an OpenSSL 3 PFX has two: the certificates' bag and the
 * key's), and it derives what a fresh import derives.
 */
import { KdfBudget } from "../src/certificate/encrypted-key.ts";
import { parseCertificate } from "../src/core.ts";
import { deepEqual, equal, ok } from "./assert.ts";
import { test } from "./harness.ts";
import { fixture, fixtureBytes, passwordOf } from "./support/fixtures.ts";

test("certificate import: one load imports each password once as a PBKDF2 key, and keeps passwords apart", async () => {
  const budget = new KdfBudget();
  const a = budget.passwordKey("Fixture-P@ss1");
  equal(budget.passwordKey("Fixture-P@ss1"), a, "the same password: the same key");
  const b = budget.passwordKey("");
  ok(b !== a, "another password: another key");
  equal((await a).algorithm.name, "PBKDF2");
  equal((await a).extractable, false);
  ok(new KdfBudget().passwordKey("Fixture-P@ss1") !== a, "another load: its own key");
  // The key derives what a fresh import derives.
  const salt = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  const fresh = await crypto.subtle.importKey("raw", new TextEncoder().encode("Fixture-P@ss1"), "PBKDF2", false, ["deriveBits"]);
  const derive = (key: CryptoKey) => crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 10 }, key, 256).then((x) => [...new Uint8Array(x)]);
  deepEqual(await derive(await a), await derive(fresh));
});

test("certificate import: with the shared password key, an OpenSSL 3 PFX (two PBES2 items) and an encrypted PEM key still load, and a wrong PEM key password is still ERR_CERT_BAD_PASSWORD", async () => {
  for (const name of ["pfx-openssl3-default", "pem-encrypted-aes256", "pem-encrypted-aes128-sha1"]) {
    const e = fixture(name);
    const parsed = await parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: passwordOf(e) });
    equal(parsed.sha1Thumbprint, e.sha1, name);
  }
  const e = fixture("pem-encrypted-aes256");
  const wrong = await parseCertificate({ certificate: fixtureBytes(e.file), certificatePassword: `${passwordOf(e)}x` }).catch((x: unknown) => x);
  equal((wrong as { code?: string }).code, "ERR_CERT_BAD_PASSWORD");
});

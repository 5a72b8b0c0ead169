/** Every test file of the portable suite, in order. Runners import this once. */
import "./core.test.ts";
import "./token-core.test.ts";
import "./hygiene.test.ts";
import "./certificate.test.ts";
import "./external.test.ts";
import "./certificate-hardening.test.ts";
import "./runtime.test.ts";
import "./shared-cache.test.ts";
import "./emulator.test.ts";
import "./emulator-entra.test.ts";
import "./emulator-cli.test.ts";
import "./legacy-crypto.test.ts";
import "./fuzz.test.ts";
import "./faults.test.ts";
import "./storm.test.ts";
import "./redaction.test.ts";
import "./soak.test.ts";

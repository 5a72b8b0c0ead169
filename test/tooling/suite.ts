/** Node-only tooling checks (run by test/runners/tooling.ts). */
import "./bundle.test.ts";
import "./fast-path.test.ts";
import "./exports.test.ts";
import "./hovers.test.ts";
import "./docs.test.ts";
import "./interop.test.ts";
import "./emulator-https.test.ts";
import "./transports.test.ts";
import "./real-clients.test.ts";
import "./package.test.ts";
import "./tarball.test.ts";
import "./figures.test.ts";
import "./first-use.test.ts";
import "./cli.test.ts";
import "./examples.test.ts";
import "./worker-testing.test.ts";
import "./worker-split.test.ts";

/** Node-only tooling checks (run by test/runners/tooling.ts). */
import "./bundle.test.ts";

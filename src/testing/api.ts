/**
 * What `entra-edge/testing` exports on every runtime: the emulator, its control client, clock and
 * test certificates. The entries (testing.ts, testing-workerd.ts) add `serveEmulator`.
 *
 * @module
 */
export { EntraEmulator, type EntraEmulatorOptions } from "./emulator.ts";
export { connectEmulator, type ConnectEmulatorOptions, type RemoteEmulator } from "./remote.ts";
export type {
  EmulatorApp,
  EmulatorCertificate,
  EmulatorClockControl,
  EmulatorControl,
  EmulatorFault,
  EmulatorFederatedCredential,
  EmulatorRequest,
  EmulatorSecret,
  EmulatorTime,
  EmulatorWorkload,
  ExternalTokenOptions,
  ForgeTokenOptions,
} from "./types.ts";
export { EmulatorClock } from "./clock.ts";
export { createTestCertificate, createTlsCertificates, TestCertificate, type TestCertificateOptions } from "./x509.ts";
export { DROP, type Drop, type EmulatorHandler } from "./handler.ts";

/**
 * A module whose exports are credential options, for the test that a module namespace
 * (`import * as options from "./config.js"`) is taken as an options object (test/porting.test.ts).
 *
 * @module
 */
export const retryOptions = { maxRetries: 0 };
export const additionallyAllowedTenants = ["fabrikam"];

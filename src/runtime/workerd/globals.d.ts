// The one module of the Workers runtime that src/runtime/workerd/ uses (the adapter's environment),
// declared once so that it type-checks without @cloudflare/workers-types.
declare module "cloudflare:workers" {
  export const env: Record<string, unknown> | undefined;
}

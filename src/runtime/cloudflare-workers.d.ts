// The one module of the Workers runtime the workerd adapter imports.
declare module "cloudflare:workers" {
  export const env: Record<string, unknown> | undefined;
}

// The one Bun global this example uses (install @types/bun for the full set).
declare const Bun: { env: Record<string, string | undefined> };

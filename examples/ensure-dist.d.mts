/** Whether dist/ is missing, or a file under src/ (or the build config) changed after it was built. */
export function distIsStale(): boolean;
/** Builds dist/ if it is stale; tsup's output goes to stderr. Returns tsup's exit code (0 when nothing was to do). */
export function ensureDist(): number;

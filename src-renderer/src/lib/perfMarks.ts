/**
 * Start-up milestones as User Timing marks (`pd:boot`, `pd:corpus`, `pd:db-open`, `pd:session`, `pd:unit-data`),
 * so the benchmark and a developer's DevTools can see where the first render's time goes. Each is
 * recorded once per page load; a mark costs microseconds and never throws.
 */
const done = new Set<string>();

export function startupMark(name: 'boot' | 'corpus' | 'db-open' | 'session' | 'unit-data'): void {
  if (done.has(name)) return;
  done.add(name);
  try {
    performance.mark(`pd:${name}`);
  } catch {
    // No User Timing (an old test environment): nothing to record.
  }
}

/** Number formatting with explicit units for chat tables. */

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 || unit === 0 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  if (Math.abs(count) >= 1e9) return `${(count / 1e9).toFixed(2)}B`;
  if (Math.abs(count) >= 1e6) return `${(count / 1e6).toFixed(2)}M`;
  if (Math.abs(count) >= 1e3) return `${(count / 1e3).toFixed(1)}k`;
  return String(Math.round(count));
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 59.5) return `${seconds.toFixed(seconds < 9.95 ? 1 : 0)} s`;
  // rounded before it is split, so 119.6 s reads "2 min 0 s", never "1 min 60 s"
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Seconds with sub-second precision: "12.3 ms", "0.84 s", then as formatSeconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 1) {
    const ms = seconds * 1000;
    return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
  }
  return seconds < 10 ? `${seconds.toFixed(2)} s` : formatSeconds(seconds);
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return value.toExponential(1);
  return value.toFixed(digits);
}

export function formatRate(lr: number): string {
  return lr.toExponential(1).replace('e-', 'e-').replace('.0e', 'e');
}

export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A text progress bar: `[######----] 60/100`. */
export function progressBar(step: number, total: number, width = 12): string {
  const share = total > 0 ? Math.min(1, Math.max(0, step / total)) : 0;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${step}/${total}`;
}

export function formatAge(from: Date, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - from.getTime()) / 1000);
  if (seconds < 60) return `${Math.round(seconds)} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

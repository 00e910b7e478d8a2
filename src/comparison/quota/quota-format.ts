/** Hours as people read them in a quota: `14`, `6.5`, `0.25`, `0.004`. */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return '-';
  if (hours === 0) return '0';
  if (Math.abs(hours) >= 100) return hours.toFixed(0);
  if (Math.abs(hours) >= 10) return hours.toFixed(1).replace(/\.0$/, '');
  if (Math.abs(hours) >= 0.1) return hours.toFixed(2).replace(/\.?0+$/, '');
  return hours.toPrecision(1);
}

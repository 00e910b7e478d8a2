/**
 * A limit with per-team overrides, as operators write it in one variable: `2` (every team),
 * `2,slack:T123=4` (one team differs), `slack:T123=4` (only that team; the rest keep the default).
 * Zero means no limit.
 */
export interface TeamLimit {
  default: number;
  teams: Record<string, number>;
}

export interface TeamLimitFormat {
  fallback: number;
  max: number;
  /** Whole numbers only (counts); hours may have a fraction. */
  integer: boolean;
}

export function parseTeamLimit(
  variable: string,
  raw: string | undefined,
  format: TeamLimitFormat,
): TeamLimit {
  const out: TeamLimit = { default: format.fallback, teams: {} };
  const kind = format.integer ? 'a whole number' : 'a number';
  for (const part of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const text = eq < 0 ? part : part.slice(eq + 1).trim();
    const value = text === '' ? Number.NaN : Number(text);
    const valid =
      Number.isFinite(value) &&
      value >= 0 &&
      value <= format.max &&
      (!format.integer || Number.isInteger(value));
    if (!valid || eq === 0) {
      throw new Error(
        `${variable}: "${part}" is not a limit (${kind} from 0 to ${format.max}; 0 = no limit) or team=limit (e.g. slack:T123=4)`,
      );
    }
    if (eq < 0) out.default = value;
    else out.teams[part.slice(0, eq).trim()] = value;
  }
  return out;
}

export function limitFor(limit: TeamLimit, team: string): number {
  return limit.teams[team] ?? limit.default;
}

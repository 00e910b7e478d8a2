/**
 * What a chat platform can carry, as its adapter declares it when it starts, so that a command can
 * choose the form of a reply without knowing the platform: attach a file that fits, or give a link
 * (or a path) to one that does not.
 */
import type { Platform } from './conversation';

export interface PlatformCapabilities {
  /**
   * The largest file one reply may attach, in bytes (Slack 1 GiB; Discord 10 MiB unless configured);
   * absent: no limit (the console copies files into its output folder).
   */
  maxUploadBytes?: number;
}

/** A platform whose adapter has not said what it carries: no uploads, so a command gives a link. */
export const UNKNOWN_PLATFORM: Readonly<PlatformCapabilities> = Object.freeze({ maxUploadBytes: 0 });

/** Whether a file of `bytes` may be attached to a reply on a platform with these capabilities. */
export function fitsUpload(capabilities: PlatformCapabilities, bytes: number): boolean {
  return capabilities.maxUploadBytes === undefined || bytes <= capabilities.maxUploadBytes;
}

/** Capabilities by platform: adapters register theirs at start; the console has no upload limit. */
export class PlatformCapabilityRegistry {
  private readonly byPlatform = new Map<Platform, PlatformCapabilities>([['console', {}]]);

  register(platform: Platform, capabilities: PlatformCapabilities): void {
    this.byPlatform.set(platform, { ...capabilities });
  }

  /** The platform's capabilities; UNKNOWN_PLATFORM (no uploads) where no adapter registered. */
  of(platform: Platform): PlatformCapabilities {
    return this.byPlatform.get(platform) ?? UNKNOWN_PLATFORM;
  }
}

/**
 * A trained adapter packed for a team to take home: one archive (`<name>/adapter/…` and the run's
 * `<name>/result.json`), attached to the reply when it fits the platform's upload limit, otherwise
 * reached through a download link that expires. The job system packs it (it knows where artifacts
 * are stored); the core only chooses the run and words the reply.
 */
import type { Result } from '../parsing/result';

export interface AdapterPackage {
  /** The archive's file name, e.g. `cmp-abc1234-customer_service-lora-seed1.tar.gz`. */
  filename: string;
  bytes: number;
  /** A local copy of the archive to attach (only when it fits the platform). */
  file?: string;
  /** A download link, where the archive does not fit and the store can give one. */
  link?: { url: string; expiresAt: Date };
  /** Where the archive lies when neither fits: words for the user (no server path). */
  whereabouts?: string;
}

export interface AdapterPackager {
  /** Packs a run's adapter; `fits(bytes)` says whether this platform takes a file that large. */
  pack(
    run: { id: string; jobId: string; artifactPath: string | null },
    filename: string,
    fits: (bytes: number) => boolean,
  ): Promise<Result<AdapterPackage>>;
}

/**
 * Which store datasets and artifacts use, from the environment:
 * - no FACEOFF_S3_BUCKET: local directories (FACEOFF_DATASET_DIR, FACEOFF_ARTIFACT_DIR), as always;
 * - FACEOFF_S3_BUCKET: that bucket, under FACEOFF_S3_PREFIX, at FACEOFF_S3_ENDPOINT (MinIO, R2…)
 *   with FACEOFF_S3_PATH_STYLE=1 where the server needs it, in FACEOFF_S3_REGION (or AWS_REGION);
 *   credentials from the AWS SDK's standard chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *   AWS_PROFILE, instance roles). FACEOFF_S3_PART_MB sets the multi-part size (default 16);
 *   FACEOFF_UPLOAD_FULL_WEIGHTS=1 uploads full fine-tuned weights too (off: adapters and results only);
 *   FACEOFF_S3_LINK_HOURS is how long adapter download links work (default 24);
 *   FACEOFF_STAGING_DIR is where files fetched from the bucket, archives and unfinished uploads are kept (default .data/staging).
 */
import path from 'node:path';
import type { ObjectStore } from './object-store';
import { DEFAULT_PART_BYTES, MIN_PART_BYTES, S3Store } from './s3-store';

export interface StorageSettings {
  s3?: {
    bucket: string;
    prefix: string;
    endpoint?: string;
    region: string;
    forcePathStyle: boolean;
    partBytes: number;
  };
  /** Upload full fine-tuned weights (multi-GB) as well as adapters and results. */
  uploadFullWeights: boolean;
  /** Files fetched from the bucket (datasets, adapters) and unfinished upload state. */
  cacheDir: string;
  /** How long an adapter's download link works (FACEOFF_S3_LINK_HOURS, 1 to 168; default 24). */
  linkSeconds: number;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function readStorageSettings(env: Record<string, string | undefined> = process.env): StorageSettings {
  const cacheDir = path.resolve(env.FACEOFF_STAGING_DIR?.trim() || '.data/staging');
  const uploadFullWeights = flag(env, 'FACEOFF_UPLOAD_FULL_WEIGHTS');
  const hoursRaw = env.FACEOFF_S3_LINK_HOURS?.trim();
  const hours = hoursRaw ? Number(hoursRaw) : 24;
  if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
    // SigV4 presigned links last at most 7 days.
    throw new Error(`FACEOFF_S3_LINK_HOURS: "${hoursRaw}" is not a whole number of hours from 1 to 168`);
  }
  const linkSeconds = hours * 3600;
  const bucket = env.FACEOFF_S3_BUCKET?.trim();
  if (!bucket) return { uploadFullWeights, cacheDir, linkSeconds };
  if (!BUCKET_NAME.test(bucket)) {
    throw new Error(
      `FACEOFF_S3_BUCKET: "${bucket}" is not a bucket name (3-63 lower-case letters, digits, . and -)`,
    );
  }
  const partRaw = env.FACEOFF_S3_PART_MB?.trim();
  const partMb = partRaw ? Number(partRaw) : DEFAULT_PART_BYTES / 1048576;
  if (!Number.isInteger(partMb) || partMb * 1048576 < MIN_PART_BYTES || partMb > 5120) {
    throw new Error(`FACEOFF_S3_PART_MB: "${partRaw}" is not a whole number of MiB from 5 to 5120`);
  }
  const endpoint = env.FACEOFF_S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
    throw new Error(`FACEOFF_S3_ENDPOINT: "${endpoint}" is not an http(s) URL`);
  }
  return {
    s3: {
      bucket,
      prefix: env.FACEOFF_S3_PREFIX?.trim() ?? '',
      endpoint,
      region: env.FACEOFF_S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1',
      forcePathStyle: flag(env, 'FACEOFF_S3_PATH_STYLE'),
      partBytes: partMb * 1048576,
    },
    uploadFullWeights,
    cacheDir,
    linkSeconds,
  };
}

function flag(env: Record<string, string | undefined>, key: string): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (!raw || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new Error(`${key}: "${env[key]}" is not 1 or 0`);
}

/** The bucket the settings name, or undefined for local directories. */
export function bucketStore(settings: StorageSettings): ObjectStore | undefined {
  if (!settings.s3) return undefined;
  return new S3Store({ ...settings.s3, stateDir: path.join(settings.cacheDir, 'uploads') });
}

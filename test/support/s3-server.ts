/**
 * A real S3-compatible server for tests: moto in server mode (PyPI `moto[server]`), on a free
 * port of 127.0.0.1, with authentication on. Its first four requests are not authenticated: they
 * create the bucket, a user, the user's policy and its access key; every later request must be
 * signed with that key, so wrong credentials are refused as S3 refuses them.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Environment for a process that should use this bucket (FACEOFF_S3_* and AWS_*). */
  env(prefix?: string): Record<string, string>;
  stop(): Promise<void>;
}

const SETUP = `
import boto3, json, sys
endpoint, bucket = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
boto3.client("s3", **kw).create_bucket(Bucket=bucket)
iam = boto3.client("iam", **kw)
iam.create_user(UserName="faceoff")
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
iam.put_user_policy(UserName="faceoff", PolicyName="faceoff", PolicyDocument=json.dumps(policy))
key = iam.create_access_key(UserName="faceoff")["AccessKey"]
print(json.dumps({"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}))
`;

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the S3 test server exited: ${output().slice(-800)}`);
    try {
      // The dashboard is not an S3 action: it does not use up the unauthenticated requests.
      const answer = await fetch(`${endpoint}/moto-api/data.json`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the S3 test server did not start in 30 s: ${output().slice(-800)}`);
}

/**
 * `auth: false` starts it without authentication: moto cannot check presigned (query-string)
 * signatures when authentication is on, so download links are tested on such a server.
 */
export async function startS3Server(
  options: { bucket?: string; auth?: boolean } = {},
): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'faceoff-test';
  const auth = options.auth ?? true;
  const python = process.env.FACEOFF_PYTHON ?? 'python3';
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...(auth ? { INITIAL_NO_AUTH_ACTION_COUNT: '4' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilUp(endpoint, child, () => output);
    const { stdout } = await run(python, ['-c', SETUP, endpoint, bucket], { timeout: 60_000 });
    const credentials = JSON.parse(stdout) as S3TestServer['credentials'];
    return {
      endpoint,
      bucket,
      credentials,
      env: (prefix = '') => ({
        FACEOFF_S3_BUCKET: bucket,
        FACEOFF_S3_PREFIX: prefix,
        FACEOFF_S3_ENDPOINT: endpoint,
        FACEOFF_S3_PATH_STYLE: '1',
        FACEOFF_S3_PART_MB: '5',
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

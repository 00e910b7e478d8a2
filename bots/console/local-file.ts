/** A file on this machine shared with `/upload PATH`, copied through the same size cap as chat downloads. */
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { FileTransferError, type SharedFile } from '../../src/chat/incoming';
import { writeLimited } from '../streamed-download';

export function localFile(path: string): SharedFile {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // Reported when the core asks for the file.
  }
  return {
    name: basename(path),
    size,
    download: async (toPath, maxBytes) => {
      const source = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
        throw new FileTransferError(`cannot read ${path} (${e.code ?? e.message})`);
      });
      if (!(await source.stat()).isFile()) {
        await source.close();
        throw new FileTransferError(`${path} is not a file`);
      }
      const stream = createReadStream('', { fd: source });
      try {
        return await writeLimited(stream, toPath, maxBytes);
      } finally {
        stream.destroy();
      }
    },
  };
}

#!/bin/sh
# Placeholder for Prisma's native schema engine, which cannot be downloaded offline.
# `prisma generate` only needs the path to exist. Migrations are created with
# `npm run db:migration -- <name>` (wasm schema engine) and applied at start-up.
echo "The native Prisma schema engine is not installed; use 'npm run db:migration -- <name>' and 'npm run migrate'." >&2
exit 1

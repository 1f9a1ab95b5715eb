// Trunk post-build hook (Trunk.toml): writes the hash of every inline script of the built
// index.html into its Content-Security-Policy.
//
// Trunk loads the app with an inline `<script type=module>` whose text names the hashed file
// names of that build, so the policy in www/index.html cannot list its hash in advance. It holds
// the placeholder INLINE_SCRIPT_HASHES instead, and this script replaces it with
// 'sha256-…' of each inline script as the browser will hash it (the exact text between the tags).
// A build without the placeholder or without an inline script fails here rather than giving a
// page whose loader the browser would refuse.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = 'INLINE_SCRIPT_HASHES';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (this script runs as a Trunk post_build hook)');
  process.exit(1);
}
const file = join(staging, 'index.html');
const html = readFileSync(file, 'utf8');

// Inline scripts: <script ...> without a src attribute, up to the next </script>.
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1])) continue;
  const digest = createHash('sha256').update(m[2], 'utf8').digest('base64');
  hashes.push(`'sha256-${digest}'`);
}
if (hashes.length === 0) {
  console.error(`csp.mjs: no inline script in ${file}; Trunk's loader was expected`);
  process.exit(1);
}
if (!html.includes(PLACEHOLDER)) {
  console.error(`csp.mjs: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
writeFileSync(file, html.replaceAll(PLACEHOLDER, hashes.join(' ')));
console.log(`csp.mjs: ${hashes.length} inline script hash(es) written into the policy`);

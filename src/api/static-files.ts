import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web app from `root`. Paths are resolved inside `root` only; unknown paths
 * without an extension get index.html (client-side routes). Returns null when nothing matches.
 */
export async function serveStatic(root: string, urlPath: string): Promise<Response | null> {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const resolvedRoot = path.resolve(root);
  let file = path.resolve(resolvedRoot, `.${path.posix.normalize(`/${relative}`)}`);
  if (file !== resolvedRoot && !file.startsWith(`${resolvedRoot}${path.sep}`)) return null;
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = path.join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (info === null && path.extname(file) === '') {
    file = path.join(resolvedRoot, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (info === null || !info.isFile()) return null;
  const body = await readFile(file);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  return new Response(body, {
    headers: {
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}

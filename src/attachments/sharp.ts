// sharp (libvips) is loaded with the first picture to decode or draw: it takes 10 MB of memory, and
// most requests touch no picture. Attachments (src/attachments/files.ts) and share cards use it.
import type sharpType from 'sharp';

let loaded: typeof sharpType | undefined;

/** The module; a broken installation (libvips missing) throws here, outside any "unreadable file" handling. */
export function loadSharp(): typeof sharpType {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('sharp') as typeof sharpType;
  return loaded;
}

export function sharp(...args: Parameters<typeof sharpType>): ReturnType<typeof sharpType> {
  return loadSharp()(...args);
}

/** The pages tmemsim calibrate times: N pages of a corpus file, or seeded generated text, code and heap pages. */

import { Corpus } from '../content/corpus.js';
import { CONTENT_CLASSES } from '../content/classes/registry.js';
import { PAGE_SIZE } from '../content/page.js';
import { Rng } from '../content/rng.js';

const GENERATED_CLASSES = ['text', 'code', 'heap'] as const;

/** `n` pages: corpus pages 0..n-1 (fewer if the corpus is smaller), else generated classes in turn. */
export function calibrationPages(n: number, corpusFile: string | null, seed: number): { pages: Uint8Array[]; what: string } {
  const pages: Uint8Array[] = [];
  if (corpusFile !== null) {
    const c = Corpus.open(corpusFile);
    try {
      const k = Math.min(n, c.pages);
      for (let i = 0; i < k; i++) {
        const p = new Uint8Array(PAGE_SIZE);
        c.fill(i, p);
        pages.push(p);
      }
    } finally {
      c.close();
    }
    return { pages, what: `corpus ${corpusFile}` };
  }
  const rng = new Rng(seed);
  for (let i = 0; i < n; i++) {
    const p = new Uint8Array(PAGE_SIZE);
    CONTENT_CLASSES[GENERATED_CLASSES[i % GENERATED_CLASSES.length]!]!.fill(rng.bits() >>> 0, p);
    pages.push(p);
  }
  return { pages, what: `generated ${GENERATED_CLASSES.join('/')} pages (seed ${seed})` };
}

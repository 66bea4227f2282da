/**
 * RAMster's remote pampd: what tmem holds for a page another node keeps.
 * The kernel packs it into the pampd pointer itself (ramster.h: bit 1
 * is_remote, bits 2-9 the node, 10-22 the compressed size, 23-30 an 8-bit
 * checksum; bit 0 marks a persistent page "intransit" while it is being
 * repatriated). tmemsim keeps the same facts in an object that tmem stores
 * beside zcache's zbuds (zcache's ZcachePampd); zcache recognises it through
 * its remote pamops. It is not a zbud: it holds no data and no pageframe.
 */

import type { RemotePampdRef, ZcachePampd } from '../zcache/zcache.js';

export class RemotePampd implements RemotePampdRef {
  readonly remote = true;

  constructor(
    /** The tmem handle: pool id, oid, index. */
    readonly poolId: number,
    readonly oid: number,
    readonly index: number,
    /** pampd_remote_size: the compressed length. */
    readonly clen: number,
    /** The oracle's version stamp of the page. */
    readonly tag: number,
    /** pampd_remote_node. */
    readonly node: number,
    /** pampd_remote_cksum: the byte sum of the compressed data, mod 256. */
    readonly cksum: number,
    readonly eph: boolean,
  ) {}
}

/** pamops.is_remote. */
export function isRemotePampd(p: ZcachePampd): p is RemotePampd {
  return p instanceof RemotePampd;
}

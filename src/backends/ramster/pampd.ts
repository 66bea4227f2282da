/**
 * RAMster's remote pampd: what tmem holds for a page another node keeps.
 * The kernel packs it into the pampd pointer itself (ramster.h: bit 1
 * is_remote, bits 2-9 the node, 10-22 the compressed size, 23-30 an 8-bit
 * checksum; bit 0 marks a persistent page "intransit" while it is being
 * repatriated). tmemsim keeps the same facts in an object that tmem stores
 * like any other pampd; zcache recognises it through its remote pamops.
 */

import { Zbud } from '../zcache/zbud.js';
import { LOCAL_CLIENT } from '../zcache/zcache.js';

export class RemotePampd extends Zbud {
  /**
   * The remote copy was freed by a get_and_free (an exclusive frontswap load
   * or a cleancache get). The kernel leaves this pampd in tmem: a later get
   * asks the node again and misses; a later put or flush frees it.
   */
  ghost = false;
  /** The node died while it held the copy: the data is gone. */
  lost = false;

  constructor(
    poolId: number,
    oid: number,
    index: number,
    clen: number,
    tag: number,
    /** pampd_remote_node. */
    readonly node: number,
    /** pampd_remote_cksum: the byte sum of the compressed data, mod 256. */
    readonly cksum: number,
    readonly eph: boolean,
  ) {
    super(LOCAL_CLIENT, poolId, oid, index, null, clen, tag);
  }
}

export function isRemotePampd(z: Zbud): z is RemotePampd {
  return z instanceof RemotePampd;
}

/**
 * RAMster's messaging (r2net, the ocfs2 o2net fork in ramster/tcp.c and
 * r2net.c) as tmemsim models it: every message is one charge to the cost
 * meter (env.meter.net: the profile's network latency, bandwidth and
 * energy), sent and answered synchronously within the caller's step.
 *
 *   r2net_send_message_vec(type, vec, node, &status):
 *     link down (nn_persistent_error or !nn_sc_valid): -ENOTCONN, nothing sent
 *     else: the request goes out (r2net_msg header + payload); the peer's
 *           handler runs and its status comes back in a reply header
 *     peer dead but not yet detected: the request goes out and the sender
 *           waits until the idle timeout shuts the socket down (-EHOSTDOWN)
 *
 * Message sizes: struct r2net_msg is 24 bytes; RAMster's payload starts with
 * a struct tmem_xhandle (48 bytes on a 64-bit kernel: client_id, cksum,
 * data size, pool_id, a 24-byte oid, index, and the `extra` pointer); a put
 * or a get reply adds the compressed bytes. The async get's reply is the
 * data message itself (ASYNC_GET_REPLY); other requests get a bare header.
 *
 * Not modelled: TCP itself (segmentation, acks, Nagle is off anyway),
 * keepalive messages, reconnect attempts, the handshake.
 */

import type { CostMeter } from '../../cost/meter.js';
import { Link, type RemoteNode } from './node.js';

/** sizeof(struct r2net_msg). */
export const R2NET_MSG_HDR = 24;
/** sizeof(struct tmem_xhandle) on a 64-bit kernel. */
const TMEM_XHANDLE_SIZE = 48;
/** Header of every RAMster request: r2net_msg + tmem_xhandle. */
export const RAMSTER_REQ_HDR = R2NET_MSG_HDR + TMEM_XHANDLE_SIZE;

export class R2net {
  /** Messages and bytes put on the wire (both directions). */
  messages = 0;
  bytes = 0;

  constructor(private readonly meter: CostMeter) {}

  /** One message on the wire. */
  wire(bytes: number): void {
    this.messages++;
    this.bytes += bytes;
    this.meter.net(bytes);
  }

  /**
   * Send a request of `bytes` to `node` at tNs. Returns the link state: on
   * Up the caller runs the handler and calls wire() for the reply; on Hang
   * the request went out and no reply will come; on Down nothing was sent.
   */
  request(node: RemoteNode, tNs: number, bytes: number): Link {
    const l = node.link(tNs);
    if (l !== Link.Down) this.wire(bytes);
    return l;
  }
}

/**
 * The wire face of redis/: what a peer that speaks RESP to a server needs (the replies it
 * reads, the bytes a command takes on the wire). sentinel/ imports this file and nothing
 * else of redis/, as the real Sentinel knows Redis only over the wire (docs/layers.md).
 */
export {
  array,
  bulk,
  bulkArray,
  emptyArray,
  ERR_NOT_INTEGER,
  err,
  formatReply,
  int,
  isError,
  nil,
  nilArray,
  ok,
  quoteRepr,
  status,
  type Reply,
} from './reply.js';
export { encodeCommand, respCommandBytes } from './resp.js';
export { CONNECTION_CLOSED, CONNECTION_REFUSED } from './client-errors.js';
export { stringMatch } from './glob.js';
export { type ClientMessage, replyBytes } from './resp.js';

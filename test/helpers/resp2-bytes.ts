/**
 * A reply as the RESP2 bytes a server writes, to compare the model's replies with bytes
 * captured from a real redis-sentinel / redis-server (and to check replyBytes against).
 */
import type { Reply } from '../../sim/redis/protocol/reply.js';

export function resp2(r: Reply): string {
  switch (r.type) {
    case 'status':
      return `+${r.text}\r\n`;
    case 'error':
      return `-${r.text}\r\n`;
    case 'int':
      return `:${r.text ?? r.value}\r\n`;
    case 'bulk':
      return r.value === null ? '$-1\r\n' : `$${Buffer.byteLength(r.value)}\r\n${r.value}\r\n`;
    case 'array':
      return r.items === null ? '*-1\r\n' : `*${r.items.length}\r\n${r.items.map(resp2).join('')}`;
  }
}

/**
 * A replica's link state (Redis's repl_state, as INFO and the trace name it) in words a
 * reader of a verdict understands: "master link is connect" reads as a typo, while the
 * state means the link is down and replicationCron will reconnect on its next tick
 * (connectWithMaster runs from REPL_STATE_CONNECT).
 */
const HANDSHAKE = new Set([
  'receive_ping_reply', 'send_handshake', 'receive_auth_reply', 'receive_port_reply', 'receive_ip_reply',
  'receive_capa_reply', 'send_psync', 'receive_psync_reply',
]);

/** Why a replica whose state is not `connected` is not up: "master link down, reconnecting (state connect)". */
export function linkDownText(state: string): string {
  if (state === 'connect') return 'master link down, waiting for replicationCron to reconnect (state connect)';
  if (state === 'connecting') return 'master link down, TCP connect in progress (state connecting)';
  if (HANDSHAKE.has(state)) return `master link down, in the handshake (state ${state})`;
  if (state === 'transfer') return 'master link down, receiving the RDB of a full sync (state transfer)';
  if (state === 'none') return 'no master link (state none)';
  return `master link ${state}, not connected`;
}

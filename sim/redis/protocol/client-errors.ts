/**
 * What a client sees when there is no reply to read: the server is not running, or it
 * closed the connection (SHUTDOWN, a crash mid-command). redis-cli shows these as errors;
 * the simulator and the differential harness use the same texts so they compare equal.
 */
export const CONNECTION_REFUSED = 'ERR Connection refused';
export const CONNECTION_CLOSED = 'ERR Server closed the connection';

/**
 * AUTH against Redis 7.0's default user, which is all `requirepass` configures: no password
 * means `nopass` (any password is accepted for `default`, and `AUTH <password>` alone is an
 * error), a password means it must match. Texts checked on redis-server 7.0.15.
 */
import { err, ok, type Reply } from './protocol/reply.js';

export const AUTH_WITHOUT_PASSWORD =
  'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';

/** AUTH [username] password: the reply, and whether the client is now authenticated. */
export function authenticate(argv: readonly string[], requirepass: string | null): { reply: Reply; ok: boolean } {
  if (argv.length > 3) return { reply: err('ERR syntax error'), ok: false };
  if (argv.length === 2) {
    if (requirepass === null) return { reply: err(AUTH_WITHOUT_PASSWORD), ok: false };
    return argv[1] === requirepass ? { reply: ok(), ok: true } : { reply: err(WRONGPASS), ok: false };
  }
  // AUTH <username> <password>: only `default` exists.
  const good = argv[1] === 'default' && (requirepass === null || argv[2] === requirepass);
  return good ? { reply: ok(), ok: true } : { reply: err(WRONGPASS), ok: false };
}

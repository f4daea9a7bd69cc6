/**
 * How Redis's Lua 5.1 turns a number into text: every number is a double printed with
 * LUAI_NUMFFORMAT "%.14g" (tostring, `..`, string.format('%s')). fengari is Lua 5.3, which
 * prints integers in full and integral floats with a ".0" suffix ("3.0"); replsim swaps
 * fengari's luaO_tostring for the 5.1 rule (lua-vm.ts), so `tostring(10/2)` is "5" and
 * `tostring(2^63)` "9.2233720368548e+18" as in Redis.
 */

/** printf("%.<precision>g", d) as glibc prints it. */
export function formatG(d: number, precision: number): string {
  // glibc prints the x86 default NaN (0/0, sign bit set) as "-nan"; JS cannot see a NaN's
  // sign, so every NaN prints as 0/0's does (KNOWN-DIFFERENCES: -(0/0) prints "-nan").
  if (Number.isNaN(d)) return '-nan';
  if (!Number.isFinite(d)) return d > 0 ? 'inf' : '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const expForm = d.toExponential(p - 1);
  const ePos = expForm.indexOf('e');
  const exp = Number(expForm.slice(ePos + 1));
  if (exp < -4 || exp >= p) {
    const mant = stripZeros(expForm.slice(0, ePos));
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mant}e${exp < 0 ? '-' : '+'}${digits}`;
  }
  return stripZeros(d.toFixed(p - 1 - exp));
}

/** lua_number2str with LUAI_NUMFFORMAT "%.14g" (Lua 5.1's luaconf.h). */
export function luaNumberText(d: number): string {
  return formatG(d, 14);
}

/** %g drops trailing zeros of the fraction, and the point if nothing is left after it. */
function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

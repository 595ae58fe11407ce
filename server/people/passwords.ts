// Passwords: better-auth's own hashing (scrypt, the same function its sign-in verifies with), a one-time password
// generator, and the weakness rules a form can only check with the person's details at hand.
import '#server-only';
import { generateRandomString, hashPassword, verifyPassword } from 'better-auth/crypto';

export { hashPassword, verifyPassword };

// 16 letters and digits in groups of four: about 95 bits, and easy to read out to someone at a terminal.
export function oneTimePassword(): string {
  return (generateRandomString(16, 'a-z', 'A-Z', '0-9').match(/.{4}/g) ?? []).join('-');
}

// A few of the passwords every guessing list starts with; length alone does not keep these out.
const COMMON = new Set([
  'password123',
  'password1234',
  'passw0rd123',
  '1234567890',
  '12345678910',
  'qwertyuiop',
  'qwerty12345',
  '1q2w3e4r5t',
  'iloveyou123',
  'letmein1234',
  'welcome123',
  'administrator',
  'onhand-demo',
  'changeme123',
]);

// Why this password is weak, or null. The length limits are the contract's (lib/contracts/people.ts).
export function passwordWeakness(password: string, person: { email: string; name?: string }): string | null {
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'This password is on every guessing list; choose another';
  if (new Set(lower).size < 4) return 'Use more different characters';
  const local = person.email.split('@')[0].toLowerCase();
  if (local.length >= 3 && lower.includes(local)) return 'Do not use your e-mail address in the password';
  const name = person.name?.trim().toLowerCase();
  if (name && name.length >= 3 && lower.includes(name)) return 'Do not use your name in the password';
  return null;
}

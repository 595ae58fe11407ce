// `#server-only` outside a browser bundle: nothing. Node processes (the CLI, the sidecar, the connector, tests)
// load the database client and the core directly; only a browser bundle must never contain them, and there
// package.json's "imports" map sends `#server-only` to the `server-only` package, which fails the build.
export {};

// Runs before each test file. Test files share one database (and Redis, when REDIS_URL is set), and the rate
// limits count there for every process: each file counts under a prefix of its own, as each file's in-process
// requests all come from the same address and would otherwise spend one another's allowance.
import { randomBytes } from 'node:crypto';

process.env.RATE_LIMIT_PREFIX = `test-${randomBytes(4).toString('hex')}:`;

// The queue tests use the same real redis-server harness as the benchmark (no mocks of Redis).
export { freePort, haveRedis, RedisServer, REDIS_SERVER } from '../../bench/redis-server.js';

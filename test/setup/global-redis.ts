import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { startRedisServer } from "../support/redis-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Starts one throwaway redis-server on a free loopback port for the whole run. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startRedisServer();
  project.provide("redisUrl", server.url);
  return () => server.stop();
}

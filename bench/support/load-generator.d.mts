export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
}
export function runLoad(
  url: string,
  bodies: { raw: string; header: string }[],
  concurrency: number,
): Promise<LoadResult>;

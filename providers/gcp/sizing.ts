/**
 * vCPU Google gives each memory size (https://cloud.google.com/functions/docs/configuring/memory):
 * below 1 vCPU an instance may only take one request at a time
 * (https://cloud.google.com/run/docs/configuring/services/cpu), so concurrency > 1 needs ≥ 1 vCPU.
 */
export function cpuFor(memoryMb: number, concurrency: number): string | undefined {
  const tier = memoryMb > 16384 ? 8 : memoryMb > 8192 ? 4 : memoryMb > 2048 ? 2 : memoryMb > 1024 ? 1 : 0;
  if (concurrency > 1) return String(Math.max(1, tier));
  return undefined; // keep Google's default for the memory size
}

import type { EnvironmentInput } from './schema';

/**
 * Typed identity for site definitions: gives editors completion and type errors, and nothing
 * else. Validation runs after loading so that a broken definition yields issues, not a throw.
 */
export function defineEnvironment(input: EnvironmentInput): EnvironmentInput {
  return input;
}

/** A reusable part of a definition (a fleet-wide base under `environments/_shared/`). */
export function definePartial<T extends Partial<EnvironmentInput>>(part: T): T {
  return part;
}

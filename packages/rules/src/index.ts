// The door of @osa-gitops/rules: what osa-gitops rejects in a site definition and across the
// fleet. Pure, like core (src/boundaries.spec.ts).
export {
  validateEnvironment,
  validateEnvironmentOrThrow,
  type ValidateOptions,
  type ValidationResult,
} from './validate-environment';
export { validateFleet } from './fleet';
export { reservedHostName } from './reserved-names';

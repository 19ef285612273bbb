// The validation door, re-exported by core's index.
export {
  validateEnvironment,
  validateEnvironmentOrThrow,
  type ValidateOptions,
  type ValidationResult,
} from './validate-environment';
export { validateFleet } from './fleet';

import * as core from '@actions/core';
import { redact } from './github/api-error.js';
import { parseConfig } from './inputs.js';
import { run } from './run.js';

// The entry point stays thin (style point 6): inputs → run(config) → one catch → setFailed.
const token = core.getInput('token');
// Masks the token in every later log line. Tokens from `secrets.*` are already masked by the
// runner; an App token minted in an earlier step is masked by that step, but be sure.
if (token) core.setSecret(token);
try {
  await run(parseConfig((name) => core.getInput(name), process.env));
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  core.setFailed(redact(message, [token]));
}

// Verify: what is live on a site (facts gathered elsewhere) judged against its definition.
export * from './live-facts';
export { verifyExpectations, type VerifyExpectations } from './expectations';
export {
  CHECK_IDS,
  judgeSite,
  type AppliedStages,
  type CheckId,
  type CheckStatus,
  type VerifyCheck,
  type VerifyResult,
} from './judge';
export {
  formatVerifyMarkdown,
  formatVerifyText,
  verifyResultToJson,
  type VerifyResultJson,
} from './format-verify';

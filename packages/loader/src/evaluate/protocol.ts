/**
 * Messages between `loadSites` and the evaluator process. Everything here is structured-clone safe.
 * The evaluator sends them in arrays: one site's result and the next site's start travel together.
 */

export interface EvaluationJob {
  readonly site: string;
  /** CommonJS bundle text (esbuild output). */
  readonly code: string;
  /** Name the bundle is compiled under; stack frames are matched against it. */
  readonly filename: string;
}

export interface WorkerInput {
  readonly jobs: readonly EvaluationJob[];
}

/** A stack frame inside the bundle, 1-based as V8 prints it. */
export interface BundleFrame {
  readonly line: number;
  readonly column: number;
}

export type WorkerMessage =
  | { readonly type: 'start'; readonly site: string }
  | { readonly type: 'data'; readonly site: string; readonly value: unknown }
  | {
      readonly type: 'not-data';
      readonly site: string;
      readonly path: (string | number)[];
      readonly reason: string;
      /** Over one of the evaluator's limits (values, depth, keys, text), rather than not data. */
      readonly tooLarge?: boolean;
    }
  | {
      readonly type: 'threw';
      readonly site: string;
      readonly text: string;
      readonly frames: readonly BundleFrame[];
      /** The definition called `require` at run time (a definition may `require` nothing). */
      readonly forbidden: boolean;
    };

/**
 * Characters of text (string values and keys) one evaluator process sends back in all: with at
 * most two processes per load (ADR 0013) a load receives at most twice this, whatever the
 * definitions hold. A thousand real sites send a few MB.
 */
export const MAX_PROCESS_TEXT = 64 * 1024 * 1024;

/** Stack frames of one thrown value looked at (a hook may return a stack of any length). */
export const MAX_FRAMES = 64;

/** How the evaluator starts the one stderr line that says why it refused to run at all. */
export const EVALUATOR_REFUSED = 'osa-gitops evaluator refused to run: ';

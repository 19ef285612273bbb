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
    }
  | {
      readonly type: 'threw';
      readonly site: string;
      readonly text: string;
      readonly frames: readonly BundleFrame[];
      /** The definition called `require` at run time (a definition may `require` nothing). */
      readonly forbidden: boolean;
    };

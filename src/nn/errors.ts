// The one error the engine throws for a spec or data it cannot train: it names the setting's path
// (e.g. `model.2.weights`) so the caller can point at the line in the experiment file.

export class ModelSpecError extends Error {
  /** Dotted path of the offending setting in the experiment, e.g. `model.0.weights` or `loss`. */
  readonly path: string;
  /** True when the setting at `path` is absent but needed (a sweep may still provide it). */
  readonly missing: boolean;

  constructor(path: string, message: string, options: { missing?: boolean } = {}) {
    super(`${path}: ${message}`);
    this.name = 'ModelSpecError';
    this.path = path;
    this.missing = options.missing ?? false;
  }
}

// The engine's public surface, for the rest of gradgrid and for src/index.ts.

export { train, accuracy, RECORD_CHUNK } from './train.js';
export { recordedPointCount } from './recorded-points.js';
export type { RecordedPoints, SharpnessSeries, TrainData, TrainOptions, TrainResult } from './train.js';
export { SharpnessTracker, sharpnessOf, sharpnessOptions, SHARPNESS_DEFAULTS, SHARPNESS_START_SEED } from './sharpness.js';
export type { SharpnessOptions } from './sharpness.js';
export { HessianVectorProduct, parameterCount, readParameters, writeParameters } from './hessian-vector.js';
export type { SymmetricOperator } from './hessian-vector.js';
export { LanczosTopEigen, topEigenvalue } from './lanczos.js';
export type { TopEigenResult } from './lanczos.js';
export { stabilityThreshold, DEFAULT_MOMENTUM_BETA } from './stability.js';
export type { OptimizerSetting, StabilityThreshold } from './stability.js';
export { buildNetwork, Network } from './network.js';
export type { LayerParameters, Workspace } from './network.js';
export { gradientCheck } from './gradcheck.js';
export type { GradientCheckOptions, GradientCheckResult, LayerGradientCheck, ParameterCheck } from './gradcheck.js';
export { RandomState } from './rng.js';
export {
  zeros,
  fromRows,
  toRows,
  linearForward,
  matmulTransposeA,
  matmulTransposeB,
  rowSums,
  mapInto,
  copyColumns,
} from './matrix.js';
export type { Matrix } from './matrix.js';
export { activations, activationNames, isActivationName, LEAKY_RELU_SLOPE } from './activations.js';
export type { Activation } from './activations.js';
export { losses, lossNames, isLossName, KERAS_EPSILON } from './losses.js';
export type { Loss } from './losses.js';
export { targetKinds } from './targets.js';
export type { TargetKind, TargetRule } from './targets.js';
export { initializers, initializerNames, isInitName, initialWeights } from './init.js';
export type { Initializer } from './init.js';
export { ModelSpecError } from './errors.js';
export { ENGINE_VERSION } from './version.js';
export type * from './spec.js';

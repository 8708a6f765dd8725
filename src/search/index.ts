// Searches that choose their runs from the results of earlier runs (layer 4, beside run/): the
// stability-limit bisection. Pure; src/sweep runs the probes.
export { INTERIOR_PROBES, LimitBisection, maxProbes, maxRounds, type LimitOutcome, type LimitResult, type LimitSettings, type ProbeVerdict } from './bisection.js';
export { planStabilitySearch, StabilitySearch, type Probe, type StabilityPlan, type StabilityRow } from './stability-search.js';
export { probeVerdict, type ProbeRun } from './verdict.js';

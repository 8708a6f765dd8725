// What the numbers were measured on, stored beside them in results.json. A virtual machine often
// names its processor vaguely ("AMD EPYC"), and the speed of the WebAssembly kernels against
// NumPy's BLAS depends on the core (how wide its vector units are, AVX-512 or not): the family and
// model numbers pin it down, and the microarchitecture they stand for is named where known.

import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  /** The processor as the figures should name it: model, microarchitecture, widest vector extension. */
  cpuName: string;
  cpuId: { vendor: string; family: number | null; model: number | null; stepping: number | null; flags: string[] } | null;
  cores: number;
  memoryGB: number;
  node: string;
  platform: string;
  date: string;
  /** 1-minute load average at the start: other work on the machine slows every number. */
  loadAverage1m: number;
}

function cpuInfoText(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null; // not Linux: fall back to what Node reports
  }
}

function field(text: string, name: string): string | null {
  const match = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text);
  return match ? match[1].trim() : null;
}

const number = (value: string | null) => (value === null || value === '' ? null : Number(value));

/** AMD's family and model numbers by microarchitecture (from AMD's processor programming references). */
function amdMicroarchitecture(family: number, model: number): string | null {
  if (family === 0x17) return model >= 0x30 ? 'Zen 2' : 'Zen / Zen+';
  if (family === 0x19) {
    const zen4 = (model >= 0x10 && model <= 0x1f) || (model >= 0x60 && model <= 0x7f) || (model >= 0xa0 && model <= 0xaf);
    return zen4 ? 'Zen 4' : 'Zen 3';
  }
  if (family === 0x1a) return 'Zen 5';
  return null;
}

/** Intel family 6 server models the benchmark has met or is likely to meet. */
const INTEL_MODELS: Record<number, string> = {
  0x55: 'Skylake-SP / Cascade Lake',
  0x6a: 'Ice Lake-SP',
  0x6c: 'Ice Lake-D',
  0x8f: 'Sapphire Rapids',
  0xcf: 'Emerald Rapids',
  0xad: 'Granite Rapids',
  0xaf: 'Sierra Forest',
};

export function describeCpu(text: string | null): { cpu: string; cpuName: string; cpuId: MachineInfo['cpuId'] } {
  const cpu = (text && field(text, 'model name')) || os.cpus()[0]?.model || 'unknown';
  if (text === null) return { cpu, cpuName: cpu, cpuId: null };
  const vendor = field(text, 'vendor_id') ?? 'unknown';
  const family = number(field(text, 'cpu family'));
  const model = number(field(text, 'model'));
  const stepping = number(field(text, 'stepping'));
  const flags = (field(text, 'flags') ?? '').split(/\s+/).filter((flag) => /^(avx|avx2|fma|avx512f|avx512vl|avx512dq|sse4_1)$/.test(flag));
  let arch: string | null = null;
  if (family !== null && model !== null) {
    if (vendor === 'AuthenticAMD') arch = amdMicroarchitecture(family, model);
    else if (vendor === 'GenuineIntel' && family === 6) arch = INTEL_MODELS[model] ?? null;
  }
  const simd = flags.includes('avx512f') ? 'AVX-512' : flags.includes('avx2') ? 'AVX2' : flags.includes('avx') ? 'AVX' : 'SSE';
  const id = family === null ? '' : `family ${family} model ${model}`;
  const detail = [arch, id].filter(Boolean).join(', ');
  return { cpu, cpuName: `${cpu} (${detail ? `${detail}; ` : ''}${simd})`, cpuId: { vendor, family, model, stepping, flags } };
}

export function describeMachine(): MachineInfo {
  return {
    ...describeCpu(cpuInfoText()),
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 1e8) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    loadAverage1m: os.loadavg()[0],
  };
}

// The hand-written .npy/.npz writer: the zip structure and checksums, and — with NumPy — byte
// equality with np.save's .npy files and a round trip through np.load.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32, npyBytes, npzBytes, storedZip } from '../../src/files/npz.js';
import { haveNumpy, python, skipNotice } from '../helpers/python.js';

const dir = mkdtempSync(join(tmpdir(), 'gradgrid-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
skipNotice('the NumPy checks of the .npz writer');

/** The entries of a stored zip, read back from its central directory. */
function readZip(bytes: Uint8Array): { name: string; data: Uint8Array; crc: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint16(local + 8, true)).toBe(0); // stored, not compressed
    const dataStart = local + 30 + view.getUint16(local + 26, true);
    entries.push({ name, data: bytes.subarray(dataStart, dataStart + size), crc });
    at += 46 + nameLength;
  }
  return entries;
}

describe('.npz writer', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('writes stored entries whose checksums match their bytes, the same bytes every time', () => {
    const arrays: [string, Parameters<typeof npyBytes>[0]][] = [
      ['W1', { shape: [3, 2], float64: [1, -2, 3.5, 1e-300, -0, 6] }],
      ['run2/meta', { text: '{"note": "pâté 🍕"}' }],
    ];
    const bytes = npzBytes(arrays);
    expect(Buffer.from(npzBytes(arrays)).equals(Buffer.from(bytes))).toBe(true);
    const entries = readZip(bytes);
    expect(entries.map((entry) => entry.name)).toEqual(['W1.npy', 'run2/meta.npy']);
    for (const entry of entries) expect(crc32(entry.data)).toBe(entry.crc);
    expect(Buffer.from(entries[0].data).equals(Buffer.from(npyBytes(arrays[0][1])))).toBe(true);
    // The .npy header ends on a 64-byte boundary, as numpy writes it.
    const headerLength = new DataView(entries[0].data.buffer, entries[0].data.byteOffset).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    expect(entries[0].data.length).toBe(10 + headerLength + 6 * 8);
  });

  it('refuses a shape that does not fit the values, and more entries than a plain zip holds', () => {
    expect(() => npyBytes({ shape: [2, 2], float64: [1, 2, 3] })).toThrow(/holds 4 values, not 3/);
    const empty = new Uint8Array(0);
    expect(() => storedZip(Array.from({ length: 65536 }, (_, i): [string, Uint8Array] => [`${i}`, empty]))).toThrow(/65535/);
  });

  it.skipIf(!haveNumpy)('writes what np.save writes, and np.load reads every array back', () => {
    const values = [0.1, -2.5, Number.MIN_VALUE, 1.7976931348623157e308, NaN, -Infinity];
    writeFileSync(join(dir, 'ours.npy'), npyBytes({ shape: [2, 3], float64: values }));
    writeFileSync(join(dir, 'vector.npy'), npyBytes({ shape: [3], float64: [1, 2, 3] }));
    writeFileSync(join(dir, 'text.npy'), npyBytes({ text: 'héllo 🍕' }));
    writeFileSync(join(dir, 'all.npz'), npzBytes([['W1', { shape: [2, 3], float64: values }], ['run3/meta', { text: '{"a": 1}' }]]));
    const script = `
import io, numpy as np, sys
d = sys.argv[1]
def saved(array):
    buffer = io.BytesIO(); np.save(buffer, array); return buffer.getvalue()
values = np.array([[0.1, -2.5, 5e-324], [1.7976931348623157e308, np.nan, -np.inf]])
assert open(d + "/ours.npy", "rb").read() == saved(values), "2-d float64"
assert open(d + "/vector.npy", "rb").read() == saved(np.array([1.0, 2.0, 3.0])), "1-d float64"
assert open(d + "/text.npy", "rb").read() == saved(np.array("héllo 🍕")), "0-d unicode"
z = np.load(d + "/all.npz")
assert z.files == ["W1", "run3/meta"], z.files
np.testing.assert_array_equal(z["W1"], values)
assert z["run3/meta"].item() == '{"a": 1}'
print("ok")
`;
    expect(python(['-c', script, dir]).trim()).toBe('ok');
  });
});

// NumPy's .npy and .npz formats, written by hand: an .npz is an uncompressed ("stored") zip of
// .npy files, one per array, which np.load opens without pickle. Only what gradgrid exports is
// supported: little-endian float64 arrays of any shape and 0-d unicode strings. The zip entries
// carry a fixed timestamp (1980-01-01), so the same arrays always give the same bytes.

/** An array for an .npz: float64 values in C (row-major) order, or one unicode string. */
export type NpyArray = { shape: number[]; float64: ArrayLike<number> } | { text: string };

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
/** numpy pads the header so the data starts on a multiple of 64 bytes. */
const NPY_ALIGNMENT = 64;

/** The bytes of one .npy file (format version 1.0). */
export function npyBytes(array: NpyArray): Uint8Array {
  let descr: string;
  let shape: number[];
  let data: Uint8Array;
  if ('text' in array) {
    const codePoints = [...array.text].map((char) => char.codePointAt(0)!);
    // numpy's '<U' strips trailing NULs, so an empty string is one NUL of width 1.
    const width = Math.max(1, codePoints.length);
    descr = `<U${width}`;
    shape = [];
    const view = new DataView(new ArrayBuffer(width * 4));
    codePoints.forEach((code, i) => view.setUint32(i * 4, code, true));
    data = new Uint8Array(view.buffer);
  } else {
    const count = array.shape.reduce((product, n) => product * n, 1);
    if (count !== array.float64.length) throw new RangeError(`shape (${array.shape.join(', ')}) holds ${count} values, not ${array.float64.length}`);
    descr = '<f8';
    shape = array.shape;
    const view = new DataView(new ArrayBuffer(count * 8));
    for (let i = 0; i < count; i++) view.setFloat64(i * 8, array.float64[i], true);
    data = new Uint8Array(view.buffer);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = NPY_MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((NPY_ALIGNMENT - (unpadded % NPY_ALIGNMENT)) % NPY_ALIGNMENT) + '\n';
  const out = new Uint8Array(NPY_MAGIC.length + 4 + header.length + data.length);
  out.set(NPY_MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}

/** An .npz holding `arrays` by name (np.load(path)[name]); names keep their order. */
export function npzBytes(arrays: ReadonlyArray<[string, NpyArray]>): Uint8Array {
  return storedZip(arrays.map(([name, array]) => [`${name}.npy`, npyBytes(array)]));
}

const ZIP_VERSION = 20; // 2.0: stored entries and folders
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;
const ZIP32_LIMIT = 0xffffffff;

/** A zip archive of uncompressed entries (no zip64: every size and offset below 4 GiB). */
export function storedZip(entries: ReadonlyArray<[string, Uint8Array]>): Uint8Array {
  if (entries.length > 0xffff) throw new RangeError(`a zip without zip64 holds at most 65535 entries, not ${entries.length}`);
  const names = entries.map(([name]) => new TextEncoder().encode(name));
  const localSize = entries.reduce((sum, [, data], i) => sum + 30 + names[i].length + data.length, 0);
  const centralSize = names.reduce((sum, name) => sum + 46 + name.length, 0);
  if (localSize + centralSize > ZIP32_LIMIT) throw new RangeError('the archive would exceed 4 GiB, beyond a zip without zip64');

  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (value: number) => {
    view.setUint16(at, value, true);
    at += 2;
  };
  const u32 = (value: number) => {
    view.setUint32(at, value, true);
    at += 4;
  };
  const bytes = (data: Uint8Array) => {
    out.set(data, at);
    at += data.length;
  };
  const offsets: number[] = [];
  const crcs = entries.map(([, data]) => crc32(data));
  entries.forEach(([, data], i) => {
    offsets.push(at);
    u32(0x04034b50);
    u16(ZIP_VERSION);
    u16(0); // flags
    u16(0); // method: stored
    u16(0); // time 00:00:00
    u16(DOS_DATE_1980_01_01);
    u32(crcs[i]);
    u32(data.length);
    u32(data.length);
    u16(names[i].length);
    u16(0); // extra field length
    bytes(names[i]);
    bytes(data);
  });
  const centralStart = at;
  entries.forEach(([, data], i) => {
    u32(0x02014b50);
    u16(ZIP_VERSION); // made by
    u16(ZIP_VERSION); // needed
    u16(0);
    u16(0);
    u16(0);
    u16(DOS_DATE_1980_01_01);
    u32(crcs[i]);
    u32(data.length);
    u32(data.length);
    u16(names[i].length);
    u16(0); // extra
    u16(0); // comment
    u16(0); // disk number
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(offsets[i]);
    bytes(names[i]);
  });
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(centralSize);
  u32(centralStart);
  u16(0); // comment length
  return out;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, the zip checksum). */
export function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

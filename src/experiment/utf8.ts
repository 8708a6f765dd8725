// Strict UTF-8 decoding that can say where a file stops being UTF-8: TextDecoder (fatal) knows
// *that* the bytes are bad but not *where*, so the first bad byte is found by a small scan.

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; byteOffset: number; line: number; column: number };

export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  try {
    return { ok: true, text: strictDecoder.decode(bytes) };
  } catch {
    const byteOffset = firstInvalidUtf8Offset(bytes);
    const { line, column } = lineAndColumnOfByte(bytes, byteOffset);
    return { ok: false, byteOffset, line, column };
  }
}

/**
 * Offset of the first byte that does not start or continue a well-formed UTF-8 sequence
 * (overlong forms, surrogates and code points above U+10FFFF are ill-formed), or -1 if none.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    let length: number;
    let low = 0x80; // allowed range of the second byte
    let high = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 === 0xe0) low = 0xa0; // overlong
      if (b0 === 0xed) high = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 === 0xf0) low = 0x90; // overlong
      if (b0 === 0xf4) high = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      const min = k === 1 ? low : 0x80;
      const max = k === 1 ? high : 0xbf;
      // A cut or malformed sequence is reported at its first byte, where the character begins.
      if (b === undefined || b < min || b > max) return i;
    }
    i += length;
  }
  return -1;
}

/** 1-based line, and column counted in characters of the (valid) text before the byte. */
function lineAndColumnOfByte(bytes: Uint8Array, byteOffset: number): { line: number; column: number } {
  const offset = byteOffset < 0 ? bytes.length : byteOffset;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  // The bytes between the line start and the bad byte are valid UTF-8 up to a possibly cut
  // sequence; decoding them leniently counts the characters an editor shows.
  const prefix = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, offset));
  return { line, column: prefix.length + 1 };
}

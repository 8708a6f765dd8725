// The charts are laid out before they are drawn (svg/): axis labels, legends and panel headers
// need their text's width, with no browser or canvas to measure it. The charts use an Arial-metric
// font (Helvetica, Arial, Liberation Sans), so the advance widths of Helvetica's standard font
// metrics give an estimate close to what a browser draws.

// Advance widths in 1/1000 em of the printable ASCII characters 32..126 (Helvetica regular).
const HELVETICA_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space .. /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0 .. 9
  278, 278, 584, 584, 584, 556, 1015, // : ; < = > ? @
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A .. M
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N .. Z
  278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a .. m
  556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n .. z
  334, 260, 334, 584, // { | } ~
];
/** Anything outside ASCII (accents, symbols): a generous average. */
const OTHER_WIDTH = 650;
/** Bold glyphs are wider; one factor is close enough for layout. */
const BOLD_FACTOR = 1.08;

export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    units += code >= 32 && code <= 126 ? HELVETICA_WIDTHS[code - 32] : OTHER_WIDTH;
  }
  return (units / 1000) * fontSize * (bold ? BOLD_FACTOR : 1);
}

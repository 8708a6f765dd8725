// The look shared by every chart: one font stack with Arial metrics (see ../text-width.ts), quiet
// axes, and the sizes the layout reserves for them.

export const FONT = 'Helvetica Neue, Helvetica, Arial, Liberation Sans, sans-serif';

export const AXIS = {
  tick: 5,
  labelPad: 3,
  labelSize: 11,
  labelColour: '#333',
  labelSeparation: 6,
  titleSize: 12,
  titleWeight: 600,
  titleColour: '#222',
  titlePad: 6,
  gridColour: '#ececec',
  domainColour: '#999',
  frameColour: '#d0d0d0',
};

export const LEGEND = {
  labelSize: 11,
  labelColour: '#222',
  titleSize: 12,
  titleWeight: 600,
  rowHeight: 16,
  symbolWidth: 16,
  gap: 16,
};

export const HEADER = { size: 11, colour: '#222', lineHeight: 14 };

/** Space around the whole chart and between panels. */
export const PADDING = 8;
export const PANEL_GAP = 18;

// One error type for every dataset problem, carrying where it happened so that callers (the CLI,
// the run record) can show or sort it without parsing the message.

export interface DatasetErrorLocation {
  /** The data file, when the problem is in a file. */
  file?: string;
  /** 1-based line of the file (the header is row 1). */
  row?: number;
  /** Column name (CSV) or feature name. */
  column?: string;
}

export class DatasetError extends Error {
  readonly file?: string;
  readonly row?: number;
  readonly column?: string;

  /** `problem` is the plain description; the message prefixes it with the location. */
  constructor(problem: string, location: DatasetErrorLocation = {}) {
    super(formatLocation(location) + problem);
    this.name = 'DatasetError';
    if (location.file !== undefined) this.file = location.file;
    if (location.row !== undefined) this.row = location.row;
    if (location.column !== undefined) this.column = location.column;
  }
}

function formatLocation({ file, row, column }: DatasetErrorLocation): string {
  const parts: string[] = [];
  if (file !== undefined) parts.push(file);
  if (row !== undefined) parts.push(`row ${row}`);
  if (column !== undefined) parts.push(`column "${column}"`);
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

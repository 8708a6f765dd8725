// The command line's exit codes, in a module of their own: the CLI's entry point needs them
// before it knows which command runs, and must not load a command's dependencies to get them.
export const EXIT_OK = 0;
export const EXIT_RUNS_FAILED = 1;
export const EXIT_INVALID = 2;
export const EXIT_INTERRUPTED = 130;

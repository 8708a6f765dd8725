#!/usr/bin/env node
// The gradgrid command line: sweep, worker, validate, report, verify, export, gradcheck.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { codeIsWarm } from './code-cache.js';
import { TOOL_VERSION } from './package-info.js';
import { EXIT_INVALID } from './commands/exit-codes.js';
import { npmUserDir } from './commands/user-dir.js';

const userDir = npmUserDir(process.env, process.cwd());
if (userDir !== null) {
  try {
    process.chdir(userDir);
  } catch (error) {
    process.stderr.write(`gradgrid: cannot change to the folder npm was started in (${userDir}): ${(error as Error).message}\n`);
    process.exit(EXIT_INVALID);
  }
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number >= 1, found "${value}"`);
  }
  return parsed;
}

/** The "Example" section every help page ends with: commands as typed in a clone of gradgrid. */
const examples = (...lines: string[]) => `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;

const workersOption = (defaultText = 'the number of cores') =>
  new Option('-w, --workers <n>', `worker threads (default: ${defaultText})`).argParser(positiveInteger);

const setOption = () =>
  new Option('--set <key=value>', 'override a setting of the file, e.g. train.epochs=200 (repeatable; the value is YAML)')
    .argParser((value: string, previous: string[] = []) => [...previous, value]);

let exitCode = 0;

const program = new Command()
  .name('gradgrid')
  .description('Declarative experiments for small neural networks: YAML in, grid sweeps, cost curves and reports out.')
  .version(TOOL_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    examples('npx gradgrid validate experiments/xor-lr.yaml', 'npx gradgrid sweep experiments/xor-lr.yaml', 'npx gradgrid sweep --help') +
      '\n\nFrom a clone, `npm run sweep -- <experiment.yaml>` is the same as `npx gradgrid sweep <experiment.yaml>`;\n' +
      'relative paths are taken from the folder you run it in.',
  );

program
  .command('sweep')
  .description('train every run of the experiment grid and write summary.csv, curves.csv, manifest.json, report.html')
  .argument('<experiment.yaml>', 'the experiment file')
  .option('-o, --out <dir>', 'output folder (default: results/<name>)')
  .addOption(workersOption('the number of cores, or one for a sweep too small to gain from more'))
  .option('-q, --quiet', 'no progress and no table, only where the results went')
  .option('--fresh', 'recompute every run instead of reusing finished runs stored in <out>/runs/')
  .option('--no-report', 'skip report.html')
  .addOption(setOption())
  .option('--queue <url>', 'train on `gradgrid worker` processes through a Redis queue: redis://[user:pass@]host:port[/db], rediss:// for TLS (default: $GRADGRID_QUEUE)')
  .addOption(new Option('--attempts <n>', 'with --queue: tries per run before it counts as failed (default 3)').argParser(positiveInteger))
  .option('--shard <i/n>', 'train only the runs at grid positions i, i+n, i+2n, ... (counting from 0) into <out>/runs/, for cluster job arrays; a plain sweep afterwards assembles the outputs')
  .addHelpText(
    'after',
    '\nExit codes: 0 all runs finished (diverged runs are results), 1 some runs failed,\n' +
      '2 the experiment file, its data or the arguments are invalid, the output folder cannot be\n' +
      'used or the queue cannot be reached (nothing written), 130 interrupted.\n' +
      'Ctrl-C once: finish running runs and write what finished; twice: abort them too.\n' +
      'With --queue, Ctrl-C stops waiting; queued runs stay on the queue for the next sweep.\n' +
      examples(
        'npx gradgrid sweep experiments/xor-lr.yaml',
        'npx gradgrid sweep experiments/xor-lr.yaml --out /tmp/xor --workers 2 --quiet',
        'npx gradgrid sweep experiments/xor-lr.yaml --queue redis://localhost:6379',
        'npx gradgrid sweep experiments/xor-lr.yaml --shard 0/4 --out results/xor-lr',
      ),
  )
  .action(
    async (
      file: string,
      options: { out?: string; workers?: number; quiet?: boolean; fresh?: boolean; report: boolean; set?: string[]; queue?: string; shard?: string; attempts?: number },
    ) => {
      // A local sweep's threads start before the command's own modules load: their start-up overlaps that.
      const { whereToRun } = await import('./commands/where-to-run.js');
      const { startSweepThreads } = await import('./commands/sweep-threads.js');
      const where = whereToRun(options, process.env);
      const threads = typeof where !== 'string' && where.kind === 'local' ? startSweepThreads(options) : undefined;
      const { sweepCommand } = await import('./commands/sweep.js');
      exitCode = await sweepCommand(file, { ...options, argv: process.argv.slice(2), threads });
      codeIsWarm();
    },
  );

program
  .command('worker')
  .description('train runs from a sweep\'s Redis queue (gradgrid sweep --queue) until stopped')
  .option('--queue <url>', 'redis://[user:pass@]host:port[/db], rediss:// for TLS (default: $GRADGRID_QUEUE)')
  .addOption(new Option('-c, --concurrency <n>', 'runs trained at once (default: the number of cores)').argParser(positiveInteger))
  .addHelpText(
    'after',
    '\nCtrl-C or SIGTERM: take no more runs, finish the ones in hand, exit 0; a second signal\n' +
      'gives them up (they return to the queue for another worker) and exits 130.',
  )
  .action(async (options: { queue?: string; concurrency?: number }) => {
    const { workerCommand } = await import('./commands/worker.js');
    exitCode = await workerCommand(options);
  });

program
  .command('validate')
  .description('check an experiment file without running it: settings, grid, data, and whether the model and loss fit the data')
  .argument('<experiment.yaml>', 'the experiment file')
  .addHelpText(
    'after',
    '\nEvery problem is listed at once as file:line:column  setting: what is wrong; nothing is written.\n' +
      'Exit codes: 0 the experiment is valid, 2 it is not (or the file cannot be read).\n' +
      examples('npx gradgrid validate experiments/xor-lr.yaml'),
  )
  .addOption(setOption())
  .action(async (file: string, options: { set?: string[] }) => {
    const { validateCommand } = await import('./commands/validate.js');
    exitCode = validateCommand(file, options.set ?? []);
  });

program
  .command('report')
  .description('rebuild report.html from the files in a result folder')
  .argument('<dir>', 'a result folder, e.g. results/xor-lr')
  .addHelpText('after', examples('npx gradgrid report results/xor-lr'))
  .action(async (dir: string) => {
    const { reportCommand } = await import('./commands/report.js');
    exitCode = await reportCommand(dir);
  });

program
  .command('verify')
  .description('re-run every finished run of a result folder and check the stored curves bit for bit')
  .argument('<dir>', 'a result folder, e.g. results/xor-lr')
  .addOption(workersOption())
  .addHelpText(
    'after',
    '\nExit codes: 0 every curve reproduced, 1 differences found (listed), 2 not a result folder.\n' +
      examples('npx gradgrid verify results/xor-lr'),
  )
  .action(async (dir: string, options: { workers?: number }) => {
    const { verifyCommand } = await import('./commands/verify.js');
    exitCode = await verifyCommand(dir, options);
  });

program
  .command('export')
  .description('write the trained weights of runs of a result folder for NumPy (.npz) or as JSON')
  .argument('<dir>', 'a result folder, e.g. results/xor-lr')
  .addOption(new Option('-r, --run <n>', 'a run number from summary.csv (repeatable; default: every finished run)').argParser((value: string, previous: number[] = []) => [...previous, positiveInteger(value)]))
  .addOption(new Option('-f, --format <format>', 'file format (default: from --out, else npz)').choices(['npz', 'json']))
  .option('-o, --out <file>', 'output file (default: <dir>/weights-run<N>.npz, or <dir>/weights.npz for several runs)')
  .option('--data', "also write each run's training data as it saw it: X, Y (and X_test, Y_test)")
  .addHelpText(
    'after',
    '\nEach file holds W1, b1, W2, b2, ... (W is (units, inputs), b is (units, 1)) and meta, a JSON\n' +
      'description of the graph, the loss and the run\'s settings; README.md shows the NumPy code.\n' +
      'Exit codes: 0 written, 2 the folder, a run or the arguments cannot be used.\n' +
      examples('npx gradgrid export results/xor-lr --run 4', 'npx gradgrid export results/xor-lr --format json --out weights.json'),
  )
  .action(async (dir: string, options: { run?: number[]; format?: 'npz' | 'json'; out?: string; data?: boolean }) => {
    const { exportCommand } = await import('./commands/export.js');
    exitCode = await exportCommand(dir, options);
  });

program
  .command('gradcheck')
  .description("compare the model's analytic gradients with central finite differences, layer by layer")
  .argument('<experiment.yaml>', 'the experiment file (its first run is checked, on its training data)')
  .addHelpText(
    'after',
    '\nExit codes: 0 gradients agree, 1 they do not, 2 the experiment is invalid.\n' + examples('npx gradgrid gradcheck experiments/xor-2layer.yaml'),
  )
  .action(async (file: string) => {
    const { gradcheckCommand } = await import('./commands/gradcheck.js');
    exitCode = gradcheckCommand(file);
  });

// No top-level await: the command line runs as a CommonJS bundle (launch/cached-bundle.ts).
async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; every other parse problem is a usage error.
      exitCode = error.exitCode === 0 ? 0 : EXIT_INVALID;
    } else {
      process.stderr.write(`gradgrid: internal error — please report it with the command you ran.\n${(error as Error)?.stack ?? error}\n`);
      // Threads a command started before it failed (a sweep's workers) would keep the process alive.
      process.exit(1);
    }
  }
  process.exitCode = exitCode;
}

void main();

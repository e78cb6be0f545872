/**
 * The fault matrix (issue 13): a real `tagkeeper` process is interrupted at a named step of
 * its work (fault-process.ts) — killed there, or stopped there while the test kills the engine
 * or fills the disk (fault-injection.ts), then continued — and afterwards every trial must
 * pass the same checks (`checkTrial`):
 *
 * - the app runs its old or its new content, as a whole: one running container per service,
 *   whose image id is the old or the new one, the same side for every service that moves;
 * - `app show --json` (a new process: it finishes interrupted work first) says what the engine
 *   runs: `running`, no open operation, each service's latched image id, container and label
 *   are what runs;
 * - nothing is left in the scratch folder, and nothing set aside;
 * - the ledger tells what happened: one entry for the request, `ok` with an entry per moved
 *   drive when the app ended on the new content, a failure or a rollback saying why when it
 *   ended on the old one;
 * - nothing was lost: the ledger's earlier entries, the app volume's file (but by a purge that
 *   was done), the latched and previous images.
 *
 * A `FaultLog` keeps every trial's result and prints the table (trials, inconsistencies, data
 * lost) when the file's tests end.
 */
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { CrashPoint } from '../../main/core/ports/deps';
import type { FaultTarget } from './fault-process';
import type { BuiltImage } from './image-builder';
import { publish, type AppJson } from './lifecycle';
import type { TestSite } from './site';

// What the store holds, read without opening an instance (which would do work of its own).

interface LedgerRowDb {
  id: number;
  app: string;
  service: string | null;
  action: string;
  to_manifest_digest: string | null;
  outcome: string;
  detail: string | null;
}

interface UpdateRowDb {
  id: number;
  app: string;
  service: string;
  to_manifest_digest: string;
  state: string;
}

function readStore<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'tagkeeper.db'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Where the store was before a trial: the ledger rows it had (they must all still be there after). */
export interface StoreMark {
  lastLedgerId: number;
  ledgerIds: number[];
}

export function markStore(target: FaultTarget): StoreMark {
  const ledgerIds = readStore(target.dataDir, (db) => (db.prepare('SELECT id FROM ledger ORDER BY id').all() as { id: number }[]).map((r) => r.id));
  return { lastLedgerId: ledgerIds.at(-1) ?? 0, ledgerIds };
}

function ledgerSince(target: FaultTarget, app: string, mark: StoreMark): LedgerRowDb[] {
  return readStore(target.dataDir, (db) => db.prepare('SELECT * FROM ledger WHERE app = ? AND id > ? ORDER BY id').all(app, mark.lastLedgerId) as LedgerRowDb[]);
}

function ledgerIds(target: FaultTarget): number[] {
  return readStore(target.dataDir, (db) => (db.prepare('SELECT id FROM ledger ORDER BY id').all() as { id: number }[]).map((r) => r.id));
}

function updatesOf(target: FaultTarget, app: string): UpdateRowDb[] {
  return readStore(target.dataDir, (db) => db.prepare('SELECT * FROM pending_updates WHERE app = ? ORDER BY id').all(app) as UpdateRowDb[]);
}

// ---------------------------------------------------------------------------------------------
// The app's volume: a file in it stands for the app's state.

const DATA_FILE = 'kept';

async function volumeDirs(site: TestSite, app: string): Promise<string[]> {
  const { Volumes } = await site.docker.listVolumes({ filters: { label: [`tagkeeper.app=${app}`] } });
  return (Volumes ?? []).map((v) => v.Mountpoint);
}

/** Writes the app's state file into each of its volumes (through the engine's data root: the test runs as root). */
export async function writeState(site: TestSite, app: string): Promise<void> {
  const dirs = await volumeDirs(site, app);
  assert.ok(dirs.length > 0, `app ${app} has a volume`);
  for (const dir of dirs) writeFileSync(join(dir, DATA_FILE), 'kept\n');
}

async function hasState(site: TestSite, app: string): Promise<boolean> {
  const dirs = await volumeDirs(site, app);
  return dirs.length > 0 && dirs.every((dir) => existsSync(join(dir, DATA_FILE)));
}

// ---------------------------------------------------------------------------------------------
// The checks.

export type Content = Record<string, BuiltImage>;

/** Builds and pushes version `version` of services a and b of `app` (`<app>-a:1`, `<app>-b:1`): moves both tags. */
export async function publishAB(site: TestSite, app: string, version: number): Promise<Content> {
  return { a: await publish(site, `${app}-a`, '1', `${app}-a-v${version}`), b: await publish(site, `${app}-b`, '1', `${app}-b-v${version}`) };
}

/** Ledger actions that move a drive (an approval or an import only proposes or decides). */
const MOVES = ['apply', 'rollback', 'resolve'];

export interface Trial {
  /** What was done to the process: `kill -9`, `engine killed`, `disk full`. */
  fault: string;
  /** What the process was doing: `refresh`, `purge`, `approve`, `rollback`, `bundle import` … */
  operation: string;
  point: CrashPoint;
  app: string;
  /** Each service's content before the request, and the content the request moves it to. */
  old: Content;
  new: Content;
  /**
   * The ledger action of the request's own entry (`refresh`, `purge`, `apply`, `rollback`);
   * null for a bundle import that applies nothing (its entries are checked against the
   * pending updates it recorded).
   */
  action: string | null;
  /** The app has a volume whose state file must survive (but a purge that was done). */
  state: boolean;
  /** The request purges the app's state. */
  purges?: boolean;
  mark: StoreMark;
}

export interface TrialResult {
  side: 'old' | 'new' | 'neither';
  problems: string[];
  lost: string[];
  /** What the interrupted process said (when it lived to say something), for the table. */
  said?: string;
}

/** Every check of a trial, after `app show --json` in a new process; never throws for a failed check (it is a problem of the result). */
export async function checkTrial(target: FaultTarget, trial: Trial): Promise<TrialResult> {
  const problems: string[] = [];
  const lost: string[] = [];
  const { site } = target;
  const out = await target.cli(['app', 'show', trial.app, '--json']);
  if (out.code !== 0) return { side: 'neither', problems: [`app show failed (exit ${out.code}): ${out.stderr.trim()}`], lost };
  const view = out.json<AppJson>();

  // What the engine runs.
  const containers = await site.docker.listContainers({ all: true, filters: { label: [`tagkeeper.app=${trial.app}`] } });
  const sides = new Set<'old' | 'new'>();
  for (const service of Object.keys(trial.old)) {
    const theirs = containers.filter((c) => c.Labels['tagkeeper.service'] === service);
    if (theirs.length !== 1) {
      problems.push(`service ${service} has ${theirs.length} containers (${theirs.map((c) => `${c.Names[0]} ${c.State}`).join(', ')})`);
      continue;
    }
    const info = await site.docker.getContainer(theirs[0].Id).inspect();
    const image = info.Image;
    const moves = trial.old[service].configDigest !== trial.new[service].configDigest;
    if (image === trial.new[service].configDigest && moves) sides.add('new');
    else if (image === trial.old[service].configDigest && moves) sides.add('old');
    else if (image !== trial.old[service].configDigest) problems.push(`service ${service} runs ${image}, neither its old nor its new content`);
    if (!info.State.Running) problems.push(`service ${service}'s container ${info.Name} is ${info.State.Status}, not running`);
    // What app show says about it.
    const shown = view.services.find((s) => s.name === service);
    if (!shown) {
      problems.push(`app show has no service ${service}`);
      continue;
    }
    if (shown.latched?.imageId !== image) problems.push(`app show: service ${service} latched ${shown.latched?.imageId}, the engine runs ${image}`);
    if (shown.containerId !== info.Id) problems.push(`app show: service ${service} container ${shown.containerId}, the engine's is ${info.Id}`);
    if (shown.containerStatus !== (info.State.Running ? 'running' : info.State.Status)) problems.push(`app show: service ${service} ${shown.containerStatus}, the engine says ${info.State.Status}`);
    if (shown.drift) problems.push(`app show: service ${service} drifted ${JSON.stringify(shown.drift)}`);
    if (info.Config.Labels['tagkeeper.manifest-digest'] !== shown.latched?.manifestDigest) {
      problems.push(`service ${service}'s container is labelled ${info.Config.Labels['tagkeeper.manifest-digest']}, latched ${shown.latched?.manifestDigest}`);
    }
  }
  if (sides.size > 1) problems.push('half applied: some services run the old content, others the new');
  const moved = Object.keys(trial.old).some((s) => trial.old[s].configDigest !== trial.new[s].configDigest);
  let side: TrialResult['side'] = sides.has('new') && sides.size === 1 ? 'new' : sides.has('old') && sides.size === 1 ? 'old' : moved ? 'neither' : 'old';
  if (view.state !== 'running') problems.push(`app show says ${view.state}${view.error ? ` (${view.error.message})` : ''}`);
  if (view.openOperations.length > 0) problems.push(`app show: open operations ${JSON.stringify(view.openOperations)}`);

  // Scratch.
  const scratch = join(target.dataDir, 'scratch');
  const left = existsSync(scratch) ? readdirSync(scratch).filter((name) => name !== 'files') : [];
  if (left.length > 0) problems.push(`left in scratch: ${left.join(', ')}`);

  // The ledger.
  const entries = ledgerSince(target, trial.app, trial.mark);
  const requestEntries = trial.action === null ? [] : entries.filter((e) => e.service === null && e.action === trial.action);
  if (trial.action !== null) {
    if (requestEntries.length !== 1) {
      problems.push(`the ledger has ${requestEntries.length} ${trial.action} entries for the request (${entries.map((e) => `${e.action}/${e.outcome}`).join(', ')})`);
    } else {
      const [entry] = requestEntries;
      if (trial.purges) side = entry.outcome === 'ok' ? 'new' : 'old';
      if (side === 'new' && entry.outcome !== 'ok') problems.push(`the app runs the new content, the ledger says ${entry.outcome}: ${entry.detail}`);
      if (side === 'old' && moved && entry.outcome === 'ok') problems.push(`the app runs the old content, the ledger says ok: ${entry.detail}`);
      if (entry.outcome !== 'ok' && !entry.detail) problems.push(`the ledger says ${entry.outcome} without saying why`);
      if (side === 'new') {
        for (const [service, image] of Object.entries(trial.new)) {
          if (image.configDigest === trial.old[service].configDigest) continue;
          const drive = entries.filter((e) => MOVES.includes(e.action) && e.service === service && e.outcome === 'ok' && e.to_manifest_digest === image.manifestDigest);
          if (drive.length !== 1) problems.push(`the ledger has ${drive.length} entries moving service ${service} to ${image.manifestDigest}`);
        }
      }
    }
  }
  // An update left approved has no one to apply it. A bundle import recorded its update of a drive and its ledger entry together, or neither.
  const updates = updatesOf(target, trial.app);
  for (const u of updates) {
    if (u.state === 'approved') problems.push(`update ${u.id} of service ${u.service} is left approved, with nothing applying it`);
  }
  if (trial.action === null) {
    for (const [service, image] of Object.entries(trial.new)) {
      const recorded = updates.some((u) => u.service === service && u.to_manifest_digest === image.manifestDigest && u.state === 'pending');
      const told = entries.some((e) => e.service === service && e.action === 'import' && e.to_manifest_digest === image.manifestDigest);
      if (recorded !== told) problems.push(`service ${service}: ${recorded ? 'an update recorded without its import entry' : 'an import entry without its pending update'}`);
    }
  }

  // Nothing lost.
  const now = new Set(ledgerIds(target));
  const gone = trial.mark.ledgerIds.filter((id) => !now.has(id));
  if (gone.length > 0) lost.push(`${gone.length} ledger entries`);
  if (trial.state) {
    const kept = await hasState(site, trial.app);
    const purged = trial.purges === true && side === 'new';
    if (!kept && !purged) lost.push("the app's state (its volume's file)");
    if (kept && purged) problems.push('the purge was done, yet the state is still there');
  }
  for (const s of view.services) {
    for (const [what, content] of [['latched', s.latched], ['previous', s.previous]] as const) {
      if (content && !(await site.docker.getImage(content.imageId).inspect().then(() => true, () => false))) lost.push(`the ${what} image of service ${s.name}`);
    }
  }
  return { side, problems, lost };
}

// ---------------------------------------------------------------------------------------------
// The table.

interface Row {
  trial: Trial;
  result: TrialResult;
}

/** The trials of one test file, printed as a table when its tests end. */
export class FaultLog {
  private readonly rows: Row[] = [];

  constructor(readonly title: string) {
    after(() => console.log(this.table()));
  }

  /** Keeps the result, then fails the test if the trial found anything. */
  record(trial: Trial, result: TrialResult): void {
    this.rows.push({ trial, result });
    assert.deepEqual([...result.problems, ...result.lost.map((l) => `lost: ${l}`)], [], `${trial.fault} at ${trial.point} of ${trial.operation}`);
  }

  table(): string {
    const head = ['fault', 'operation', 'step', 'ended on', 'inconsistencies', 'data lost'];
    const body = this.rows.map(({ trial, result }) => [
      trial.fault,
      trial.operation,
      trial.point,
      result.side,
      result.problems.length === 0 ? '-' : result.problems.join('; '),
      result.lost.length === 0 ? '-' : result.lost.join('; '),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => Math.min(r[i].length, 60))));
    const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
    const said = this.rows.filter((r) => r.result.said !== undefined).map(({ trial, result }) => `  ${trial.operation} at ${trial.point}: ${result.said}`);
    const inconsistent = this.rows.filter((r) => r.result.problems.length > 0).length;
    const lost = this.rows.filter((r) => r.result.lost.length > 0).length;
    return [
      '',
      `fault matrix — ${this.title}`,
      line(head),
      ...body.map(line),
      `  trials ${this.rows.length}, inconsistencies ${inconsistent}, data lost ${lost}`,
      ...(said.length > 0 ? ['what the interrupted process said:', ...said] : []),
      '',
    ].join('\n');
  }
}

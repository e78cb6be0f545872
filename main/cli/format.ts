/** Human-readable output of the CLI (the --json output is the contract's data as is). */
import type { CheckAnswer } from '../api/types/updates';
import type { AppView, ServiceView } from '../api/types/app-view';
import type { LedgerEntry } from '../api/types/apps';
import { shortDigest } from '../core/model/digest';
import { formatDuration, formatRateLimit, formatTime, openOperationText } from '../api/format';
import type { DeviceSettings, RateLimitView } from '../api/types/settings';
import type { OperationAnswer } from '../api/types/operations';

/** Prints `value` as JSON with --json, else the human text. */
export function printer(stdout: NodeJS.WritableStream): (json: boolean | undefined, value: unknown, human: () => string) => void {
  return (json, value, human) => {
    stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
  };
}

/** Commander's collector for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A digest as the tables show it, or '-'. */
export const short = (digest: string | null | undefined): string => (digest ? shortDigest(digest) : '-');

export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ')).join('\n');
}

function serviceUpdate(s: ServiceView): string {
  if (s.pinnedDigest) return 'pinned';
  if (s.updateRejected) return `${short(s.available?.manifestDigest)} rejected`;
  if (s.updateAvailable) return `update → ${short(s.available?.manifestDigest)}`;
  if (s.rolledBackFrom) return `rolled back from ${short(s.rolledBackFrom.manifestDigest)}`;
  if (s.indexChanged) return 'index changed (not an update)';
  return s.available ? 'up to date' : 'not checked';
}

export function formatAppList(apps: AppView[]): string {
  if (apps.length === 0) return 'No apps yet. Create one with: tagkeeper app create NAME --image REF';
  const rows = [['APP', 'STATE', 'SERVICE', 'REFERENCE', 'LATCHED', 'UPDATE']];
  for (const app of apps) {
    app.services.forEach((s, i) => {
      rows.push([i === 0 ? app.name : '', i === 0 ? app.state : '', s.name, s.reference, short(s.latched?.manifestDigest ?? s.latched?.imageId), serviceUpdate(s)]);
    });
  }
  return table(rows);
}

export function formatApp(app: AppView): string {
  const lines = [
    `app ${app.name}: ${app.state}`,
    `  pull policy: ${app.pullPolicy}${app.pullPolicySource === 'device' ? ' (device default)' : ''}; check on start: ${app.checkOnStart ? 'on' : 'off'}; auto-apply: ${app.autoApply ? 'on' : 'off'}${app.autoApplySource === 'device' ? ' (device default)' : ''}`,
  ];
  if (app.definition) {
    const how = app.definition.adopted ? 'adopted from docker compose' : 'from';
    lines.push(`  compose: ${how} ${app.definition.file} (definition ${short(app.definition.hash)}; project ${app.definition.project.name})`);
  }
  for (const u of app.pendingUpdates) lines.push(`  pending update (${u.state}): ${u.service} ${short(u.from?.manifestDigest)} → ${short(u.to.manifestDigest)} from ${u.source}, found ${formatTime(u.foundAt)}`);
  if (app.error) lines.push(`  error: ${app.error.message}${app.error.hint ? ` (${app.error.hint})` : ''}`);
  lines.push(...driftLines(app));
  for (const op of app.openOperations) lines.push(`  ${openOperationLine(app.name, op)}`);
  for (const s of app.services) {
    lines.push(`  service ${s.name}: ${s.reference}`);
    lines.push(`    normalized:   ${s.canonical}`);
    if (s.pinnedDigest) lines.push(`    pinned:       ${s.pinnedDigest}`);
    lines.push(`    latched:      index ${s.latched?.indexDigest ?? '-'}`);
    lines.push(`                  platform ${s.latched?.manifestDigest ?? '-'}`);
    lines.push(`                  image ${s.latched?.imageId ?? '-'} (${s.latched?.source ?? 'not resolved'})`);
    if (s.available) lines.push(`    available:    ${s.available.manifestDigest ?? '-'} (checked ${formatTime(s.available.checkedAt)})`);
    lines.push(`    update:       ${serviceUpdate(s)}`);
    lines.push(`    container:    ${s.containerId ? s.containerId.slice(0, 12) : '-'} ${s.containerStatus ?? ''}${s.health ? ` (${s.health})` : ''}`);
    if (s.drift) lines.push(`    runs:         image ${s.drift.runningImageId}, not the latched one (drifted)`);
    if (s.checkError) lines.push(`    check error:  ${s.checkError.message}`);
    if (s.error) lines.push(`    error:        ${s.error.message}`);
  }
  return lines.join('\n');
}

/** What runs instead of the latched content, and what to do about it. */
function driftLines(app: AppView): string[] {
  const drifted = app.services.filter((s) => s.drift);
  if (drifted.length === 0) return [];
  return [
    ...drifted.map((s) => `  drifted: service ${s.name} runs image ${s.drift!.runningImageId}, not its latched image ${s.drift!.latchedImageId} (changed outside Tagkeeper)`),
    `  to fix: tagkeeper app restart ${app.name} returns it to the latched content; to keep new content instead, approve or refresh it (tagkeeper updates approve ${app.name}, tagkeeper app refresh ${app.name})`,
  ];
}

function openOperationLine(app: string, op: AppView['openOperations'][number]): string {
  if (op.interrupted) return `interrupted: ${openOperationText(op).toLowerCase()} stopped in its ${op.phase} step when its process died (operation ${op.id}); tagkeeper resume --app ${app} finishes it`;
  return `${openOperationText(op)} (operation ${op.id})`;
}

export function formatCheck(result: CheckAnswer): string {
  if (result.services.length === 0) return 'No apps to check.';
  const rows = [['APP', 'SERVICE', 'REFERENCE', 'LATCHED', 'AVAILABLE', 'STATUS']];
  for (const s of result.services) {
    const via = s.source?.mirror ? ` (via mirror ${s.source.origin})` : '';
    rows.push([s.app, s.service, s.reference, short(s.latched?.manifestDigest), short(s.available?.manifestDigest), s.error ? `error: ${s.error.message}` : `${s.status}${via}`]);
  }
  const lines = [table(rows), `${result.references} reference(s) checked at ${formatTime(result.checkedAt)}`];
  lines.push(...result.rateLimits.map(rateLimitLine));
  const waiting = result.pending.filter((u) => u.state === 'pending').length;
  if (waiting > 0) lines.push(`${waiting} pending update(s): see them with tagkeeper updates`);
  for (const applied of result.followUp.applied) lines.push(`auto-apply: ${formatOperation(applied)}`);
  if (result.followUp.prefetched.length > 0) lines.push(`prefetched ${result.followUp.prefetched.length} update(s) (downloaded, not applied)`);
  for (const e of result.followUp.errors) lines.push(`error: ${e.message}`);
  return lines.join('\n');
}

/** The settings as a table; `more` rows after them (the engine's, in `settings show`). */
export function formatSettings(settings: DeviceSettings, more: string[][] = []): string {
  return table([
    ['pull-policy', settings.pullPolicy],
    ['check-on-start', settings.checkOnStart ? 'on' : 'off'],
    ['insecure-registries', settings.insecureRegistries.join(',') || '-'],
    ['offline', settings.offline ? 'on' : 'off'],
    ['auto-apply', settings.autoApply ? 'on' : 'off'],
    ['prefetch', settings.prefetch ? 'on' : 'off'],
    ['check-interval', settings.checkIntervalSeconds > 0 ? formatDuration(settings.checkIntervalSeconds) : 'off'],
    ['start-grace', formatDuration(settings.startGraceSeconds)],
    ['require-signatures', settings.requireSignatures ? 'on' : 'off'],
    ...more,
  ]);
}

/** "rate limit of docker.io: 76 of 100 left per 6h"; plainly used up when none is left. */
export function rateLimitLine(r: RateLimitView): string {
  const line = `rate limit of ${r.registry}: ${formatRateLimit(r)}`;
  return r.remaining === 0 ? `${line} — used up: pulls from ${r.registry} are refused until the window has passed` : line;
}

export function formatLedger(entries: LedgerEntry[]): string {
  if (entries.length === 0) return 'The ledger is empty.';
  const rows = [['WHEN', 'APP', 'SERVICE', 'ACTION', 'FROM', 'TO', 'OUTCOME', 'BY', 'DETAIL']];
  for (const e of entries) {
    rows.push([formatTime(e.at), e.app, e.service ?? '-', e.action, short(e.from?.manifestDigest), short(e.to?.manifestDigest), e.outcome, e.actor, e.detail ?? '']);
  }
  return table(rows);
}

export function formatOperation(answer: OperationAnswer): string {
  if (!('outcome' in answer)) return `operation ${answer.operation} on app ${answer.app} recorded (${answer.state}); it goes on in the background`;
  const head = `${answer.kind} of ${answer.app}: ${answer.outcome}${answer.changed ? ', changed' : ''}${answer.purged ? ', state purged' : ''}${answer.restarted ? ', restarted' : ', not restarted'}`;
  const lines = answer.services.map((s) => {
    const change = s.changed ? `${short(s.from.manifestDigest)} → ${short(s.to.manifestDigest)}` : `unchanged ${short(s.to.manifestDigest)}`;
    const skipped = s.skipped ? ` (${short(s.skipped.to.manifestDigest)} was rejected: left out; --include-rejected takes it)` : '';
    return `  ${s.name}: ${change}${skipped}`;
  });
  return [head, ...lines].join('\n');
}

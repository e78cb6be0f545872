/** Row shapes of the SQLite tables and their mapping to the domain's records. */
import type { AppRecord, LedgerEntry, ServiceRecord } from '../api/types/apps';

export interface AppRow {
  name: string;
  pull_policy: AppRecord['pullPolicy'];
  check_on_start: number | null;
  auto_apply: number | null;
  compose: string | null;
  intent: AppRecord['intent'];
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceRow {
  app: string;
  name: string;
  position: number;
  reference: string;
  canonical: string;
  pinned_digest: string | null;
  settings: string;
  latched: string | null;
  previous: string | null;
  available: string | null;
  check_error: string | null;
  container_id: string | null;
  error: string | null;
}

export interface LedgerRow {
  id: number;
  at: string;
  app: string;
  service: string | null;
  action: LedgerEntry['action'];
  from_index_digest: string | null;
  from_manifest_digest: string | null;
  to_index_digest: string | null;
  to_manifest_digest: string | null;
  source: LedgerEntry['source'];
  trigger: string;
  actor: string;
  outcome: LedgerEntry['outcome'];
  detail: string | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

export function serviceFromRow(row: ServiceRow): ServiceRecord {
  return {
    app: row.app,
    name: row.name,
    position: row.position,
    reference: row.reference,
    canonical: row.canonical,
    pinnedDigest: row.pinned_digest,
    settings: JSON.parse(row.settings),
    latched: parse(row.latched),
    previous: parse(row.previous),
    available: parse(row.available),
    checkError: parse(row.check_error),
    containerId: row.container_id,
    error: parse(row.error),
  };
}

export function appFromRows(app: AppRow, services: ServiceRow[]): AppRecord {
  return {
    name: app.name,
    pullPolicy: app.pull_policy,
    checkOnStart: app.check_on_start === null ? null : app.check_on_start === 1,
    autoApply: app.auto_apply === null ? null : app.auto_apply === 1,
    compose: parse(app.compose),
    intent: app.intent,
    error: parse(app.error),
    createdAt: app.created_at,
    updatedAt: app.updated_at,
    services: services.map(serviceFromRow),
  };
}

const pair = (index: string | null, manifest: string | null) =>
  index === null && manifest === null ? null : { indexDigest: index, manifestDigest: manifest };

export function ledgerFromRow(row: LedgerRow): LedgerEntry {
  return {
    id: row.id,
    at: row.at,
    app: row.app,
    service: row.service,
    action: row.action,
    from: pair(row.from_index_digest, row.from_manifest_digest),
    to: pair(row.to_index_digest, row.to_manifest_digest),
    source: row.source,
    trigger: row.trigger,
    actor: row.actor,
    outcome: row.outcome,
    detail: row.detail,
  };
}

/**
 * Every operation of the contract, served by its domain's handler module. Adding an
 * operation touches the contract and the one module of its domain; the compiler checks
 * that every operation has exactly one handler.
 */
import type { Handlers } from '../../api/contract';
import type { CoreDeps } from '../ports/deps';
import { appsHandlers } from './apps-handlers';
import { bundlesHandlers } from './bundles-handlers';
import { composeHandlers } from './compose-handlers';
import { deviceHandlers } from './device-handlers';
import { engineHandlers } from './engine-handlers';
import { imagesHandlers } from './images-handlers';
import { inventoryHandlers } from './inventory-handlers';
import { keysHandlers } from './keys-handlers';
import { ledgerHandlers } from './ledger-handlers';
import { operationsHandlers } from './operations-handlers';
import { referencesHandlers } from './references-handlers';
import { registriesHandlers } from './registries-handlers';
import { settingsHandlers } from './settings-handlers';
import { transfersHandlers } from './transfers-handlers';
import { updatesHandlers } from './updates-handlers';

export function createHandlers(deps: CoreDeps): Handlers {
  return {
    ...appsHandlers(deps),
    ...operationsHandlers(deps),
    ...engineHandlers(deps),
    ...referencesHandlers(),
    ...imagesHandlers(deps),
    ...registriesHandlers(deps),
    ...updatesHandlers(deps),
    ...inventoryHandlers(deps),
    ...bundlesHandlers(deps),
    ...transfersHandlers(deps),
    ...keysHandlers(deps),
    ...deviceHandlers(deps),
    ...ledgerHandlers(deps),
    ...settingsHandlers(deps),
    ...composeHandlers(deps),
  };
}

/**
 * The later screens themselves: what screens.js carries (screens-entry.ts), and their source
 * where no script is loaded (tests), there at once.
 */
import { ActivityScreen } from '../components/activity/ActivityScreen';
import { AppDialogs } from '../components/app/AppDialogs';
import { AppPage } from '../components/app/AppPage';
import { BundlesScreen } from '../components/bundles/BundlesScreen';
import { ComposeUpdateDialog } from '../components/compose/ComposeUpdateDialog';
import { CreateScreen } from '../components/create/CreateScreen';
import { ImagesScreen } from '../components/images/ImagesScreen';
import { SettingsScreen } from '../components/settings/SettingsScreen';
import { ApproveDialog } from '../components/updates/ApproveDialog';
import { RejectDialog } from '../components/updates/RejectDialog';
import { UpdatesScreen } from '../components/updates/UpdatesScreen';
import type { LaterScreensSource, LaterState } from './later-context';

export const LATER_SCREENS = {
  ActivityScreen,
  AppDialogs,
  AppPage,
  BundlesScreen,
  ComposeUpdateDialog,
  CreateScreen,
  ImagesScreen,
  SettingsScreen,
  ApproveDialog,
  RejectDialog,
  UpdatesScreen,
} as const;

const THERE: LaterState = { screens: LATER_SCREENS, error: null };

/** The later screens, there from the start. */
export const laterScreensAtOnce: LaterScreensSource = {
  state: () => THERE,
  subscribe: () => () => undefined,
  load: () => undefined,
};

/** screens.js: hands the later screens to the page that loaded it (script-source.ts). */
import { LATER_SCREENS } from './later-screens';

window.tagkeeperScreens?.(LATER_SCREENS);

/** `references:*`: a reference as Tagkeeper understands it (for validating as the user types). */
import type { DomainHandlers } from '../../api/contract';
import { parseReference } from '../model/reference';

export function referencesHandlers(): DomainHandlers<'references'> {
  return {
    'references:parse': (r) => {
      const { input: _input, ...parsed } = parseReference(r.reference);
      return parsed;
    },
  };
}

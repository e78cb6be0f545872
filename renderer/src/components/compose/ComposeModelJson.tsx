/** @jsxRuntime automatic */
/** The whole normalized Compose model as JSON, behind a disclosure button, copyable. */
import { useState } from 'react';
import type { ComposeProject } from '../../../../main/api/types/compose';
import { CopyButton } from '../CopyButton';

export function ComposeModelJson({ app, project }: { app: string; project: ComposeProject }) {
  const [open, setOpen] = useState(false);
  const json = open ? JSON.stringify(project, null, 2) : '';
  return (
    <div className="compose-model" data-testid={`compose-model-${app}`}>
      <div className="form-buttons">
        <button type="button" className="link" aria-expanded={open} data-testid={`compose-model-toggle-${app}`} onClick={() => setOpen(!open)}>
          {open ? 'Hide the model' : 'Show the whole model as JSON'}
        </button>
        {open ? <CopyButton text={json} label="model as JSON" testId={`copy-compose-model-${app}`} /> : null}
      </div>
      {open ? <pre className="compose-json" data-testid={`compose-model-json-${app}`}>{json}</pre> : null}
    </div>
  );
}

import { moveNode, removeNode, wrapInGroup } from './tree';
import { useEditor } from './EditorContext';

/** Move up / down, negate (wrap in not), remove: the tools every non-root node has. */
export function NodeTools({ id }: { id: string }) {
  const { update } = useEditor();
  return (
    <span className="seg-tools">
      <button type="button" className="icon" title="Move up" aria-label="Move up" onClick={() => update((t) => moveNode(t, id, -1))}>
        ↑
      </button>
      <button type="button" className="icon" title="Move down" aria-label="Move down" onClick={() => update((t) => moveNode(t, id, 1))}>
        ↓
      </button>
      <button type="button" className="icon" title="Negate (wrap in not)" aria-label="Negate" onClick={() => update((t) => wrapInGroup(t, id, 'not'))}>
        ¬
      </button>
      <button type="button" className="icon danger" title="Remove" aria-label="Remove" data-testid="remove-node" onClick={() => update((t) => removeNode(t, id))}>
        ×
      </button>
    </span>
  );
}

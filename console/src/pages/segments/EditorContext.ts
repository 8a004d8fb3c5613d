import { createContext, useContext } from 'react';
import type { GroupNode, TreeIssue } from './tree';
import type { Vocabulary } from './vocabulary';

export interface EditorContextValue {
  vocab: Vocabulary;
  /** Applies an operation to the whole tree. */
  update(op: (root: GroupNode) => GroupNode): void;
  /** Problems found by the builder, by node id. */
  issues: ReadonlyMap<string, readonly TreeIssue[]>;
  /** The server's refusal of the previewed definition, pinned to a node. */
  serverIssue: { nodeId: string; code: string; message: string; path: string } | null;
  /** Each node's path in the definition (definition.and[0]...). */
  paths: ReadonlyMap<string, string>;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const v = useContext(EditorContext);
  if (!v) throw new Error('useEditor outside the segment tree editor');
  return v;
}

// The builder: name, description, the definition tree and its live preview, and Save.
// Used for a new segment and for editing a saved one (then Save updates it).
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useApiMutation } from '../../api/hooks';
import { ErrorBox } from '../../components/ErrorBox';
import { EditorContext, type EditorContextValue } from './EditorContext';
import { plainIssue } from './labels';
import { PreviewPanel } from './PreviewPanel';
import { CreateSegmentMutation, UpdateSegmentMutation } from './queries';
import { GroupEditor } from './TreeEditor';
import { nodeForPath, toDefinition, type GroupNode, type TreeIssue } from './tree';
import { usePreview } from './usePreview';
import type { Vocabulary } from './vocabulary';

export interface SegmentBuilderProps {
  vocab: Vocabulary;
  initialTree: GroupNode;
  initialName?: string;
  initialDescription?: string;
  /** The saved segment being edited; without it Save creates one. */
  segmentId?: string;
  onSaved(id: string): void;
}

export function SegmentBuilder({ vocab, initialTree, initialName = '', initialDescription = '', segmentId, onSaved }: SegmentBuilderProps) {
  const queryClient = useQueryClient();
  const [tree, setTree] = useState(initialTree);
  const [name, setName] = useState(initialName);
  const [description, setDescription] = useState(initialDescription);
  const [dirty, setDirty] = useState(false);
  const conversion = useMemo(() => toDefinition(tree), [tree]);
  // Nothing added yet is not a mistake: the preview invites a first condition instead.
  const empty = tree.children.length === 0;
  const preview = usePreview(conversion.definition);

  const issues = useMemo(() => {
    const m = new Map<string, TreeIssue[]>();
    for (const i of conversion.issues) m.set(i.nodeId, [...(m.get(i.nodeId) ?? []), i]);
    return m;
  }, [conversion]);
  const serverIssue = useMemo(() => {
    const e = preview.error;
    if (!e?.field) return null;
    const nodeId = nodeForPath(conversion.paths, e.field);
    return nodeId ? { nodeId, code: e.code, message: plainIssue(e.field, e.message), path: e.field } : null;
  }, [preview.error, conversion.paths]);

  const ctx: EditorContextValue = useMemo(
    () => ({
      vocab,
      issues,
      serverIssue,
      paths: conversion.paths,
      update: (op) => {
        setTree((t) => op(t));
        setDirty(true);
      },
    }),
    [vocab, issues, serverIssue, conversion.paths],
  );

  const saved = (id: string) => {
    setDirty(false);
    void queryClient.invalidateQueries({ queryKey: ['gql'] });
    onSaved(id);
  };
  const create = useApiMutation(CreateSegmentMutation, { onSuccess: (d) => saved(d.createSegment.id) });
  const updateSeg = useApiMutation(UpdateSegmentMutation, { onSuccess: (d) => saved(d.updateSegment.id) });
  const saving = create.isPending || updateSeg.isPending;
  const saveError = create.error ?? updateSeg.error;
  const canSave = conversion.definition !== null && name.trim() !== '' && !saving;
  const save = () => {
    if (!conversion.definition) return;
    const vars = { name: name.trim(), description: description.trim() || null, definition: conversion.definition };
    if (segmentId) updateSeg.mutate({ id: segmentId, ...vars });
    else create.mutate(vars);
  };
  const edited = dirty || name !== initialName || description !== initialDescription;

  return (
    <div className="seg-builder">
      <div className="seg-editor">
        <div className="seg-meta">
          <label className="field">
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} data-testid="segment-name" placeholder="e.g. Tea lovers slipping away" />
          </label>
          <label className="field">
            Description
            <input value={description} onChange={(e) => setDescription(e.target.value)} data-testid="segment-description" />
          </label>
        </div>
        <EditorContext.Provider value={ctx}>
          <GroupEditor node={tree} isRoot />
        </EditorContext.Provider>
        {conversion.issues.length > 0 && !empty ? (
          <p className="hint" data-testid="tree-issue-count">
            {conversion.issues.length === 1 ? '1 problem' : `${conversion.issues.length} problems`} to fix before previewing or saving.
          </p>
        ) : null}
        <div className="seg-actions">
          <button type="button" className="primary" disabled={!canSave || (segmentId !== undefined && !edited)} onClick={save} data-testid="segment-save">
            {saving ? 'Saving…' : segmentId ? 'Save changes' : 'Save segment'}
          </button>
          {name.trim() === '' ? <span className="hint">Name the segment to save it.</span> : null}
        </div>
        {saveError ? <ErrorBox error={saveError} title="Not saved" /> : null}
        <details className="seg-json">
          <summary>Definition as JSON</summary>
          <pre data-testid="definition-json">{conversion.definition ? JSON.stringify(conversion.definition, null, 2) : '(not valid yet)'}</pre>
        </details>
      </div>
      <PreviewPanel preview={preview} empty={empty} />
    </div>
  );
}

// The definition tree, drawn as nested groups: each group says how its children combine
// (all of / any of / not), each predicate has its inputs; every node can move, be negated
// or removed, and problems show next to the node they are about.
import { NodeIssues } from './NodeIssues';
import { NodeTools } from './NodeTools';
import { PredicateFields } from './PredicateFields';
import { useEditor } from './EditorContext';
import {
  addChild,
  defaultPredicate,
  group,
  predicateNode,
  PREDICATE_KINDS,
  PREDICATE_LABELS,
  setGroupOp,
  setPredicate,
  type GroupNode,
  type GroupOp,
  type PredicateKind,
  type PredicateNode,
} from './tree';

const OP_LABELS: Record<GroupOp, string> = { and: 'All of (and)', or: 'Any of (or)', not: 'Not' };

export function GroupEditor({ node, isRoot = false }: { node: GroupNode; isRoot?: boolean }) {
  const { update, vocab, paths } = useEditor();
  const path = paths.get(node.id) ?? '';
  const add = (kind: PredicateKind) =>
    update((t) =>
      addChild(t, node.id, predicateNode(defaultPredicate(kind, {
        scoreField: vocab.scoreFields[0],
        profileField: vocab.profileFields[0],
        identifierType: vocab.identifierTypes[0],
        consentPurpose: vocab.consentPurposes[0],
        eventType: vocab.eventTypes[0],
      }))),
    );
  const full = node.op === 'not' && node.children.length >= 1;
  return (
    <div className={`seg-group seg-${node.op}`} data-testid="seg-group" data-path={path}>
      <div className="seg-head">
        <select aria-label="Combine" value={node.op} onChange={(e) => update((t) => setGroupOp(t, node.id, e.target.value as GroupOp))} data-testid="group-op">
          {(Object.keys(OP_LABELS) as GroupOp[]).map((op) => (
            <option key={op} value={op}>
              {OP_LABELS[op]}
            </option>
          ))}
        </select>
        {isRoot ? <span className="hint">customers matching</span> : <NodeTools id={node.id} />}
      </div>
      {/* An empty root is where every definition starts, not an error: the preview prompts instead. */}
      <NodeIssues id={node.id} quiet={isRoot && node.children.length === 0} />
      {node.children.length > 0 ? (
        <ul className="seg-children">
          {node.children.map((c) => (
            <li key={c.id}>{c.type === 'group' ? <GroupEditor node={c} /> : <PredicateEditor node={c} />}</li>
          ))}
        </ul>
      ) : null}
      {full ? null : (
        <div className="seg-add">
          <select
            aria-label="Add a condition"
            value=""
            data-testid="add-kind"
            data-for={path}
            onChange={(e) => {
              if (e.target.value) add(e.target.value as PredicateKind);
            }}
          >
            <option value="">+ Add condition…</option>
            {PREDICATE_KINDS.map((k) => (
              <option key={k} value={k}>
                {PREDICATE_LABELS[k]}
              </option>
            ))}
          </select>
          <button type="button" data-testid="add-group" onClick={() => update((t) => addChild(t, node.id, group(node.op === 'or' ? 'and' : 'or')))}>
            + Group
          </button>
        </div>
      )}
    </div>
  );
}

function PredicateEditor({ node }: { node: PredicateNode }) {
  const { update, vocab, paths } = useEditor();
  const p = node.predicate;
  return (
    <div className="seg-pred" data-testid={`pred-${p.kind}`} data-path={paths.get(node.id) ?? ''}>
      <div className="seg-head">
        <strong>{PREDICATE_LABELS[p.kind]}</strong>
        <NodeTools id={node.id} />
      </div>
      <div className="seg-fields">
        <PredicateFields p={p} vocab={vocab} onChange={(next) => update((t) => setPredicate(t, node.id, next))} />
      </div>
      <NodeIssues id={node.id} />
    </div>
  );
}

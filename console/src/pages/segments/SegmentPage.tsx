import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { Confirm } from '../../components/Confirm';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import type { SegmentDetailQuery } from '../../gql/graphql';
import { formatCount, formatDateTime } from '../../lib/format';
import { param } from '../../lib/url';
import { useUrlState } from '../../lib/useUrlState';
import { pathTo } from '../../pages';
import { exportMembers } from './exportMembers';
import { HistoryChart } from './HistoryChart';
import { MembersTable } from './MembersTable';
import { PlanActions } from './PlanActions';
import { DeleteSegmentMutation, RefreshSegmentMutation, SegmentQuery } from './queries';
import { SegmentBuilder } from './SegmentBuilder';
import { DefinitionParseError, fromDefinition } from './tree';
import { useVocabulary, type Vocabulary } from './vocabulary';

const TABS = ['definition', 'members', 'history', 'actions'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { definition: 'Definition', members: 'Members', history: 'History', actions: 'Plan actions' };
const SPEC = { tab: param.oneOf(TABS, 'definition') };

type Saved = NonNullable<SegmentDetailQuery['segment']>;

export default function SegmentPage() {
  const { id = '' } = useParams();
  const q = useApiQuery(SegmentQuery, { id });
  const voc = useVocabulary();
  const ready = !q.isPending && !voc.isPending;
  return (
    <section className="page" data-testid="page-segment" data-ready={ready}>
      <p className="crumbs">
        <Link to={pathTo('segments')}>Segments</Link> /
      </p>
      {!ready ? <Loading /> : null}
      {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
      {voc.error ? <ErrorBox error={voc.error} onRetry={() => void voc.refetch()} /> : null}
      {ready && q.data && !q.data.segment ? (
        <EmptyState title={`No segment ${id}`}>
          It may have been deleted. <Link to={pathTo('segments')}>All segments</Link>
        </EmptyState>
      ) : null}
      {q.data?.segment && voc.vocab ? <SavedSegment seg={q.data.segment} vocab={voc.vocab} /> : null}
    </section>
  );
}

function SavedSegment({ seg, vocab }: { seg: Saved; vocab: Vocabulary }) {
  const { values, set, cursor, goNext, goPrevious } = useUrlState(SPEC);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const [exportState, setExportState] = useState<{ busy: boolean; error: unknown; bytes: number | null }>({ busy: false, error: null, bytes: null });
  const parsed = useMemo(() => {
    try {
      return { tree: fromDefinition(seg.definition), error: null };
    } catch (e) {
      return { tree: null, error: e instanceof DefinitionParseError ? e : new DefinitionParseError('definition', String(e)) };
    }
  }, [seg.definition]);
  const invalidate = () => queryClient.invalidateQueries({ queryKey: ['gql'] });
  const refresh = useApiMutation(RefreshSegmentMutation, { onSuccess: () => void invalidate() });
  const del = useApiMutation(DeleteSegmentMutation, {
    onSuccess: () => {
      setDeleting(false);
      void invalidate();
      navigate(pathTo('segments'));
    },
  });
  const runExport = async () => {
    setExportState({ busy: true, error: null, bytes: null });
    try {
      const bytes = await exportMembers(seg.id, `${seg.name.replace(/[^\p{L}\p{N}]+/gu, '-')}-members.csv`);
      setExportState({ busy: false, error: null, bytes });
    } catch (e) {
      setExportState({ busy: false, error: e, bytes: null });
    }
  };

  return (
    <>
      <div className="page-head">
        <h1 data-testid="segment-title">{seg.name}</h1>
        <div className="seg-actions">
          <button type="button" onClick={() => refresh.mutate({ id: seg.id })} disabled={refresh.isPending} data-testid="segment-refresh">
            {refresh.isPending ? 'Refreshing…' : 'Refresh now'}
          </button>
          <button type="button" onClick={() => void runExport()} disabled={exportState.busy} data-testid="segment-export">
            {exportState.busy ? 'Exporting…' : 'Export members (CSV)'}
          </button>
          {/* Apart from the everyday actions, so a slip on Export never lands on Delete. */}
          <span className="danger-zone">
            <button type="button" className="danger" onClick={() => setDeleting(true)} data-testid="segment-delete">
              Delete segment
            </button>
          </span>
        </div>
      </div>
      {seg.description ? <p className="lead">{seg.description}</p> : null}
      <dl className="stats">
        <div>
          <dt>Members</dt>
          <dd data-testid="segment-members-count">{formatCount(seg.memberCount)}</dd>
        </div>
        <div>
          <dt>Refreshed</dt>
          <dd>{seg.refreshedAt ? formatDateTime(seg.refreshedAt) : 'never'}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatDateTime(seg.updatedAt)}</dd>
        </div>
      </dl>
      {refresh.error ? <ErrorBox error={refresh.error} title="Not refreshed" /> : null}
      {exportState.error ? <ErrorBox error={exportState.error} title="Export failed" /> : null}
      {exportState.bytes !== null ? <p className="hint" data-testid="export-done">Exported {formatCount(exportState.bytes)} bytes.</p> : null}
      <nav className="tabs" aria-label="Segment views">
        {TABS.map((t) => (
          <button key={t} type="button" className={values.tab === t ? 'tab on' : 'tab'} aria-pressed={values.tab === t} onClick={() => set({ tab: t })} data-testid={`tab-${t}`}>
            {TAB_LABELS[t]}
          </button>
        ))}
      </nav>
      {values.tab === 'definition' ? (
        parsed.tree ? (
          <SegmentBuilder
            key={seg.definition}
            vocab={vocab}
            initialTree={parsed.tree}
            initialName={seg.name}
            initialDescription={seg.description ?? ''}
            segmentId={seg.id}
            onSaved={() => undefined}
          />
        ) : (
          <>
            <ErrorBox error={new ApiError({ code: 'BAD_DEFINITION', status: 0, message: parsed.error?.message ?? '', field: parsed.error?.path })} title="The saved definition cannot be edited here" />
            <pre>{seg.definition}</pre>
          </>
        )
      ) : null}
      {values.tab === 'members' ? <MembersTable segmentId={seg.id} after={cursor.after} pageIndex={cursor.pageIndex} onNext={goNext} onPrevious={goPrevious} /> : null}
      {values.tab === 'history' ? <HistoryChart segmentId={seg.id} /> : null}
      {values.tab === 'actions' ? <PlanActions segmentId={seg.id} memberCount={seg.memberCount} actions={vocab.actions} /> : null}
      <Confirm open={deleting} title={`Delete ${seg.name}?`} danger confirmLabel="Delete segment" busy={del.isPending} onCancel={() => setDeleting(false)} onConfirm={() => del.mutate({ id: seg.id })}>
        <p>
          The segment and its membership history go; its {formatCount(seg.memberCount)} customers are not touched. This cannot be undone.
        </p>
        {del.error ? <ErrorBox error={del.error} title="Not deleted" /> : null}
      </Confirm>
    </>
  );
}

import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorBox } from '../../components/ErrorBox';
import { Loading } from '../../components/Loading';
import { pathTo } from '../../pages';
import { SegmentBuilder } from './SegmentBuilder';
import { emptyTree } from './tree';
import { useVocabulary } from './vocabulary';

export default function SegmentNewPage() {
  const { vocab, error, isPending, refetch } = useVocabulary();
  const navigate = useNavigate();
  const initial = useMemo(() => emptyTree(), []);
  return (
    <section className="page" data-testid="page-segment-new" data-ready={!isPending}>
      <p className="crumbs">
        <Link to={pathTo('segments')}>Segments</Link> /
      </p>
      <h1>New segment</h1>
      <p className="lead">Combine conditions; the count and a sample update as you edit.</p>
      {isPending ? <Loading label="Loading the valid values…" /> : null}
      {error ? <ErrorBox error={error} onRetry={() => void refetch()} /> : null}
      {vocab ? <SegmentBuilder vocab={vocab} initialTree={initial} onSaved={(id) => navigate(pathTo('segment', { id }))} /> : null}
    </section>
  );
}
